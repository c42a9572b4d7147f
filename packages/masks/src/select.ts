/**
 * Exact top-k selection: scores → bit-packed masks with exactly k ones.
 *
 * Definition. For a scope (all layers together, or one layer) with scores `s_1 … s_N` in **global order**
 * (layer order of the `ScoreMap`, then row-major inside a layer), the mask keeps the `k` entries ranked
 * first by the order "larger score first; among equal scores the lower global index first". This is
 * exactly what a stable descending sort followed by taking the first `k` entries gives (the reference in
 * the tests). `−0` and `+0` are equal scores.
 *
 * Non-finite scores. By default (`nonFinite: 'error'`) a NaN or ±∞ score is an error naming the layer and
 * the index. `nonFinite: 'rank'` orders them instead: +∞ above every number, −∞ below every number, NaN
 * below everything (never kept before a number).
 *
 * Eligibility. `within` (a mask of the same layers and shapes) restricts selection to its set entries:
 * entries outside it are never kept. Iterative schedules pass the previous round's mask here, which makes
 * pruning monotone (a pruned weight never comes back).
 *
 * Algorithm: linear time, no sort. Large scopes (N ≥ 2¹⁸) draw a deterministic sample of 2¹⁶ scores to
 * bracket the threshold, then one fused pass writes the certain keeps straight into the packed words and
 * collects the few candidates near the threshold, which an exact radix select settles. The fused pass runs
 * in a small WebAssembly SIMD kernel (`internal/wasm/fused.wat`, 4 lanes) on copied blocks of 2¹⁶ scores,
 * (honouring `within`), or in scalar JavaScript where WebAssembly SIMD is missing and for
 * `nonFinite: 'rank'`; all paths give the identical mask (tested). When the bracket
 * misses or ties make the candidate set large, a two-digit radix select on the float bit patterns (three
 * passes) runs instead. Both give the same mask. Memory: the output masks plus O(N/16) candidate scratch
 * touched only as needed; scores are never copied.
 *
 * @example
 * const mask = selectTopK(scores, keptCount(0.1, scoreMapSize(scores)));   // global, 10 % kept
 * const perLayer = selectLayerCounts(scores, new Map([['fc1', 100], ['fc2', 10]]));
 *
 * References: Floyd & Rivest, "Expected time bounds for selection", CACM 1975 (sampling bracket);
 * radix select on IEEE-754 bit patterns (order-preserving integer keys).
 */
import { BitMatrix, InvalidArgumentError, type NetworkMask, type ScoreMap } from '@graphon-pai/core';
import {
  type EngineLayer,
  findNonFinite,
  findThreshold,
  SelectionWorkspace,
  selectBySampling,
  writeMasks,
} from './internal/radix-select';
import { fusedKernel } from './internal/wasm/fused-kernel';
import { checkScores } from './shapes';

export { SelectionWorkspace };

/** What to do with NaN and ±∞ scores. */
export type NonFinitePolicy = 'error' | 'rank';

export interface SelectOptions {
  /** NaN / ±∞ handling (default `'error'`). */
  nonFinite?: NonFinitePolicy;
  /** Only entries set in this mask may be kept (same layer names and shapes as the scores). */
  within?: NetworkMask;
  /** Scratch memory to reuse across calls (iterative schedules). */
  workspace?: SelectionWorkspace;
}

const SAMPLING_MIN = 1 << 18;

/** Validates scores, `within` and the policy; returns the engine's view of each layer and the total. */
function prepare(scores: ScoreMap, options: SelectOptions): { names: string[]; total: number } {
  const total = checkScores(scores);
  if (total > 0xffffffff) {
    throw new InvalidArgumentError('scores', total, 'at most 2³² − 1 weights in total');
  }
  const policy = options.nonFinite ?? 'error';
  if (policy !== 'error' && policy !== 'rank') {
    throw new InvalidArgumentError('nonFinite', policy, "'error' or 'rank'");
  }
  const within = options.within;
  if (within !== undefined) checkWithin(scores, within);
  return { names: [...scores.keys()], total };
}

function checkWithin(scores: ScoreMap, within: NetworkMask): void {
  if (!(within instanceof Map)) throw new InvalidArgumentError('within', within, 'a NetworkMask');
  for (const [name, layer] of scores) {
    const m = within.get(name);
    if (m === undefined) {
      throw new InvalidArgumentError(
        'within',
        name,
        `a mask with a layer '${name}' (every scored layer needs one)`,
        {
          fix: 'pass the mask of the same network the scores come from',
        },
      );
    }
    if (m.rows !== layer.shape.rows || m.cols !== layer.shape.cols) {
      throw new InvalidArgumentError(
        `within['${name}']`,
        `${m.rows} × ${m.cols}`,
        `a ${layer.shape.rows} × ${layer.shape.cols} mask (the shape of the scores)`,
      );
    }
  }
  for (const name of within.keys()) {
    if (!scores.has(name)) {
      throw new InvalidArgumentError('within', name, 'a mask whose layers all have scores', {
        fix: `remove layer '${name}' from the mask or score it`,
      });
    }
  }
}

function engineLayers(
  scores: ScoreMap,
  names: readonly string[],
  within: NetworkMask | undefined,
): {
  layers: EngineLayer[];
  masks: BitMatrix[];
} {
  const layers: EngineLayer[] = [];
  const masks: BitMatrix[] = [];
  for (const name of names) {
    const { shape, scores: s } = scores.get(name)!;
    const mask = new BitMatrix(shape.rows, shape.cols);
    masks.push(mask);
    layers.push({
      bits: new Int32Array(s.buffer, s.byteOffset, s.length),
      rows: shape.rows,
      cols: shape.cols,
      within: within ? within.get(name)!.words : null,
      out: mask.words,
    });
  }
  return { layers, masks };
}

function throwNonFinite(
  scores: ScoreMap,
  names: readonly string[],
  hit: { layer: number; index: number },
): never {
  const name = names[hit.layer];
  const { shape, scores: s } = scores.get(name)!;
  const row = Math.floor(hit.index / shape.cols);
  const col = hit.index - row * shape.cols;
  throw new InvalidArgumentError(`scores['${name}'][${row}, ${col}]`, s[hit.index], 'a finite score', {
    fix: "fix the criterion or the data that produced it, or pass nonFinite: 'rank' to rank NaN lowest and ±∞ at the ends",
  });
}

/** Core: exactly `k` entries kept over `layers` (caller validated 0 ≤ k ≤ eligible). */
function runSelection(
  scores: ScoreMap,
  names: readonly string[],
  layers: EngineLayer[],
  masks: BitMatrix[],
  total: number,
  eligible: number,
  k: number,
  options: SelectOptions,
): void {
  const policy = options.nonFinite ?? 'error';
  const generic = policy === 'rank' || layers.some((l) => l.within !== null);
  const ws = options.workspace ?? new SelectionWorkspace();
  const large = total >= SAMPLING_MIN;
  // Large scopes detect non-finite scores inside the fused pass (the SIMD kernel, or the fast JS pass);
  // every other case scans up front.
  const fusedChecks =
    large && (!generic || (policy === 'error' && ws.engine === 'auto' && fusedKernel() !== null));
  let checked = false;
  const check = (): void => {
    if (policy !== 'error' || checked) return;
    checked = true;
    const hit = findNonFinite(layers);
    if (hit) throwNonFinite(scores, names, hit);
  };
  if (!fusedChecks || k === 0 || k === eligible) check();
  if (k === 0) return;
  if (k === eligible) {
    for (let l = 0; l < layers.length; l++) {
      const w = layers[l].within;
      if (w) masks[l].words.set(w);
      else fillOnes(masks[l]);
    }
    return;
  }
  if (large) {
    if (selectBySampling(layers, total, k, generic, ws, policy === 'rank')) return;
    // The bracket missed, ties overflowed the candidates, or a non-finite score was seen.
    check();
    for (const layer of layers) layer.out.fill(0);
  }
  const threshold = findThreshold(layers, k, generic, ws.hist);
  writeMasks(layers, threshold, generic);
}

function fillOnes(m: BitMatrix): void {
  const { words, wordsPerRow, cols } = m;
  words.fill(0xffffffff);
  const tail = cols & 31;
  if (tail !== 0) {
    const last = (1 << tail) - 1;
    for (let r = 0; r < m.rows; r++) words[r * wordsPerRow + wordsPerRow - 1] = last;
  }
}

function countEligible(within: NetworkMask | undefined, names: readonly string[], scores: ScoreMap): number {
  let n = 0;
  for (const name of names) {
    const m = within?.get(name);
    n += m ? m.nnz() : scores.get(name)!.scores.length;
  }
  return n;
}

/**
 * Global top-k: exactly `k` entries kept over all layers together (global order = layer order, then
 * row-major; ties keep the lower global index).
 */
export function selectTopK(scores: ScoreMap, k: number, options: SelectOptions = {}): NetworkMask {
  const { names, total } = prepare(scores, options);
  const eligible = countEligible(options.within, names, scores);
  if (!(Number.isInteger(k) && k >= 0 && k <= eligible)) {
    throw new InvalidArgumentError(
      'k',
      k,
      `an integer in [0, ${eligible}] (the number of eligible weights)`,
      {
        fix: 'compute k with keptCount(density, total)',
      },
    );
  }
  const { layers, masks } = engineLayers(scores, names, options.within);
  runSelection(scores, names, layers, masks, total, eligible, k, options);
  return new Map(names.map((name, i) => [name, masks[i]]));
}

/**
 * Per-layer top-k: layer `name` keeps exactly `counts.get(name)` entries (its own scope). Every scored
 * layer needs a count.
 */
export function selectLayerCounts(
  scores: ScoreMap,
  counts: ReadonlyMap<string, number>,
  options: SelectOptions = {},
): NetworkMask {
  const { names } = prepare(scores, options);
  if (!(counts instanceof Map))
    throw new InvalidArgumentError('counts', counts, 'a Map of layer name → kept count');
  for (const name of counts.keys()) {
    if (!scores.has(name)) {
      throw new InvalidArgumentError('counts', name, 'counts only for scored layers', {
        fix: `remove '${name}' or check the layer names (${names.join(', ')})`,
      });
    }
  }
  const out: NetworkMask = new Map();
  for (const name of names) {
    const k = counts.get(name);
    const layerScores: ScoreMap = new Map([[name, scores.get(name)!]]);
    const eligible = countEligible(options.within, [name], scores);
    if (!(typeof k === 'number' && Number.isInteger(k) && k >= 0 && k <= eligible)) {
      throw new InvalidArgumentError(
        `counts['${name}']`,
        k,
        `an integer in [0, ${eligible}] (eligible weights of the layer)`,
        {
          fix: 'give every scored layer a kept count no larger than its eligible weights',
        },
      );
    }
    const { layers, masks } = engineLayers(layerScores, [name], options.within);
    runSelection(layerScores, [name], layers, masks, layers[0].bits.length, eligible, k, options);
    out.set(name, masks[0]);
  }
  return out;
}
