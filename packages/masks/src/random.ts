/**
 * Random masks: exact-count uniform masks, Bernoulli masks (density only in expectation), and the
 * within-layer shuffle of an existing mask (the sanity-check baseline of PaI).
 *
 * - `uniformRandomMask`: a uniformly random mask with an **exact** count in each scope — `global`
 *   (`round(d · N)` ones uniformly over all `N` weights) or per layer from any allocation (`layerwise`,
 *   `erk`, …). Sampling: selection sampling (Knuth, TAOCP vol. 2, §3.4.2, Algorithm S): scanning the
 *   scope in order, entry `t` is kept with probability `(k − kept) / (N − t)`, which yields exactly `k`
 *   ones, every k-subset equally likely. O(N) time, no scratch memory.
 * - `bernoulliMask`: every weight kept independently with probability `probability`; the kept count is
 *   Binomial(N, p): the density holds **only in expectation** (explicitly separate from the exact mode).
 * - `shuffleMask`: a uniformly random mask with the same count per layer (`preserve: 'layer'`, the layer-wise
 *   shuffle of Frankle et al. 2021 and Su et al. 2020), or with the same degree in every row (`'rows'`:
 *   keeps each output neuron's fan-in). Counts are preserved exactly.
 *
 * Randomness: `new Rng(seed)`, one child stream per layer (`fork(layerName)`; `fork('global')` for the
 * global scope), so a layer's mask does not depend on the other layers.
 *
 * References: Frankle, Dziugaite, Roy, Carbin, "Pruning neural networks at initialization: why are we
 * missing the mark?", ICLR 2021 (arXiv 2009.08576); Su et al., "Sanity-checking pruning methods: random
 * tickets can win the jackpot", NeurIPS 2020 (arXiv 2009.11094).
 *
 * @example
 * const m = uniformRandomMask(shapes, { density: 0.1, seed: 1 });            // exactly round(0.1 · N) ones
 * const b = bernoulliMask(shapes, { probability: 0.1, seed: 1 });             // about 10 %
 * const s = shuffleMask(snipMask, { seed: 1 });                               // same per-layer counts
 */
import {
  BitMatrix,
  InvalidArgumentError,
  type NetworkMask,
  Rng,
  type Seed,
  type SelectionScan,
  selectionSample,
} from '@graphon-pai/core';
import { type Allocation, allocateCounts, type LayerShapes, normalizeAllocation } from './allocation';
import { checkDensity, keptCount } from './density';
import { maskShapes } from './shapes';

export interface UniformRandomMaskOptions {
  /** Kept fraction in (0, 1]. */
  density: number;
  /** Seed of the random stream. */
  seed: Seed;
  /** Scope or allocation (default `'global'`). */
  allocation?: Allocation;
}

function checkSeed(seed: unknown): Seed {
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
    throw new InvalidArgumentError('seed', seed, 'a safe integer or a string', { fix: 'pass e.g. seed: 42' });
  }
  return seed as Seed;
}

function checkShapeMap(shapes: LayerShapes): void {
  if (!(shapes instanceof Map) || shapes.size === 0) {
    throw new InvalidArgumentError('shapes', shapes, 'a non-empty Map of layer name → {rows, cols}');
  }
  for (const [name, s] of shapes) {
    if (!(s && Number.isInteger(s.rows) && s.rows > 0 && Number.isInteger(s.cols) && s.cols > 0)) {
      throw new InvalidArgumentError(
        `shapes['${name}']`,
        s ? `${s.rows} × ${s.cols}` : s,
        'a layer shape with positive integer rows and cols',
      );
    }
  }
}

/** A uniformly random mask with an exact count per scope (see the file header). */
export function uniformRandomMask(shapes: LayerShapes, options: UniformRandomMaskOptions): NetworkMask {
  checkShapeMap(shapes);
  checkDensity(options.density);
  const rng = new Rng(checkSeed(options.seed));
  const allocation = normalizeAllocation(options.allocation ?? 'global');
  const out: NetworkMask = new Map();
  for (const [name, s] of shapes) out.set(name, new BitMatrix(s.rows, s.cols));
  if (allocation.kind === 'global') {
    let total = 0;
    for (const s of shapes.values()) total += s.rows * s.cols;
    const scan: SelectionScan = { need: keptCount(options.density, total), left: total };
    const stream = rng.fork('global');
    for (const m of out.values()) selectionSample(m, scan, stream);
    return out;
  }
  const counts = allocateCounts(shapes, options.density, allocation);
  for (const [name, m] of out) selectionSample(m, { need: counts.get(name)!, left: m.size }, rng.fork(name));
  return out;
}

export interface BernoulliMaskOptions {
  /** Probability of keeping each weight, in (0, 1]: the density only in expectation. */
  probability: number;
  seed: Seed;
}

/** Each weight kept independently with probability `probability` (the count is random). */
export function bernoulliMask(shapes: LayerShapes, options: BernoulliMaskOptions): NetworkMask {
  checkShapeMap(shapes);
  const p = checkDensity(options.probability, 'probability');
  const rng = new Rng(checkSeed(options.seed));
  const out: NetworkMask = new Map();
  for (const [name, s] of shapes) {
    const m = new BitMatrix(s.rows, s.cols);
    const stream = rng.fork(name);
    const { words, wordsPerRow } = m;
    for (let r = 0; r < s.rows; r++) {
      for (let c = 0; c < s.cols; c++)
        if (stream.uniform() < p) words[r * wordsPerRow + (c >>> 5)] |= 1 << (c & 31);
    }
    out.set(name, m);
  }
  return out;
}

export interface ShuffleMaskOptions {
  seed: Seed;
  /** What is preserved exactly: each layer's count (default) or each row's degree. */
  preserve?: 'layer' | 'rows';
}

/** A uniformly random re-arrangement of each layer's kept entries (counts preserved exactly). */
export function shuffleMask(mask: NetworkMask, options: ShuffleMaskOptions): NetworkMask {
  maskShapes(mask);
  const rng = new Rng(checkSeed(options.seed));
  const preserve = options.preserve ?? 'layer';
  if (preserve !== 'layer' && preserve !== 'rows') {
    throw new InvalidArgumentError('preserve', preserve, "'layer' or 'rows'");
  }
  const out: NetworkMask = new Map();
  for (const [name, m] of mask) {
    const shuffled = new BitMatrix(m.rows, m.cols);
    const stream = rng.fork(name);
    if (preserve === 'layer') selectionSample(shuffled, { need: m.nnz(), left: m.size }, stream);
    else {
      const degrees = m.rowDegrees();
      for (let r = 0; r < m.rows; r++)
        selectionSample(shuffled, { need: degrees[r], left: m.cols }, stream, r, r + 1);
    }
    out.set(name, shuffled);
  }
  return out;
}
