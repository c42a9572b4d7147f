/**
 * The pruning pipeline: network + criterion + data + density + scope/allocation + schedule + seed →
 * an exact-density `NetworkMask` with a provenance record.
 *
 * Steps (R rounds; one-shot is R = 1):
 *
 * 1. Resolve the criterion id through the plugin registry (`registry.criterion(id)`): built-ins
 *    (`snip`, `graphon-pai/synflow`, …; registered on first use) and plugins (`acme/…`) go the same way.
 * 2. Final counts: `global` → `K = round(d · N)`; otherwise exact per-layer counts `K_l` from the
 *    allocation. `{ kind: 'induced', criterion }` first runs a one-shot global selection of that criterion at
 *    density `d` and uses its layer counts.
 * 3. Round `r`: score the network with the current mask in the context (criteria that accept a mask score
 *    the masked network), then keep the top `k_r` (global) or `k_{l,r}` (per layer) **inside the current
 *    mask** (`countSchedule`). Pruning is monotone; the last round ends exactly at `K` / `K_l`.
 *
 * 4. The final mask's statistics are computed; layer collapse (no input→output path left) is an error
 *    unless `onCollapse: 'warn'` or `'ignore'`.
 *
 * Schedule default: the criterion's `defaultSchedule` (SynFlow: 100 exponential rounds), else one-shot.
 * Randomness: the criterion receives `new Rng(seed)` in every round (its streams depend on the seed only).
 *
 * @example
 * const { mask, provenance } = await prune({ network, criterion: 'snip', data: batch, density: 0.05, seed: 0 });
 * const sf = await prune({ network, criterion: 'synflow', density: 0.01, seed: 0 }); // 100 rounds by default
 */
import {
  InvalidArgumentError,
  type NetworkMask,
  type PluginRegistry,
  registry as defaultRegistry,
  Rng,
  type ScoreMap,
  type Seed,
} from '@graphon-pai/core';
import { type Batch, isNetwork, type LossName, type Network } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria, SALIENCY_VERSION } from '@graphon-pai/saliency';
import { type Allocation, allocateCounts, normalizeAllocation } from './allocation';
import { checkDensity, keptCount } from './density';
import { type NonFinitePolicy, SelectionWorkspace, selectLayerCounts, selectTopK } from './select';
import { countSchedule, type NormalizedSchedule, normalizeSchedule, type Schedule } from './schedule';
import { type MaskStatistics, maskStatistics } from './statistics';
import { MASKS_VERSION } from './version';

/** An allocation, or the layer counts induced by a one-shot global run of another criterion. */
export type PruneAllocation =
  | Allocation
  | {
      readonly kind: 'induced';
      readonly criterion: string;
      readonly options?: Readonly<Record<string, unknown>>;
    };

export interface PruneOptions {
  /** An `Mlp` or a `ConvNet` (convolution masks are `out × in·kh·kw`, see `LayerShape`). */
  network: Network;
  /** Criterion id: a built-in (`snip`) or `namespace/id` of a registered plugin. */
  criterion: string;
  /** Kept fraction in (0, 1]. */
  density: number;
  seed: Seed;
  data?: Batch | readonly Batch[];
  loss?: LossName;
  /** Criterion-specific options (passed as `ctx.options`). */
  options?: Readonly<Record<string, unknown>>;
  /** Scope or allocation (default `'global'`). */
  allocation?: PruneAllocation;
  /** Default: the criterion's `defaultSchedule`, else one-shot. */
  schedule?: Schedule;
  nonFinite?: NonFinitePolicy;
  /** Registry to resolve ids in (default: core's process-wide registry). */
  registry?: PluginRegistry;
  /** Called after every round. */
  onRound?: (info: RoundInfo) => void;
  /** Layer collapse of the final mask (no input→output path): throw (default), warn, or ignore. */
  onCollapse?: 'error' | 'warn' | 'ignore';
  /** Receives warnings with `onCollapse: 'warn'` (default `process.emitWarning`). */
  onWarning?: (message: string) => void;
}

export interface RoundInfo {
  readonly round: number;
  readonly rounds: number;
  readonly kept: number;
  /** The scores this round selected from (round 1: the criterion's scores of the unpruned network). */
  readonly scores: ScoreMap;
  readonly scoringMs: number;
  readonly selectionMs: number;
}

export interface Provenance {
  readonly criterion: string;
  readonly criterionPlugin: { readonly name: string; readonly version: string };
  readonly options: Readonly<Record<string, unknown>>;
  readonly density: number;
  readonly kept: number;
  readonly total: number;
  readonly allocation: unknown;
  readonly schedule: NormalizedSchedule;
  readonly seed: Seed;
  readonly nonFinite: NonFinitePolicy;
  readonly packages: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

export interface PruneResult {
  readonly mask: NetworkMask;
  readonly provenance: Provenance;
  /** Kept count after each round. */
  readonly keptPerRound: readonly number[];
  readonly timings: { readonly scoringMs: number; readonly selectionMs: number; readonly totalMs: number };
  /** Statistics of the final mask (degrees, effective paths/nodes/params, collapse). */
  readonly statistics: MaskStatistics;
}

function describeAllocation(a: PruneAllocation): unknown {
  if (typeof a === 'string') return a;
  if (a.kind === 'induced' && 'mask' in a) return { kind: 'induced', from: 'mask' };
  return a;
}

function resolveCriterion(reg: PluginRegistry, id: string) {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError('criterion', id, "a criterion id such as 'snip' or 'acme/my-criterion'");
  }
  // Built-ins come with @graphon-pai/saliency; registering them is idempotent.
  registerBuiltinCriteria(reg);
  return reg.criterion<CriterionContext<Network>>(id);
}

async function score(
  spec: { score(ctx: CriterionContext<Network>): ScoreMap | Promise<ScoreMap> },
  ctx: CriterionContext<Network>,
  network: Network,
  id: string,
): Promise<ScoreMap> {
  const scores = await spec.score(ctx);
  if (!(scores instanceof Map)) {
    throw new InvalidArgumentError(`criterion '${id}'`, scores, 'a criterion returning a ScoreMap');
  }
  for (const layer of network.layers) {
    const s = scores.get(layer.weightName);
    if (!s || s.shape.rows !== layer.shape.rows || s.shape.cols !== layer.shape.cols) {
      throw new InvalidArgumentError(
        `scores['${layer.weightName}']`,
        s ? `${s.shape.rows} × ${s.shape.cols}` : undefined,
        `a ${layer.shape.rows} × ${layer.shape.cols} score array from criterion '${id}' (one per layer)`,
        { fix: 'the criterion must score every maskable layer with its shape' },
      );
    }
  }
  // Score maps are re-keyed in network order (the global tie-break order).
  return new Map(network.layers.map((l) => [l.weightName, scores.get(l.weightName)!]));
}

/** Runs the pipeline (see the file header). */
export async function prune(options: PruneOptions): Promise<PruneResult> {
  const t0 = performance.now();
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an object { network, criterion, density, seed, … }');
  }
  const { network, density, seed } = options;
  if (!isNetwork(network)) {
    throw new InvalidArgumentError('network', network, 'an Mlp or a ConvNet from @graphon-pai/nets');
  }
  checkDensity(density);
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
    throw new InvalidArgumentError('seed', seed, 'a safe integer or a string', { fix: 'pass e.g. seed: 0' });
  }
  const reg = options.registry ?? defaultRegistry;
  const entry = resolveCriterion(reg, options.criterion);
  if (entry.spec.needsData && options.data === undefined) {
    throw new InvalidArgumentError('data', undefined, `a batch: criterion '${entry.id}' needs data`, {
      fix: 'pass data (e.g. await mnistSubset({ count: 256 })) or use a data-free criterion such as synflow',
    });
  }
  const schedule = normalizeSchedule(options.schedule ?? entry.spec.defaultSchedule ?? 'one-shot');
  const nonFinite = options.nonFinite ?? 'error';
  const allocationIn: PruneAllocation = options.allocation ?? 'global';
  const shapes = network.shapes();
  const names = network.layers.map((l) => l.weightName);
  const sizes = names.map((n) => shapes.get(n)!.rows * shapes.get(n)!.cols);
  const total = sizes.reduce((a, b) => a + b, 0);
  const baseCtx = { network, data: options.data, loss: options.loss, options: options.options };
  const ws = new SelectionWorkspace();

  // Final counts.
  let allocation: Exclude<Allocation, string>;
  if (typeof allocationIn === 'object' && allocationIn.kind === 'induced' && 'criterion' in allocationIn) {
    const ref = resolveCriterion(reg, allocationIn.criterion);
    if (ref.spec.needsData && options.data === undefined) {
      throw new InvalidArgumentError(
        'data',
        undefined,
        `a batch: criterion '${ref.id}' (allocation) needs data`,
      );
    }
    const refScores = await score(
      ref.spec,
      { ...baseCtx, options: allocationIn.options, rng: new Rng(seed) },
      network,
      ref.id,
    );
    const refMask = selectTopK(refScores, keptCount(density, total), { nonFinite, workspace: ws });
    allocation = { kind: 'induced', mask: refMask };
  } else {
    allocation = normalizeAllocation(allocationIn as Allocation);
  }
  const global = allocation.kind === 'global';
  const finalCounts = global ? null : allocateCounts(shapes, density, allocation);
  const K = global ? keptCount(density, total) : [...finalCounts!.values()].reduce((a, b) => a + b, 0);
  const globalCounts = global ? countSchedule(K, total, schedule) : null;
  const layerCounts = global
    ? null
    : new Map(names.map((n, l) => [n, countSchedule(finalCounts!.get(n)!, sizes[l], schedule)]));
  const rounds = schedule.kind === 'one-shot' ? 1 : schedule.rounds;

  let mask: NetworkMask | undefined;
  let scoringMs = 0;
  let selectionMs = 0;
  const keptPerRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ts = performance.now();
    const ctx: CriterionContext<Network> = { ...baseCtx, mask, rng: new Rng(seed) };
    const scores = await score(entry.spec, ctx, network, entry.id);
    const tm = performance.now();
    const select = { nonFinite, within: mask, workspace: ws };
    mask = global
      ? selectTopK(scores, globalCounts![r], select)
      : selectLayerCounts(scores, new Map(names.map((n) => [n, layerCounts!.get(n)![r]])), select);
    const te = performance.now();
    scoringMs += tm - ts;
    selectionMs += te - tm;
    const kept = global ? globalCounts![r] : names.reduce((a, n) => a + layerCounts!.get(n)![r], 0);
    keptPerRound.push(kept);
    options.onRound?.({ round: r + 1, rounds, kept, scores, scoringMs: tm - ts, selectionMs: te - tm });
  }
  const statistics = maskStatistics(mask!, {
    onCollapse: options.onCollapse ?? 'error',
    onWarning: options.onWarning,
  });
  const provenance: Provenance = {
    criterion: entry.id,
    criterionPlugin: { name: entry.plugin.name, version: entry.plugin.version },
    options: options.options ?? {},
    density,
    kept: K,
    total,
    allocation: describeAllocation(allocationIn),
    schedule,
    seed,
    nonFinite,
    packages: {
      '@graphon-pai/masks': MASKS_VERSION,
      '@graphon-pai/saliency': SALIENCY_VERSION,
      [entry.plugin.name]: entry.plugin.version,
    },
    createdAt: new Date().toISOString(),
  };
  return {
    mask: mask!,
    provenance,
    keptPerRound,
    statistics,
    timings: { scoringMs, selectionMs, totalMs: performance.now() - t0 },
  };
}
