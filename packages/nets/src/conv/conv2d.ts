/**
 * 2-D convolution (PyTorch `nn.Conv2d`, cross-correlation, NCHW) on the fast matmul by im2col.
 *
 * Shapes: input `x` `[count, C, H, W]`, weight `W` `[O, C, kh, kw]` (row-major, i.e. the `O × K` matrix with
 * `K = C·kh·kw`), output `y` `[count, O, Ho, Wo]` with `Ho = ⌊(H + 2·ph − kh)/sh⌋ + 1` (same for `Wo`):
 *
 *     y[n, o, p, q] = Σ_{c,i,j} W[o, c, i, j] · x[n, c, p·sh − ph + i, q·sw − pw + j]     (0 outside the image)
 *
 * **im2col**: for a chunk of `b` samples, `X̃` is the `K × (b·L)` matrix (`L = Ho·Wo`) whose column `n·L + p·Wo + q`
 * is the receptive field of output position `(p, q)` of sample `n`, row `k = c·kh·kw + i·kw + j` (the weight's
 * column order). Then, with `Y'`, `G'` the `O × (b·L)` views of the output and of its gradient `∂L/∂y`:
 *
 *     forward         Y' = W · X̃                       (GEMM NN)
 *     weight grad     ∂L/∂W += G' · X̃ᵀ                  (GEMM NT, accumulated over chunks)
 *     input grad      ∂L/∂x = col2im(Wᵀ · G')           (GEMM TN, then scatter-add of each column)
 *
 * All products run on `@graphon-pai/linalg`'s `gemm` (onnxruntime / OpenBLAS / wasm provider). Chunks keep
 * `K · b · L ≤ 2²²` floats, so memory stays a few tens of MiB whatever the batch; the im2col scratch is reused.
 * The backward pass recomputes `X̃` instead of keeping it from the forward pass.
 *
 * Complexity: forward `count · O · K · L` multiply-adds; each gradient the same again.
 *
 * @example
 * const g = conv2dGeometry({ inChannels: 1, outChannels: 6, height: 28, width: 28, kernel: 5, padding: 2 });
 * const y = conv2dForward(x, 32, w, g);     // 32 × 6 × 28 × 28
 *
 * Reference: Chellapilla, Puri, Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", IWFHR 2006 (the im2col lowering).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';

/** Everything the convolution needs to know about one layer's sizes. */
export interface Conv2dGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly paddingHeight: number;
  readonly paddingWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

export interface Conv2dGeometryOptions {
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  /** Kernel size, square or `[kh, kw]`. */
  kernel: number | readonly [number, number];
  /** Stride (default 1). */
  stride?: number | readonly [number, number];
  /** Zero padding on each side (default 0). */
  padding?: number | readonly [number, number];
  /** The layer's name, used in error messages (default `'conv'`). */
  name?: string;
}

const pair = (v: number | readonly [number, number]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** Validated geometry of a convolution; throws when the kernel does not fit the (padded) input. */
export function conv2dGeometry(options: Conv2dGeometryOptions): Conv2dGeometry {
  const name = options.name ?? 'conv';
  const [kh, kw] = pair(options.kernel);
  const [sh, sw] = pair(options.stride ?? 1);
  const [ph, pw] = pair(options.padding ?? 0);
  const positive: [string, number][] = [
    ['inChannels', options.inChannels],
    ['outChannels', options.outChannels],
    ['height', options.height],
    ['width', options.width],
    ['kernel height', kh],
    ['kernel width', kw],
    ['stride height', sh],
    ['stride width', sw],
  ];
  for (const [what, v] of positive) {
    if (!(Number.isInteger(v) && v > 0))
      throw new InvalidArgumentError(`${name}: ${what}`, v, 'a positive integer');
  }
  for (const [what, v] of [
    ['padding height', ph],
    ['padding width', pw],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 0))
      throw new InvalidArgumentError(`${name}: ${what}`, v, 'a non-negative integer');
  }
  const { height: h, width: w } = options;
  if (kh > h + 2 * ph || kw > w + 2 * pw) {
    throw new InvalidArgumentError(
      `${name}: kernel`,
      `${kh} × ${kw}`,
      `a kernel no larger than the padded input ${h + 2 * ph} × ${w + 2 * pw} (input ${options.inChannels} × ${h} × ${w}, padding ${ph} × ${pw})`,
      { fix: 'use a smaller kernel, more padding, or fewer pooling layers before this one' },
    );
  }
  return {
    inChannels: options.inChannels,
    outChannels: options.outChannels,
    height: h,
    width: w,
    kernelHeight: kh,
    kernelWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    paddingHeight: ph,
    paddingWidth: pw,
    outHeight: Math.floor((h + 2 * ph - kh) / sh) + 1,
    outWidth: Math.floor((w + 2 * pw - kw) / sw) + 1,
  };
}

/** Columns of the im2col matrix: `K = C · kh · kw`. */
export function conv2dPatchSize(g: Conv2dGeometry): number {
  return g.inChannels * g.kernelHeight * g.kernelWidth;
}

/** Samples per im2col chunk (at least 1) so that a chunk holds at most 2²² floats. */
export function conv2dChunk(g: Conv2dGeometry, count: number): number {
  const perSample = conv2dPatchSize(g) * g.outHeight * g.outWidth;
  return Math.max(1, Math.min(count, Math.floor((1 << 22) / perSample)));
}

let scratchA = new Float32Array(0);
let scratchB = new Float32Array(0);
function scratch(which: 'a' | 'b', length: number): Float32Array {
  if (which === 'a') {
    if (scratchA.length < length) scratchA = new Float32Array(length);
    return scratchA.length === length ? scratchA : scratchA.subarray(0, length);
  }
  if (scratchB.length < length) scratchB = new Float32Array(length);
  return scratchB.length === length ? scratchB : scratchB.subarray(0, length);
}

/** Fills `cols` (`K × (b·L)`) with the receptive fields of samples `first … first + b − 1` of `x`. */
export function im2col(
  x: Float32Array,
  g: Conv2dGeometry,
  first: number,
  b: number,
  cols: Float32Array,
): void {
  const { inChannels: C, height: H, width: W, kernelHeight: kh, kernelWidth: kw } = g;
  const {
    strideHeight: sh,
    strideWidth: sw,
    paddingHeight: ph,
    paddingWidth: pw,
    outHeight: Ho,
    outWidth: Wo,
  } = g;
  const L = Ho * Wo;
  const rowLength = b * L;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((c * kh + i) * kw + j) * rowLength;
        // Output columns q whose input column q·sw − pw + j lies inside [0, W).
        const qLo = Math.max(0, Math.ceil((pw - j) / sw));
        const qHi = Math.min(Wo, Math.floor((W - 1 + pw - j) / sw) + 1);
        // Stride 1 and Wo = W ("same" width): the valid rows of a receptive-field plane are one contiguous run
        // of the input plane shifted by j − pw; copy it at once, then zero the columns that wrapped around.
        const block = sh === 1 && sw === 1 && Wo === W;
        const pLo = Math.max(0, ph - i);
        const pHi = Math.min(Ho, H + ph - i);
        for (let n = 0; n < b; n++) {
          const plane = ((first + n) * C + c) * H * W;
          const base = row + n * L;
          if (block) {
            cols.fill(0, base, base + Math.max(0, pLo) * Wo);
            cols.fill(0, base + Math.max(pLo, pHi) * Wo, base + L);
            if (pHi <= pLo) continue;
            const start = plane + (pLo + i - ph) * W + j - pw;
            const end = start + (pHi - pLo) * W;
            const s0 = Math.max(start, 0);
            const s1 = Math.min(end, x.length);
            cols.set(x.subarray(s0, s1), base + pLo * Wo + (s0 - start));
            for (let p = pLo; p < pHi; p++) {
              const o = base + p * Wo;
              for (let q = 0; q < qLo; q++) cols[o + q] = 0;
              for (let q = qHi; q < Wo; q++) cols[o + q] = 0;
            }
            continue;
          }
          for (let p = 0; p < Ho; p++) {
            const y = p * sh - ph + i;
            const o = base + p * Wo;
            if (y < 0 || y >= H || qLo >= qHi) {
              cols.fill(0, o, o + Wo);
              continue;
            }
            if (qLo > 0) cols.fill(0, o, o + qLo);
            const src = plane + y * W - pw + j;
            // Short rows: a plain loop beats a subarray view per row.
            if (sw === 1) for (let q = qLo; q < qHi; q++) cols[o + q] = x[src + q];
            else for (let q = qLo; q < qHi; q++) cols[o + q] = x[src + q * sw];
            if (qHi < Wo) cols.fill(0, o + qHi, o + Wo);
          }
        }
      }
    }
  }
}

/**
 * Adds each column of `cols` (`K × (b·L)`) back onto the receptive field it came from in `dx` (col2im).
 * `cols` is scratch: entries that fall outside the image may be overwritten with 0.
 */
export function col2imAdd(
  cols: Float32Array,
  g: Conv2dGeometry,
  first: number,
  b: number,
  dx: Float32Array,
): void {
  const { inChannels: C, height: H, width: W, kernelHeight: kh, kernelWidth: kw } = g;
  const {
    strideHeight: sh,
    strideWidth: sw,
    paddingHeight: ph,
    paddingWidth: pw,
    outHeight: Ho,
    outWidth: Wo,
  } = g;
  const L = Ho * Wo;
  const rowLength = b * L;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((c * kh + i) * kw + j) * rowLength;
        const qLo = Math.max(0, Math.ceil((pw - j) / sw));
        const qHi = Math.min(Wo, Math.floor((W - 1 + pw - j) / sw) + 1);
        // Stride 1 and Wo = W: zero the wrapped-around columns of the (scratch) column buffer, then add the
        // plane's valid rows as one contiguous run (the adjoint of im2col's block copy).
        const block = sh === 1 && sw === 1 && Wo === W;
        const pLo = Math.max(0, ph - i);
        const pHi = Math.min(Ho, H + ph - i);
        for (let n = 0; n < b; n++) {
          const plane = ((first + n) * C + c) * H * W;
          const base = row + n * L;
          if (block) {
            if (pHi <= pLo) continue;
            for (let p = pLo; p < pHi; p++) {
              const o = base + p * Wo;
              for (let q = 0; q < qLo; q++) cols[o + q] = 0;
              for (let q = qHi; q < Wo; q++) cols[o + q] = 0;
            }
            const start = plane + (pLo + i - ph) * W + j - pw;
            const s0 = Math.max(start, 0);
            const s1 = Math.min(start + (pHi - pLo) * W, dx.length);
            const shift = base + pLo * Wo - start;
            for (let t = s0; t < s1; t++) dx[t] += cols[t + shift];
            continue;
          }
          for (let p = 0; p < Ho; p++) {
            const y = p * sh - ph + i;
            if (y < 0 || y >= H) continue;
            const o = base + p * Wo;
            const dst = plane + y * W - pw + j;
            if (sw === 1) for (let q = qLo; q < qHi; q++) dx[dst + q] += cols[o + q];
            else for (let q = qLo; q < qHi; q++) dx[dst + q * sw] += cols[o + q];
          }
        }
      }
    }
  }
}

/** Copies an `O × (b·L)` chunk product into samples `first …` of an `[count, O, L]` tensor (NCHW order). */
function scatterChunk(
  src: Float32Array,
  out: Float32Array,
  O: number,
  L: number,
  first: number,
  b: number,
  accumulate: boolean,
): void {
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < b; n++) {
      const s = (o * b + n) * L;
      const d = ((first + n) * O + o) * L;
      if (accumulate) for (let t = 0; t < L; t++) out[d + t] += src[s + t];
      else out.set(src.subarray(s, s + L), d);
    }
  }
}

/** Gathers samples `first …` of an `[count, O, L]` tensor into the `O × (b·L)` layout of the chunk products. */
function gatherChunk(
  src: Float32Array,
  out: Float32Array,
  O: number,
  L: number,
  first: number,
  b: number,
): void {
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < b; n++) {
      const s = ((first + n) * O + o) * L;
      out.set(src.subarray(s, s + L), (o * b + n) * L);
    }
  }
}

/**
 * `y = conv(x, W)` without bias, `[count, O, Ho, Wo]`. With `accumulate`, adds into `out` instead of
 * overwriting it (used by the R-operator, which sums two convolutions).
 */
export function conv2dForward(
  x: Float32Array,
  count: number,
  weight: Float32Array,
  g: Conv2dGeometry,
  out: Float32Array = new Float32Array(count * g.outChannels * g.outHeight * g.outWidth),
  accumulate = false,
): Float32Array {
  const K = conv2dPatchSize(g);
  const L = g.outHeight * g.outWidth;
  const O = g.outChannels;
  const chunk = conv2dChunk(g, count);
  for (let first = 0; first < count; first += chunk) {
    const b = Math.min(chunk, count - first);
    const cols = scratch('a', K * b * L);
    im2col(x, g, first, b, cols);
    const prod = scratch('b', O * b * L);
    gemm(false, false, O, b * L, K, 1, weight, cols, 0, prod);
    scatterChunk(prod, out, O, L, first, b, accumulate);
  }
  return out;
}

/** `dW += Σ_n ∂L/∂y_n ⋆ x_n` (`O × K`, the weight's layout); `accumulate = false` overwrites `dw`. */
export function conv2dWeightGradient(
  gradOut: Float32Array,
  x: Float32Array,
  count: number,
  g: Conv2dGeometry,
  dw: Float32Array = new Float32Array(g.outChannels * conv2dPatchSize(g)),
  accumulate = false,
): Float32Array {
  const K = conv2dPatchSize(g);
  const L = g.outHeight * g.outWidth;
  const O = g.outChannels;
  const chunk = conv2dChunk(g, count);
  for (let first = 0; first < count; first += chunk) {
    const b = Math.min(chunk, count - first);
    const cols = scratch('a', K * b * L);
    im2col(x, g, first, b, cols);
    const go = scratch('b', O * b * L);
    gatherChunk(gradOut, go, O, L, first, b);
    gemm(false, true, O, K, b * L, 1, go, cols, accumulate || first > 0 ? 1 : 0, dw);
  }
  return dw;
}

/** `∂L/∂x` (`[count, C, H, W]`) from `∂L/∂y` and the weight; `accumulate` adds into `dx`. */
export function conv2dInputGradient(
  gradOut: Float32Array,
  weight: Float32Array,
  count: number,
  g: Conv2dGeometry,
  dx: Float32Array = new Float32Array(count * g.inChannels * g.height * g.width),
  accumulate = false,
): Float32Array {
  if (!accumulate) dx.fill(0);
  const K = conv2dPatchSize(g);
  const L = g.outHeight * g.outWidth;
  const O = g.outChannels;
  const chunk = conv2dChunk(g, count);
  for (let first = 0; first < count; first += chunk) {
    const b = Math.min(chunk, count - first);
    const go = scratch('b', O * b * L);
    gatherChunk(gradOut, go, O, L, first, b);
    const cols = scratch('a', K * b * L);
    gemm(true, false, K, b * L, O, 1, weight, go, 0, cols);
    col2imAdd(cols, g, first, b, dx);
  }
  return dx;
}
