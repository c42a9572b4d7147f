/**
 * Linear-time exact top-k over float32 scores, writing a bit-packed mask (the engine of `select.ts`).
 *
 * Keys. A float32 bit pattern `b` (read as int32) maps to a signed int32 key whose order is the float
 * order: `m = b >> 31; key = (b ^ (m & 0x7fffffff)) − m`. Non-negative floats keep their pattern;
 * negative floats get their magnitude bits flipped and are shifted by one so that −0 and +0 share the key 0
 * (they are equal scores and must tie). Keys lie in [−2³¹ + 1, 2³¹ − 1]. In the generic path an
 * excluded weight (outside `within`) gets −2³¹ and a NaN gets −2³¹ + 1, below every number.
 *
 * Algorithm (radix select, two digits of 16 bits): pass 1 histograms the high 16 bits of every key and
 * finds the bucket holding the k-th largest key; pass 2 histograms the low 16 bits inside that bucket and
 * yields the exact threshold key `T` and the number `need` of entries equal to `T` that must be kept;
 * pass 3 writes the mask words (`key > T`, plus the first `need` entries equal to `T` in scan order).
 * When every entry equal to `T` is kept (the usual case for continuous scores) pass 3 is the single test
 * `key ≥ T`; otherwise a short fix-up scan sets the first `need` ties. Scan order is layer order, then
 * row-major: among equal scores the lower global flat index is kept.
 *
 * Complexity: 3 reads of the scores (plus a partial one for tie fix-up), O(N + 2¹⁶) time, memory = the
 * output mask + one 256 KiB histogram (reused). Scores are never copied.
 */

import { fusedKernel, fusedLayerWasm } from './wasm/fused-kernel';

/** One layer as the engine sees it. */
export interface EngineLayer {
  /** Float32 bit patterns of the scores (an Int32Array view of the score buffer). */
  readonly bits: Int32Array;
  readonly rows: number;
  readonly cols: number;
  /** Packed eligibility words (same layout as `out`), or null when every weight is eligible. */
  readonly within: Uint32Array | null;
  /** Packed output words, `rows · ceil(cols / 32)`, all zero on entry. */
  readonly out: Uint32Array;
}

export const EXCLUDED_KEY = -2147483648;
export const NAN_KEY = -2147483647;
const BUCKETS = 65536;

/** Histogram of high or low key digits. */
export interface Histograms {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
}

export function newHistograms(): Histograms {
  return { high: new Uint32Array(BUCKETS), low: new Uint32Array(BUCKETS) };
}

/** The float32 key of a bit pattern (fast path: NaN not remapped). */
export function floatKey(b: number): number {
  const m = b >> 31;
  return (b ^ (m & 0x7fffffff)) - m;
}

/** Generic key: NaN remapped below every number. */
export function floatKeyNanLow(b: number): number {
  if ((b & 0x7fffffff) > 0x7f800000) return NAN_KEY;
  const m = b >> 31;
  return (b ^ (m & 0x7fffffff)) - m;
}

// The *Fast and *Generic variants below (histograms, threshold writes, fused passes) repeat the same radix
// steps on purpose: the fast ones read the int32 bit patterns of float32 scores directly, the generic ones
// test `within` and remap NaN per entry. Measured on a 2048 × 2048 layer, k = 10 %, no `within` (Node 20,
// AMD EPYC, median of 9): radix select + write 13.1 ms fast vs 25.3 ms generic, whole sampling path (JS
// engine) 13.4 ms vs 18.0 ms. Merging them would put those tests in the innermost loop of every selection.
function histHighFast(bits: Int32Array, hist: Uint32Array): void {
  const n = bits.length;
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const m = b >> 31;
    hist[(((b ^ (m & 0x7fffffff)) - m) >> 16) + 32768]++;
  }
}

function histLowFast(bits: Int32Array, hist: Uint32Array, high: number): number {
  const n = bits.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const m = b >> 31;
    const key = (b ^ (m & 0x7fffffff)) - m;
    if (key >> 16 === high) {
      hist[key & 0xffff]++;
      count++;
    }
  }
  return count;
}

/** Generic histogram pass (honours `within`, NaN lowest): `digit` 0 = high 16 bits, 1 = low 16 bits inside bucket `high`. */
function histGeneric(layer: EngineLayer, hist: Uint32Array, digit: 0 | 1, high: number): void {
  const { bits, rows, cols, within } = layer;
  const wpr = (cols + 31) >>> 5;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const lim = Math.min(cols - c0, 32);
      const eligible = within === null ? -1 : within[wbase + (c0 >>> 5)];
      // Excluded entries sit below every eligible key and k ≤ eligible, so they never need counting.
      if (eligible === 0) continue;
      const off = base + c0;
      for (let j = 0; j < lim; j++) {
        let key: number;
        if (((eligible >>> j) & 1) === 0) key = EXCLUDED_KEY;
        else {
          const b = bits[off + j];
          if ((b & 0x7fffffff) > 0x7f800000) key = NAN_KEY;
          else {
            const m = b >> 31;
            key = (b ^ (m & 0x7fffffff)) - m;
          }
        }
        if (digit === 0) hist[(key >> 16) + 32768]++;
        else if (key >> 16 === high) hist[key & 0xffff]++;
      }
    }
  }
}

/** Result of the two histogram passes. */
export interface Threshold {
  /** The k-th largest key. */
  readonly key: number;
  /** How many entries with exactly this key must be kept (1 ≤ need ≤ tiesAtKey). */
  readonly need: number;
  /** How many entries have exactly this key. */
  readonly tiesAtKey: number;
}

/**
 * The bucket of a histogram that holds the `rank`-th largest entry (1-based, counting from the top bucket),
 * and how many entries lie in the buckets above it.
 */
function bucketOfRank(hist: Uint32Array, rank: number): { bucket: number; above: number } {
  let above = 0;
  let bucket = hist.length - 1;
  for (; bucket >= 0; bucket--) {
    if (above + hist[bucket] >= rank) break;
    above += hist[bucket];
  }
  return { bucket, above };
}

/**
 * Finds the k-th largest key (1 ≤ k ≤ number of candidate entries). `generic` selects the path that
 * honours `within` and remaps NaN; the caller inspects `hist.high` after this call for non-finite checks.
 */
export function findThreshold(
  layers: readonly EngineLayer[],
  k: number,
  generic: boolean,
  hist: Histograms,
): Threshold {
  const high = hist.high;
  high.fill(0);
  for (const layer of layers) {
    if (generic) histGeneric(layer, high, 0, 0);
    else histHighFast(layer.bits, high);
  }
  const { bucket, above } = bucketOfRank(high, k);
  const hiDigit = bucket - 32768;
  const low = hist.low;
  low.fill(0);
  for (const layer of layers) {
    if (generic) histGeneric(layer, low, 1, hiDigit);
    else histLowFast(layer.bits, low, hiDigit);
  }
  const { bucket: t, above: above2 } = bucketOfRank(low, k - above);
  return { key: (hiDigit << 16) | t, need: k - above - above2, tiesAtKey: low[t] };
}

function writeGE(layer: EngineLayer, T: number, strict: boolean): void {
  const { bits, rows, cols, out } = layer;
  const wpr = (cols + 31) >>> 5;
  // Strict: keep key > T, i.e. key ≥ T + 1 (T < 2³¹ − 1 always holds here: T + 1 is still an int32 key).
  const lo = strict ? T + 1 : T;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    let c0 = 0;
    for (; c0 + 32 <= cols; c0 += 32) {
      let w = 0;
      const off = base + c0;
      for (let j = 0; j < 32; j++) {
        const b = bits[off + j];
        const m = b >> 31;
        w |= (((b ^ (m & 0x7fffffff)) - m >= lo) as unknown as number) << j;
      }
      out[wbase + (c0 >>> 5)] = w;
    }
    if (c0 < cols) {
      let w = 0;
      const off = base + c0;
      for (let j = 0; j < cols - c0; j++) {
        const b = bits[off + j];
        const m = b >> 31;
        w |= (((b ^ (m & 0x7fffffff)) - m >= lo) as unknown as number) << j;
      }
      out[wbase + (c0 >>> 5)] = w;
    }
  }
}

function writeGEGeneric(layer: EngineLayer, T: number, strict: boolean): void {
  const { bits, rows, cols, out, within } = layer;
  const wpr = (cols + 31) >>> 5;
  const lo = strict ? T + 1 : T;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const lim = Math.min(cols - c0, 32);
      const eligible = within === null ? -1 : within[wbase + (c0 >>> 5)];
      const off = base + c0;
      let w = 0;
      for (let j = 0; eligible !== 0 && j < lim; j++) {
        if (((eligible >>> j) & 1) === 0) continue;
        if (floatKeyNanLow(bits[off + j]) >= lo) w |= 1 << j;
      }
      out[wbase + (c0 >>> 5)] = w;
    }
  }
}

/** Sets the first `need` entries whose key equals T (scan order), returns how many remain unset. */
function fixTies(layer: EngineLayer, T: number, need: number, generic: boolean): number {
  const { bits, rows, cols, out, within } = layer;
  const wpr = (cols + 31) >>> 5;
  for (let r = 0; r < rows && need > 0; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    for (let c = 0; c < cols; c++) {
      const wi = wbase + (c >>> 5);
      if (generic) {
        if (within !== null && ((within[wi] >>> (c & 31)) & 1) === 0) continue;
        if (floatKeyNanLow(bits[base + c]) !== T) continue;
      } else if (floatKey(bits[base + c]) !== T) continue;
      out[wi] |= 1 << (c & 31);
      if (--need === 0) break;
    }
  }
  return need;
}

/** Reusable scratch memory of the sampling path (grown on demand, pages touched only when used). */
export class SelectionWorkspace {
  readonly hist: Histograms = newHistograms();
  candIndex: Uint32Array = new Uint32Array(0);
  candKey: Int32Array = new Int32Array(0);
  sample: Int32Array = new Int32Array(0);
  /** Fused-pass engine: WebAssembly SIMD when available (`'auto'`), or the scalar JS loop. */
  engine: 'auto' | 'js' = 'auto';
  /** Candidate capacity override (tests force the radix fallback with a tiny value). */
  maxCandidates: number | undefined = undefined;
  /** Set by the fast fused pass when a ±∞ or NaN score was read. */
  sawNonFinite = false;

  ensureCandidates(capacity: number): void {
    if (this.candIndex.length < capacity) {
      this.candIndex = new Uint32Array(capacity);
      this.candKey = new Int32Array(capacity);
    }
  }
}

const SAMPLE = 65536;
const KEY_MAX = 2147483647;

/** Deterministic 32-bit generator for sample positions (splitmix32; exactness never depends on it). */
function samplePositions(total: number, count: number, out: Float64Array): void {
  let state = 0x2545f491;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    out[i] = Math.floor((z / 4294967296) * total);
  }
}

function fusedFast(
  layer: EngineLayer,
  lo: number,
  hi: number,
  ws: SelectionWorkspace,
  nc: number,
  gbase: number,
  cap: number,
): number {
  const { bits, rows, cols, out } = layer;
  const wpr = (cols + 31) >>> 5;
  const candIndex = ws.candIndex;
  const candKey = ws.candKey;
  const gt = hi + 1;
  // key ∈ [lo, hi] ⟺ (key − lo) mod 2³² ≤ hi − lo: one unsigned compare.
  const range = (hi - lo) >>> 0;
  // Bit 31 of (b & 0x7f800000) + 0x00800000 is set exactly when the exponent is all ones (±∞, NaN).
  let bad = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const lim = Math.min(cols - c0, 32);
      const off = base + c0;
      let w = 0;
      for (let j = 0; j < lim; j++) {
        const b = bits[off + j];
        bad |= (b & 0x7f800000) + 0x00800000;
        const m = b >> 31;
        const key = (b ^ (m & 0x7fffffff)) - m;
        w |= ((key >= gt) as unknown as number) << j;
        if (((key - lo) | 0) >>> 0 <= range) {
          if (nc === cap) return -1;
          candIndex[nc] = gbase + off + j;
          candKey[nc++] = key;
        }
      }
      out[wbase + (c0 >>> 5)] = w;
    }
  }
  if (bad < 0) ws.sawNonFinite = true;
  return nc;
}

function fusedGeneric(
  layer: EngineLayer,
  lo: number,
  hi: number,
  ws: SelectionWorkspace,
  nc: number,
  gbase: number,
  cap: number,
): number {
  const { bits, rows, cols, out, within } = layer;
  const wpr = (cols + 31) >>> 5;
  const candIndex = ws.candIndex;
  const candKey = ws.candKey;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const wbase = r * wpr;
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const lim = Math.min(cols - c0, 32);
      const eligible = within === null ? -1 : within[wbase + (c0 >>> 5)];
      if (eligible === 0) {
        // Iterative rounds: most words of the previous mask are empty late in the schedule.
        out[wbase + (c0 >>> 5)] = 0;
        continue;
      }
      const off = base + c0;
      let w = 0;
      for (let j = 0; j < lim; j++) {
        if (((eligible >>> j) & 1) === 0) continue;
        const key = floatKeyNanLow(bits[off + j]);
        if (key > hi) w |= 1 << j;
        else if (key >= lo) {
          if (nc === cap) return -1;
          candIndex[nc] = gbase + off + j;
          candKey[nc++] = key;
        }
      }
      out[wbase + (c0 >>> 5)] = w;
    }
  }
  return nc;
}

function keyAt(layers: readonly EngineLayer[], starts: Float64Array, g: number, generic: boolean): number {
  let l = 0;
  while (l + 1 < layers.length && starts[l + 1] <= g) l++;
  const layer = layers[l];
  const i = g - starts[l];
  if (generic) {
    if (layer.within !== null) {
      const r = Math.floor(i / layer.cols);
      const c = i - r * layer.cols;
      if (((layer.within[r * ((layer.cols + 31) >>> 5) + (c >>> 5)] >>> (c & 31)) & 1) === 0)
        return EXCLUDED_KEY;
    }
    return floatKeyNanLow(layer.bits[i]);
  }
  return floatKey(layer.bits[i]);
}

/**
 * Sampling path (Floyd–Rivest style): a deterministic sample of 2¹⁶ keys brackets the threshold; one fused
 * pass writes the certain keeps (`key > hi`) and records the candidates (`lo ≤ key ≤ hi`, in scan order);
 * an exact radix select among the candidates finishes. Returns false (mask words then undefined) when the
 * bracket missed or the candidates overflow the capacity (heavy ties), so the caller falls back to
 * {@link findThreshold} + {@link writeMasks}. `k` must satisfy 1 ≤ k < number of eligible entries.
 */
export function selectBySampling(
  layers: readonly EngineLayer[],
  total: number,
  k: number,
  generic: boolean,
  ws: SelectionWorkspace,
  nanRank = generic,
): boolean {
  const starts = new Float64Array(layers.length);
  for (let l = 1; l < layers.length; l++) starts[l] = starts[l - 1] + layers[l - 1].bits.length;
  const positions = new Float64Array(SAMPLE);
  samplePositions(total, SAMPLE, positions);
  if (ws.sample.length < SAMPLE) ws.sample = new Int32Array(SAMPLE);
  const sample = ws.sample;
  let sampled = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const key = keyAt(layers, starts, positions[i], generic);
    if (key !== EXCLUDED_KEY) sample[sampled++] = key;
  }
  if (sampled < 1024) return false;
  const sorted = sample.subarray(0, sampled).sort();
  // Excluded entries are not candidates: the eligible population is what the sample estimates.
  const eligible = generic ? (total * sampled) / SAMPLE : total;
  const p = Math.min(1, k / eligible);
  const rank = p * sampled;
  const delta = 6 * Math.sqrt(sampled * p * (1 - p)) + 4;
  const hiRank = Math.floor(rank - delta);
  const loRank = Math.ceil(rank + delta);
  const hi = hiRank < 0 ? KEY_MAX : sorted[sampled - 1 - hiRank];
  const lo = loRank >= sampled ? NAN_KEY : sorted[sampled - 1 - loRank];
  const cap = ws.maxCandidates ?? Math.max(1 << 20, Math.ceil(total / 16));
  ws.ensureCandidates(cap);
  ws.sawNonFinite = false;
  // The kernel handles `within` but not the NaN remapping of the 'rank' policy.
  const kernel = !nanRank && ws.engine === 'auto' ? fusedKernel() : null;
  kernel?.resetBad();
  let nc = 0;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    if (kernel) {
      nc = fusedLayerWasm(
        kernel,
        layer.bits,
        layer.rows,
        layer.cols,
        layer.out,
        layer.within,
        lo,
        hi,
        ws.candIndex,
        ws.candKey,
        nc,
        starts[l],
        cap,
      );
    } else if (generic) nc = fusedGeneric(layer, lo, hi, ws, nc, starts[l], cap);
    else nc = fusedFast(layer, lo, hi, ws, nc, starts[l], cap);
    if (nc < 0) return false;
  }
  if (kernel && kernel.bad() !== 0) ws.sawNonFinite = true;
  let above = 0;
  for (const layer of layers) {
    const out = layer.out;
    for (let i = 0; i < out.length; i++) above += popcount32(out[i]);
  }
  if (ws.sawNonFinite || above > k || above + nc < k) return false;
  const need = k - above;
  if (need === 0) return true;
  const { key: T, need: needT } = thresholdOfKeys(ws.candKey, nc, need, ws.hist);
  let ties = needT;
  const candIndex = ws.candIndex;
  const candKey = ws.candKey;
  let l = 0;
  for (let i = 0; i < nc; i++) {
    const key = candKey[i];
    if (key < T) continue;
    if (key === T) {
      if (ties === 0) continue;
      ties--;
    }
    const g = candIndex[i];
    while (l + 1 < layers.length && starts[l + 1] <= g) l++;
    const layer = layers[l];
    const idx = g - starts[l];
    const r = Math.floor(idx / layer.cols);
    const c = idx - r * layer.cols;
    layer.out[r * ((layer.cols + 31) >>> 5) + (c >>> 5)] |= 1 << (c & 31);
  }
  return true;
}

/** Exact k-th largest of `keys[0..n)` by a two-digit radix select; `need` = ties to keep at the key. */
function thresholdOfKeys(
  keys: Int32Array,
  n: number,
  k: number,
  hist: Histograms,
): { key: number; need: number } {
  const high = hist.high;
  high.fill(0);
  for (let i = 0; i < n; i++) high[(keys[i] >> 16) + 32768]++;
  const { bucket, above } = bucketOfRank(high, k);
  const hiDigit = bucket - 32768;
  const low = hist.low;
  low.fill(0);
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (key >> 16 === hiDigit) low[key & 0xffff]++;
  }
  const { bucket: t, above: above2 } = bucketOfRank(low, k - above);
  return { key: (hiDigit << 16) | t, need: k - above - above2 };
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Pass 3: writes the kept entries of every layer for a threshold found by {@link findThreshold}. */
export function writeMasks(layers: readonly EngineLayer[], threshold: Threshold, generic: boolean): void {
  const allTies = threshold.need === threshold.tiesAtKey;
  for (const layer of layers) {
    if (generic) writeGEGeneric(layer, threshold.key, !allTies);
    else writeGE(layer, threshold.key, !allTies);
  }
  if (!allTies) {
    let need = threshold.need;
    for (const layer of layers) {
      need = fixTies(layer, threshold.key, need, generic);
      if (need === 0) break;
    }
  }
}

/**
 * First entry (layer index, flat index) whose score is ±∞ or NaN, or null. With `nanOnly`, only NaN counts
 * (the `rank` policy orders infinities but still reports nothing here).
 */
export function findNonFinite(
  layers: readonly EngineLayer[],
  nanOnly = false,
): { layer: number; index: number } | null {
  for (let l = 0; l < layers.length; l++) {
    const bits = layers[l].bits;
    for (let i = 0; i < bits.length; i++) {
      const e = bits[i] & 0x7fffffff;
      if (nanOnly ? e > 0x7f800000 : e >= 0x7f800000) return { layer: l, index: i };
    }
  }
  return null;
}
