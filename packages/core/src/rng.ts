/**
 * The seeded random number generator of graphon-pai.
 *
 * Generator: **xoshiro128\*\*** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018),
 * 128-bit state, period 2^128 − 1, seeded through **splitmix32** so that any integer or string seed gives a
 * well-mixed state. All state updates are 32-bit integer operations (`Math.imul`, shifts), so the integer
 * stream is identical on every platform and engine. Derived streams:
 *
 * - `uint32()`: the raw 32-bit output;
 * - `uniform()`: a float64 in [0, 1) built from 53 random bits (two outputs: 27 + 26 bits);
 * - `int(bound)`: an unbiased integer in [0, bound) (rejection above the largest multiple of bound, then modulo);
 * - `normal()`: standard normal by the Marsaglia polar method (uses `Math.log`/`Math.sqrt`; V8's `Math.log` is a
 *   deterministic fdlibm port, so streams agree across Node platforms);
 * - `permutation(n)`, `sampleWithoutReplacement(n, k)`, `shuffle(array)`: Fisher–Yates / Floyd;
 * - `fork(label)`: an independent child stream keyed by a label (e.g. a layer name), so adding draws in one
 *   layer never changes another layer's stream.
 *
 * `Math.random` is never used anywhere in graphon-pai.
 *
 * @example
 * const rng = new Rng(42);
 * const w = rng.normalArray(1024, 0, 0.05);
 * const perm = rng.fork('layer0').permutation(784);
 */
import { InvalidArgumentError } from './errors';

// Module-local aliases: inside vm contexts (jest) every global lookup costs an interceptor call, several times
// the arithmetic of a draw.
const { floor, imul, log, sqrt } = Math;

/** A seed: a safe integer (any sign) or a string. */
export type Seed = number | string;

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

/** Folds a seed into one 32-bit word, using every bit of a safe integer or every UTF-16 unit of a string. */
function seedWord(seed: Seed): number {
  if (typeof seed === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = imul(h ^ seed.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError('seed', seed, 'a safe integer or a string', {
      fix: 'pass an integer seed such as 42',
    });
  }
  const lo = seed >>> 0;
  const hi = floor(seed / 4294967296) >>> 0;
  return (lo ^ imul(hi, 0x9e3779b1) ^ (seed < 0 ? 0x5bd1e995 : 0)) >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;
  /** The seed this stream was created from (for provenance records). */
  readonly seed: Seed;

  constructor(seed: Seed) {
    this.seed = seed;
    let sm = seedWord(seed);
    let out: number;
    [sm, out] = splitmix32(sm);
    this.s0 = out;
    [sm, out] = splitmix32(sm);
    this.s1 = out;
    [sm, out] = splitmix32(sm);
    this.s2 = out;
    [sm, out] = splitmix32(sm);
    this.s3 = out;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next raw 32-bit unsigned output of xoshiro128**. */
  uint32(): number {
    const result = imul(rotl(imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Unbiased integer in [0, bound), `1 ≤ bound ≤ 2^32`. */
  int(bound: number): number {
    if (!(Number.isInteger(bound) && bound >= 1 && bound <= TWO_POW_32)) {
      throw new InvalidArgumentError('bound', bound, 'an integer in [1, 2^32]');
    }
    if (bound === TWO_POW_32) return this.uint32();
    // Rejection: accept x below the largest multiple of bound that fits in 32 bits, then reduce.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % bound;
    }
  }

  /** Standard normal N(0, 1) by the Marsaglia polar method (pairs cached). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = sqrt((-2 * log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Bernoulli(p) draw: true with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Fills `out` (or a new Float64Array of length n) with uniforms in [low, high). */
  uniformArray<T extends Float32Array | Float64Array = Float64Array>(
    n: number,
    low = 0,
    high = 1,
    out?: T,
  ): T {
    const a = (out ?? new Float64Array(n)) as T;
    const width = high - low;
    for (let i = 0; i < n; i++) a[i] = low + width * this.uniform();
    return a;
  }

  /** Fills `out` (or a new Float64Array of length n) with N(mean, std²) draws. */
  normalArray<T extends Float32Array | Float64Array = Float64Array>(
    n: number,
    mean = 0,
    std = 1,
    out?: T,
  ): T {
    const a = (out ?? new Float64Array(n)) as T;
    for (let i = 0; i < n; i++) a[i] = mean + std * this.normal();
    return a;
  }

  /** In-place Fisher–Yates shuffle (index i swaps with a uniform j ≤ i, from the end). */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    checkCount('n', n);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * k distinct integers from [0, n), uniformly over k-subsets, returned in increasing order.
   * Floyd's algorithm (O(k) draws) when k ≤ n/2, otherwise the complement of a Floyd sample.
   */
  sampleWithoutReplacement(n: number, k: number): Uint32Array {
    checkCount('n', n);
    checkCount('k', k);
    if (k > n) throw new InvalidArgumentError('k', k, `at most n = ${n}`);
    const complement = k > n / 2;
    const draw = complement ? n - k : k;
    const chosen = new Set<number>();
    for (let j = n - draw; j < n; j++) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    const out = new Uint32Array(k);
    if (complement) {
      let w = 0;
      for (let i = 0; i < n; i++) if (!chosen.has(i)) out[w++] = i;
    } else {
      let w = 0;
      for (const v of chosen) out[w++] = v;
      out.sort();
    }
    return out;
  }

  /**
   * An independent child stream keyed by `label`. The child depends on this stream's *seed* and the label
   * only, not on how many numbers were drawn, so forks are stable under code changes elsewhere.
   */
  fork(label: Seed): Rng {
    return new Rng(`${String(this.seed)}\u0000${String(label)}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkCount(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
    throw new InvalidArgumentError(name, v, 'a non-negative integer below 2^32');
  }
}
