/**
 * The conformance checks for one criterion, as plain async functions (no jest needed), so they can be
 * run by `describeCriterionConformance` as one test each, or collected by `runCriterionConformance`.
 *
 * Checks (each builds a fresh {@link ConformanceSetup} and disposes it):
 *
 * | id | requirement |
 * |---|---|
 * | `shapes` | one `Float32Array` of `rows · cols` per weight layer, keyed by the layer's weight name, in network order, shape equal to the layer's; nothing else |
 * | `finite` | every score is finite |
 * | `deterministic` | two calls with `new Rng(seed)` give bit-identical scores |
 * | `no-leaks` | `tf.memory().numTensors` is unchanged by a call |
 * | `no-mutation` | weights (host and tensor), biases, batch inputs/labels and mask bits are unchanged; the (frozen) context is not written; scores do not share memory with the weights |
 * | `needs-data` | `needsData: true` → a call without data throws a typed `GraphonPaiError` and different data give different scores; `needsData: false` → works without data and ignores data given |
 * | `accepts-mask` | `acceptsMask: true` → works with a current mask (shapes, finite, deterministic, mask unchanged) and the mask changes the scores; with `prunedScoreZero`, pruned weights score exactly 0 |
 */
import { type CriterionSpec, GraphonPaiError, type NetworkMask, type ScoreMap } from '@graphon-pai/core';
import { Mlp, type Network } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import * as tf from '@tensorflow/tfjs-core';
import { type ConformanceOptions, type ConformanceSetup, createSetup } from './setup';

/** A failed conformance requirement; the message says what was expected and what happened. */
export class ConformanceError extends Error {
  readonly check: string;
  constructor(check: string, message: string) {
    super(`[${check}] ${message}`);
    this.name = 'ConformanceError';
    this.check = check;
  }
}

export interface ConformanceCheck {
  readonly id: string;
  readonly title: string;
  run(): Promise<void>;
}

type Spec = CriterionSpec<CriterionContext<Network>>;

async function withSetup(
  options: ConformanceOptions,
  fn: (s: ConformanceSetup) => Promise<void>,
): Promise<void> {
  const s = createSetup(options);
  try {
    await fn(s);
  } finally {
    s.dispose();
  }
}

function baseContext(spec: Spec, s: ConformanceSetup, seed?: number): CriterionContext<Network> {
  return s.context({ data: spec.needsData ? s.data : false, seed });
}

/** Validates the structure of a score map against the network; returns scores by layer name. */
export function checkScoreShapes(
  check: string,
  scores: unknown,
  s: ConformanceSetup,
): Map<string, Float32Array> {
  if (!(scores instanceof Map)) {
    throw new ConformanceError(
      check,
      `score() must return a ScoreMap (a Map); got ${Object.prototype.toString.call(scores)}`,
    );
  }
  const expected = s.network.layers.map((l) => l.weightName);
  const got = [...(scores as ScoreMap).keys()];
  if (got.length !== expected.length || got.some((k, i) => k !== expected[i])) {
    throw new ConformanceError(
      check,
      `score() must return one entry per weight layer, in network order: expected keys [${expected.join(', ')}], got [${got.join(', ')}]`,
    );
  }
  const out = new Map<string, Float32Array>();
  for (const layer of s.network.layers) {
    const entry = (scores as ScoreMap).get(layer.weightName)!;
    const { rows, cols } = layer.shape;
    if (
      !entry ||
      typeof entry !== 'object' ||
      !entry.shape ||
      entry.shape.rows !== rows ||
      entry.shape.cols !== cols
    ) {
      throw new ConformanceError(
        check,
        `scores of '${layer.weightName}' must have shape ${rows} × ${cols}; got ${entry?.shape ? `${entry.shape.rows} × ${entry.shape.cols}` : 'no shape'}`,
      );
    }
    if (!(entry.scores instanceof Float32Array) || entry.scores.length !== rows * cols) {
      throw new ConformanceError(
        check,
        `scores of '${layer.weightName}' must be a Float32Array of rows · cols = ${rows * cols}; got ${
          entry.scores?.constructor?.name ?? typeof entry.scores
        }(${(entry.scores as { length?: number })?.length})`,
      );
    }
    out.set(layer.weightName, entry.scores);
  }
  return out;
}

function checkFinite(check: string, scores: Map<string, Float32Array>): void {
  for (const [name, s] of scores) {
    for (let i = 0; i < s.length; i++) {
      if (!Number.isFinite(s[i]))
        throw new ConformanceError(check, `score ${name}[${i}] is ${s[i]}; every score must be finite`);
    }
  }
}

/** Index of the first element whose bits differ, or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

function copy(m: Map<string, Float32Array>): Map<string, Float32Array> {
  return new Map([...m].map(([k, v]) => [k, v.slice()]));
}

function identical(
  a: Map<string, Float32Array>,
  b: Map<string, Float32Array>,
): { layer: string; index: number } | null {
  for (const [name, s] of a) {
    const i = firstDifference(s, b.get(name)!);
    if (i >= 0) return { layer: name, index: i };
  }
  return null;
}

async function score(
  check: string,
  spec: Spec,
  ctx: CriterionContext<Network>,
  s: ConformanceSetup,
): Promise<Map<string, Float32Array>> {
  let result: unknown;
  try {
    result = await spec.score(ctx);
  } catch (error) {
    throw new ConformanceError(
      check,
      `score() threw on a valid context: ${(error as Error)?.message ?? String(error)}`,
    );
  }
  return checkScoreShapes(check, result, s);
}

function snapshotInputs(s: ConformanceSetup) {
  const net = s.network;
  return {
    weights: net.layers.map((l) => net.weight(l.index).slice()),
    biases: net.layers.map((l) => net.bias(l.index)?.slice() ?? null),
    inputs: [s.data.inputs.slice(), s.otherData.inputs.slice()],
    labels: [s.data.labels?.slice(), s.otherData.labels?.slice()],
    mask: [...s.mask.values()].map((m) => m.clone()),
  };
}

function assertUnchanged(
  check: string,
  s: ConformanceSetup,
  before: ReturnType<typeof snapshotInputs>,
): void {
  const net = s.network;
  for (const l of net.layers) {
    if (firstDifference(net.weight(l.index), before.weights[l.index]) >= 0) {
      throw new ConformanceError(check, `score() modified the host weights of '${l.weightName}'`);
    }
    // An Mlp also keeps its weights as tensors (a ConvNet's live on the host only).
    const tensorValues = net instanceof Mlp ? (net.weightTensor(l.index).dataSync() as Float32Array) : null;
    if (tensorValues && firstDifference(tensorValues, before.weights[l.index]) >= 0) {
      throw new ConformanceError(
        check,
        `the weight tensor of '${l.weightName}' no longer matches the weights`,
      );
    }
    const b = net.bias(l.index);
    const b0 = before.biases[l.index];
    if (b && b0 && firstDifference(b, b0) >= 0)
      throw new ConformanceError(check, `score() modified the bias of layer ${l.index}`);
  }
  [s.data, s.otherData].forEach((d, i) => {
    if (firstDifference(d.inputs, before.inputs[i]) >= 0)
      throw new ConformanceError(check, 'score() modified the batch inputs');
    const l0 = before.labels[i];
    if (d.labels && l0 && d.labels.some((v, k) => v !== l0[k]))
      throw new ConformanceError(check, 'score() modified the batch labels');
  });
  [...s.mask.entries()].forEach(([name, m], i) => {
    if (!m.equals(before.mask[i]))
      throw new ConformanceError(check, `score() modified the current mask of '${name}'`);
  });
}

/** The checks for one criterion (see the table in this file's header). */
export function criterionChecks(spec: Spec, options: ConformanceOptions = {}): ConformanceCheck[] {
  const checks: ConformanceCheck[] = [
    {
      id: 'shapes',
      title: 'returns one score array per weight layer with the layer shape, in network order',
      run: () =>
        withSetup(options, async (s) => {
          await score('shapes', spec, baseContext(spec, s), s);
        }),
    },
    {
      id: 'finite',
      title: 'returns finite scores',
      run: () =>
        withSetup(options, async (s) => {
          checkFinite('finite', await score('finite', spec, baseContext(spec, s), s));
        }),
    },
    {
      id: 'deterministic',
      title: 'is deterministic under a seed',
      run: () =>
        withSetup(options, async (s) => {
          const a = copy(await score('deterministic', spec, baseContext(spec, s), s));
          const b = await score('deterministic', spec, baseContext(spec, s), s);
          const d = identical(a, b);
          if (d) {
            throw new ConformanceError(
              'deterministic',
              `two calls with the same seed differ at ${d.layer}[${d.index}]: ${a.get(d.layer)![d.index]} vs ${b.get(d.layer)![d.index]}; draw randomness only from ctx.rng`,
            );
          }
        }),
    },
    {
      id: 'no-leaks',
      title: 'leaks no tensors',
      run: () =>
        withSetup(options, async (s) => {
          const ctxs = [baseContext(spec, s)];
          if (spec.acceptsMask) ctxs.push(s.context({ data: spec.needsData ? s.data : false, mask: s.mask }));
          for (const ctx of ctxs) {
            const before = tf.memory().numTensors;
            await score('no-leaks', spec, ctx, s);
            const after = tf.memory().numTensors;
            if (after !== before) {
              throw new ConformanceError(
                'no-leaks',
                `score() left ${after - before} tensor(s) allocated${ctx.mask ? ' (with a mask)' : ''}; wrap tensor work in tf.tidy or dispose()`,
              );
            }
          }
        }),
    },
    {
      id: 'no-mutation',
      title: 'does not mutate weights, data, mask or context',
      run: () =>
        withSetup(options, async (s) => {
          const before = snapshotInputs(s);
          const ctx = s.context({
            data: spec.needsData ? s.data : false,
            mask: spec.acceptsMask ? s.mask : false,
          });
          let scores: Map<string, Float32Array>;
          try {
            scores = await score('no-mutation', spec, ctx, s);
          } catch (error) {
            if (
              error instanceof ConformanceError &&
              /read only|read-only|not extensible|Cannot assign/i.test(error.message)
            ) {
              throw new ConformanceError(
                'no-mutation',
                `score() wrote to the context object: ${error.message}`,
              );
            }
            throw error;
          }
          assertUnchanged('no-mutation', s, before);
          for (const l of s.network.layers) {
            if (scores.get(l.weightName)!.buffer === s.network.weight(l.index).buffer) {
              throw new ConformanceError(
                'no-mutation',
                `scores of '${l.weightName}' share memory with the weights; return a new Float32Array`,
              );
            }
          }
        }),
    },
    {
      id: 'needs-data',
      title: spec.needsData
        ? 'needsData: true — rejects a context without data, and uses the data'
        : 'needsData: false — works without data and ignores data given',
      run: () =>
        withSetup(options, async (s) => {
          if (spec.needsData) {
            let threw: unknown;
            try {
              await spec.score(s.context({ data: false }));
            } catch (error) {
              threw = error;
            }
            if (threw === undefined) {
              throw new ConformanceError(
                'needs-data',
                'declares needsData: true but scored a context without data',
              );
            }
            if (!(threw instanceof GraphonPaiError)) {
              throw new ConformanceError(
                'needs-data',
                `without data, score() must throw a typed GraphonPaiError (e.g. InvalidArgumentError('ctx.data', …)); it threw ${
                  (threw as Error)?.name ?? typeof threw
                }: ${(threw as Error)?.message ?? String(threw)}`,
              );
            }
            const a = copy(await score('needs-data', spec, s.context({ data: s.data }), s));
            const b = await score('needs-data', spec, s.context({ data: s.otherData }), s);
            if (identical(a, b) === null) {
              throw new ConformanceError(
                'needs-data',
                'declares needsData: true but two different batches give identical scores',
              );
            }
          } else {
            const a = copy(await score('needs-data', spec, s.context({ data: false }), s));
            const b = await score('needs-data', spec, s.context({ data: s.data }), s);
            const d = identical(a, b);
            if (d) {
              throw new ConformanceError(
                'needs-data',
                `declares needsData: false but scores change when data are given (at ${d.layer}[${d.index}])`,
              );
            }
          }
        }),
    },
  ];
  if (spec.acceptsMask) {
    checks.push({
      id: 'accepts-mask',
      title: 'acceptsMask: true — scores with a current mask',
      run: () =>
        withSetup(options, async (s) => {
          const data = spec.needsData ? s.data : false;
          const before = snapshotInputs(s);
          const masked = copy(await score('accepts-mask', spec, s.context({ data, mask: s.mask }), s));
          checkFinite('accepts-mask', masked);
          const again = await score('accepts-mask', spec, s.context({ data, mask: s.mask }), s);
          if (identical(masked, again) !== null)
            throw new ConformanceError('accepts-mask', 'scores with a mask are not deterministic');
          assertUnchanged('accepts-mask', s, before);
          const unmasked = await score('accepts-mask', spec, s.context({ data }), s);
          if (identical(masked, unmasked) === null) {
            throw new ConformanceError(
              'accepts-mask',
              'declares acceptsMask: true but the current mask does not change any score',
            );
          }
          if (options.prunedScoreZero) checkPrunedZero(masked, s.mask);
        }),
    });
  }
  return checks;
}

function checkPrunedZero(scores: Map<string, Float32Array>, mask: NetworkMask): void {
  for (const [name, m] of mask) {
    const s = scores.get(name)!;
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < m.cols; c++) {
        if (!m.get(r, c) && s[r * m.cols + c] !== 0) {
          throw new ConformanceError(
            'accepts-mask',
            `pruned weight ${name}[${r}, ${c}] scores ${s[r * m.cols + c]}; pruned weights must score exactly 0`,
          );
        }
      }
    }
  }
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly passed: boolean;
  readonly error?: Error;
}

/** Runs every check and collects the results (never throws for a failing check). */
export async function runCriterionConformance(
  spec: Spec,
  options: ConformanceOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of criterionChecks(spec, options)) {
    try {
      await c.run();
      results.push({ id: c.id, title: c.title, passed: true });
    } catch (error) {
      results.push({ id: c.id, title: c.title, passed: false, error: error as Error });
    }
  }
  return results;
}
