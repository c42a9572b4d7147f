/**
 * The plug-in limit of a criterion's first-layer mask (paper arXiv 2602.06675; the limit of a data-driven
 * criterion is a graphon indexed by neuron type). A criterion scores neuron `j`'s edges through the neuron
 * itself `(w_j, a_j)` and a network-wide signal (`neuron-scorer.ts`); the limit as the layer widens is
 * estimated by scoring `N_ref` **fresh** neurons drawn from the initialisation law with the **same** signal,
 * keeping the top `k = round(p · N_ref · d)` of their scores (ties: lower row-major index first, as
 * `@graphon-pai/masks`), and reading the resulting `N_ref × d` mask as the limit's sample. For random and
 * magnitude this is a wide mask of the same kind.
 *
 * Streaming: fresh neurons come in chunks of {@link PLUGIN_CHUNK} ({@link FreshNeurons}: chunk `c` draws
 * standard normals from `Rng(seed).fork('plugin-limit').fork(c)`, first-layer rows then readout columns,
 * scaled by the law), so a neuron depends only on the seed and its chunk, and every pass sees the same
 * neurons. Scores are never
 * held for all neurons: a pilot of the first chunks (kept) gives the threshold's quantile window
 * `[q(p + w), q(p − w)]`, with `w` six standard errors of the pilot's kept fraction (neuron-to-neuron and
 * edge sampling); one pass then sets every entry above the window in the bit-packed mask and collects the
 * entries inside it; the exact top-k is completed from those. If the k-th score falls outside the window
 * (probability ≈ 1e-9), the pass is repeated with a four times wider window, so the result is always the
 * exact top-k. Memory: the `N_ref × d` bit matrix (13 MB at 131072 × 784), the pilot's scores, the
 * candidates (≈ 2w · N_ref · d entries of 8 bytes) and one chunk.
 *
 * Fresh-neuron law ({@link NeuronLaw}): Gaussian first-layer rows `N(0, weightStd²)` and readout columns
 * `N(0, readoutStd²)`; the default is the network's own initialisation when it is Kaiming normal (standard
 * parametrisation: `√2 / √d` and `√2 / √n`) or NTK (`1`, `1`), checked against the network's empirical
 * weight scale (a different initialisation must pass `law`).
 *
 * @example
 * const limit = pluginLimit(neuronScorer('snip', ctx), ctx.network, { density: 0.1, referenceWidth: 8192 });
 * limit.mask.rows === 8192;
 */
import { BitMatrix, InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import { ConvNet, type Mlp } from '@graphon-pai/nets';
import { convNetworkUnsupported, type NeuronScorer, type PluginCriterion } from './neuron-scorer';

/** Neurons per streaming chunk (part of the stream's definition: results depend on it). */
export const PLUGIN_CHUNK = 512;
/** Neurons of the pilot that places the threshold window. */
const PILOT = 2048;
/** Default memory budget of a plug-in computation, bytes. */
export const PLUGIN_MEMORY_BYTES = 2 ** 31;

/** The Gaussian law fresh neurons are drawn from. */
export interface NeuronLaw {
  /** Standard deviation of a first-layer weight w_ji. */
  weightStd: number;
  /** Standard deviation of a readout weight a_kj. */
  readoutStd: number;
}

export interface PluginLimitOptions {
  /** Kept fraction p. */
  density: number;
  /** N_ref, the number of fresh neurons (rows of the limit mask). */
  referenceWidth: number;
  /** Seed of the fresh neurons (default 0). */
  seed?: Seed;
  /** Fresh-neuron law (default: the network's initialisation, see the file header). */
  law?: NeuronLaw;
  /** Memory budget in bytes (default {@link PLUGIN_MEMORY_BYTES}). */
  memoryBytes?: number;
  /**
   * The fresh neurons (their `count` must be `referenceWidth`), e.g. one cached set shared by every width of a
   * sweep; default: `new FreshNeurons(seed, referenceWidth, d, K)`, regenerated on each pass.
   */
  neurons?: FreshNeurons;
}

export interface PluginLimit {
  readonly criterion: PluginCriterion;
  /** The `N_ref × d` limit mask (exactly `kept` ones). */
  readonly mask: BitMatrix;
  readonly referenceWidth: number;
  readonly kept: number;
  /** The k-th largest reference score. */
  readonly threshold: number;
  readonly law: NeuronLaw;
  /** Passes over the fresh neurons (1 unless the threshold window had to widen). */
  readonly passes: number;
}

/** Order-preserving map of a float32 bit pattern to an unsigned key (−0 must already read +0). */
function keyOf(bits: number): number {
  return (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
}

function scoreOfKey(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key;
  return new Float32Array(Uint32Array.of(bits >>> 0).buffer)[0];
}

function rms(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s / values.length);
}

/** The default fresh-neuron law of `network`, checked against its empirical weight scales. */
export function defaultNeuronLaw(network: Mlp): NeuronLaw {
  if (network instanceof ConvNet) throw convNetworkUnsupported(network, 'the plug-in limit');
  const [first, second] = network.layers;
  const ntk = network.config.parametrization === 'ntk';
  const law = {
    weightStd: ntk ? 1 : Math.SQRT2 / Math.sqrt(first.shape.cols),
    readoutStd: ntk ? 1 : Math.SQRT2 / Math.sqrt(second.shape.cols),
  };
  for (const [l, std] of [
    [0, law.weightStd],
    [1, law.readoutStd],
  ] as const) {
    const w = network.weight(l);
    const tolerance = 6 / Math.sqrt(2 * w.length);
    if (Math.abs(rms(w) / std - 1) > tolerance) {
      throw new InvalidArgumentError(
        'law',
        undefined,
        `a fresh-neuron law: layer ${l}'s weights have scale ${rms(w).toPrecision(3)}, not the Kaiming-normal ${std.toPrecision(3)}`,
        { fix: 'pass law: { weightStd, readoutStd } matching the network initialisation' },
      );
    }
  }
  return law;
}

/**
 * The fresh neurons of a plug-in limit as standard normals, chunk by chunk: chunk `c` draws its first-layer
 * rows (`count × d`) then its readout columns (`count × K`) from `Rng(seed).fork('plugin-limit').fork(c)`;
 * the random criterion's uniforms come from that stream's `fork('scores')`. The law's standard deviations
 * scale them at use, so one `FreshNeurons` serves every width of a sweep (the readout scale depends on the
 * width). Chunks are kept in memory up to `cacheBytes` (default 0: regenerated on every pass).
 */
export class FreshNeurons {
  readonly count: number;
  readonly inputs: number;
  readonly outputs: number;
  private readonly root: Rng;
  private readonly cache = new Map<number, { w: Float32Array; a: Float32Array }>();
  private cached = 0;

  constructor(
    seed: Seed,
    count: number,
    inputs: number,
    outputs: number,
    private readonly cacheBytes = 0,
  ) {
    for (const [name, v] of [
      ['count', count],
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      if (!(Number.isSafeInteger(v) && v >= 1)) throw new InvalidArgumentError(name, v, 'a positive integer');
    }
    this.count = count;
    this.inputs = inputs;
    this.outputs = outputs;
    this.root = new Rng(seed).fork('plugin-limit');
  }

  /** Neurons in chunk `c`. */
  chunkSize(c: number): number {
    return Math.min(PLUGIN_CHUNK, this.count - c * PLUGIN_CHUNK);
  }

  /** Standard-normal rows `w` and readouts `a` of chunk `c`. */
  chunk(c: number): { w: Float32Array; a: Float32Array } {
    const hit = this.cache.get(c);
    if (hit) return hit;
    const n = this.chunkSize(c);
    const rng = this.root.fork(c);
    const w = rng.normalArray(n * this.inputs, 0, 1, new Float32Array(n * this.inputs));
    const a = rng.normalArray(n * this.outputs, 0, 1, new Float32Array(n * this.outputs));
    const bytes = (w.length + a.length) * 4;
    if (this.cached + bytes <= this.cacheBytes) {
      this.cache.set(c, { w, a });
      this.cached += bytes;
    }
    return { w, a };
  }

  /** The stream of the random criterion's uniforms in chunk `c`. */
  scoreStream(c: number): Rng {
    return this.root.fork(c).fork('scores');
  }
}

/** Growable (key, index) candidate list. */
class Candidates {
  keys = new Uint32Array(1024);
  index = new Float64Array(1024);
  length = 0;
  push(key: number, index: number): void {
    if (this.length === this.keys.length) {
      const keys = new Uint32Array(this.length * 2);
      keys.set(this.keys);
      const index = new Float64Array(this.length * 2);
      index.set(this.index);
      this.keys = keys;
      this.index = index;
    }
    this.keys[this.length] = key;
    this.index[this.length++] = index;
  }
  /** The `take` largest (key descending, index ascending). */
  top(take: number): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((x, y) => this.keys[y] - this.keys[x] || this.index[x] - this.index[y]);
    return order.subarray(0, take);
  }
}

/** The plug-in limit mask of `scorer`'s criterion on the network it was built from (see the file header). */
export function pluginLimit(scorer: NeuronScorer, network: Mlp, options: PluginLimitOptions): PluginLimit {
  if (network instanceof ConvNet) throw convNetworkUnsupported(network, 'the plug-in limit');
  const { density, referenceWidth: N } = options;
  if (!(typeof density === 'number' && density > 0 && density <= 1)) {
    throw new InvalidArgumentError('density', density, 'a number in (0, 1] (the kept fraction)');
  }
  if (!(Number.isSafeInteger(N) && N >= 1)) {
    throw new InvalidArgumentError('referenceWidth', N, 'a positive integer number of fresh neurons');
  }
  const d = scorer.inputs;
  const K = scorer.outputs;
  const total = N * d;
  const budget = options.memoryBytes ?? PLUGIN_MEMORY_BYTES;
  const maskBytes = N * Math.ceil(d / 32) * 4;
  const pilotNeurons = Math.min(N, PILOT);
  const needed = maskBytes + pilotNeurons * d * 8 + PLUGIN_CHUNK * d * 8;
  if (needed > budget || total >= 2 ** 32) {
    throw new InvalidArgumentError(
      'referenceWidth',
      N,
      `a reference width whose ${N} × ${d} limit mask fits the memory budget (needs ≥ ${(needed / 2 ** 20).toFixed(0)} MiB of ${(budget / 2 ** 20).toFixed(0)} MiB)`,
      { fix: 'lower the reference width, or raise memoryBytes if the machine has the memory' },
    );
  }
  const law = options.law ?? defaultNeuronLaw(network);
  const neurons = options.neurons ?? new FreshNeurons(options.seed ?? 0, N, d, K);
  if (neurons.count !== N || neurons.inputs !== d || neurons.outputs !== K) {
    throw new InvalidArgumentError(
      'neurons',
      `${neurons.count} neurons of ${neurons.inputs} → ${neurons.outputs}`,
      `${N} fresh neurons of ${d} inputs and ${K} outputs (referenceWidth and the network)`,
    );
  }
  const k = Math.round(density * total);
  const chunks = Math.ceil(N / PLUGIN_CHUNK);
  const countOf = (c: number) => Math.min(PLUGIN_CHUNK, N - c * PLUGIN_CHUNK);
  const w = new Float32Array(PLUGIN_CHUNK * d);
  const a = new Float32Array(PLUGIN_CHUNK * K);
  const scoreChunk = (c: number, out: Float32Array) => {
    const z = neurons.chunk(c);
    for (let q = 0; q < z.w.length; q++) w[q] = law.weightStd * z.w[q];
    for (let q = 0; q < z.a.length; q++) a[q] = law.readoutStd * z.a[q];
    scorer.score(w, a, countOf(c), neurons.scoreStream(c), out);
    const bits = new Uint32Array(out.buffer, out.byteOffset, countOf(c) * d);
    const keys = new Uint32Array(bits.length);
    for (let q = 0; q < bits.length; q++) {
      if (Number.isNaN(out[q])) {
        throw new InvalidArgumentError(
          'scores',
          Number.NaN,
          `finite scores from criterion ${scorer.criterion}`,
        );
      }
      keys[q] = keyOf(out[q] === 0 ? 0 : bits[q]);
    }
    return keys;
  };
  // Pilot: the first chunks, kept as keys.
  const pilotChunks = Math.ceil(pilotNeurons / PLUGIN_CHUNK);
  const buffer = new Float32Array(PLUGIN_CHUNK * d);
  const pilot: Uint32Array[] = [];
  for (let c = 0; c < pilotChunks; c++) pilot.push(scoreChunk(c, buffer));
  const pilotKeys = new Uint32Array(pilotNeurons * d);
  pilot.forEach((keys, c) => {
    pilotKeys.set(keys, c * PLUGIN_CHUNK * d);
  });
  const sorted = pilotKeys.slice().sort().reverse();
  const m = pilotNeurons;
  const pilotCut = sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(density * m * d) - 1))];
  let mean = 0;
  let sq = 0;
  for (let j = 0; j < m; j++) {
    let kept = 0;
    for (let i = 0; i < d; i++) if (pilotKeys[j * d + i] >= pilotCut) kept++;
    mean += kept / d;
    sq += (kept / d) ** 2;
  }
  mean /= m;
  const neuronSd = Math.sqrt(Math.max(0, sq / m - mean * mean));
  let halfWidth =
    6 * (neuronSd / Math.sqrt(m) + Math.sqrt((density * (1 - density)) / (m * d))) + 2 / (m * d);
  const rankKey = (fraction: number) => {
    const r = Math.round(fraction * m * d);
    if (r <= 0) return 0xffffffff;
    if (r > sorted.length) return 0;
    return sorted[r - 1];
  };
  for (let passes = 1; ; passes++) {
    const exhaustive = m === N || halfWidth >= 1;
    const hiKey = exhaustive ? 0xffffffff : rankKey(density - halfWidth);
    const loKey = exhaustive ? 0 : rankKey(density + halfWidth);
    const mask = new BitMatrix(N, d);
    const candidates = new Candidates();
    let above = 0;
    let lowestAbove = 0xffffffff;
    for (let c = 0; c < chunks; c++) {
      const keys = c < pilotChunks ? pilot[c] : scoreChunk(c, buffer);
      const offset = c * PLUGIN_CHUNK * d;
      for (let q = 0; q < keys.length; q++) {
        const key = keys[q];
        if (key > hiKey) {
          const flat = offset + q;
          mask.set(Math.floor(flat / d), flat % d);
          above++;
          if (key < lowestAbove) lowestAbove = key;
        } else if (key >= loKey) {
          candidates.push(key, offset + q);
        }
      }
      if (candidates.length * 12 + needed > budget) break;
    }
    if (above <= k && k <= above + candidates.length && candidates.length * 12 + needed <= budget) {
      const chosen = candidates.top(k - above);
      for (const c of chosen) {
        const flat = candidates.index[c];
        mask.set(Math.floor(flat / d), flat % d);
      }
      const kth = chosen.length > 0 ? candidates.keys[chosen[chosen.length - 1]] : lowestAbove;
      const threshold = k === 0 ? Number.POSITIVE_INFINITY : scoreOfKey(kth);
      return { criterion: scorer.criterion, mask, referenceWidth: N, kept: k, threshold, law, passes };
    }
    if (exhaustive) {
      throw new InvalidArgumentError(
        'referenceWidth',
        N,
        'a reference width whose tied threshold candidates fit the memory budget',
        { fix: 'lower the reference width or raise memoryBytes' },
      );
    }
    halfWidth *= 4;
  }
}
