/**
 * The im2col lowering of a 2-D convolution: the data movement around its matrix products, as tight loops over
 * reused typed arrays.
 *
 * A chunk of `b` samples is first copied into a zero-padded **stage** `[b, C, Hp, Wp]` (`Hp = H + 2·ph`,
 * `Wp = W + 2·pw`), so no loop below tests bounds. In the padded plane the receptive-field entry `(c, i, j)` of
 * output position `(p, q)` sits at `(p·sh + i)·Wp + q·sw + j`. The im2col matrix `X̃` has one row per
 * `k = c·kh·kw + i·kw + j` (the weight's column order) and, per sample, `span` columns in one of two layouts:
 *
 * - **wide** (stride 1): column `p·Wp + q` for `0 ≤ p < Ho`, `0 ≤ q < Wp`, cut after the last valid position,
 *   so `span = (Ho − 1)·Wp + Wo`. Row `k` of a sample is then one contiguous run of its padded plane starting
 *   at `i·Wp + j`: im2col is one block copy per (row, sample) and col2im one contiguous add. The `Wp − Wo`
 *   columns after each output row are receptive fields that wrap around the plane's edge: the forward pass
 *   ignores their products and the backward passes give them a zero output gradient, so they contribute
 *   nothing. They cost `span / (Ho·Wo)` times the compact layout's multiply-adds (1.1–1.4× for LeNet and
 *   VGG layers), far less than the strided copies they replace. (With non-finite inputs or weights, their
 *   `0 · ∞` terms can spread NaN to entries the direct formula leaves at ±∞.)
 * - **compact** (any stride): column `p·Wo + q`, `span = Ho·Wo`; rows are gathered with the strides.
 *
 * Output-side arrays (`[count, O, Ho, Wo]`, NCHW) map to and from the `O × (b·span)` layout of the products by
 * {@link scatterProduct} and {@link gatherGradient}, row by row.
 *
 * Reference: Chellapilla, Puri, Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", IWFHR 2006 (the im2col lowering).
 */
import { raiseWideOnKernel } from './col2im-kernel';
import type { Conv2dGeometry } from './conv2d';

/** The sizes of one convolution's lowering; see the file header. */
export interface Lowering {
  readonly g: Conv2dGeometry;
  /** Rows of `X̃`: `C·kh·kw`. */
  readonly patch: number;
  /** Valid output positions per sample and channel: `Ho·Wo`. */
  readonly positions: number;
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  /** Floats of one padded input plane: `Hp·Wp`. */
  readonly paddedPlane: number;
  /** Columns of `X̃` per sample. */
  readonly span: number;
  /** Distance between consecutive output rows inside a sample's columns: `Wp` (wide) or `Wo` (compact). */
  readonly pitch: number;
  readonly wide: boolean;
}

/** The wide layout when the stride is 1 and `wide` is not turned off, else the compact one. */
export function lowering(g: Conv2dGeometry, wide = true): Lowering {
  const paddedHeight = g.height + 2 * g.paddingHeight;
  const paddedWidth = g.width + 2 * g.paddingWidth;
  const useWide = wide && g.strideHeight === 1 && g.strideWidth === 1;
  const pitch = useWide ? paddedWidth : g.outWidth;
  return {
    g,
    patch: g.inChannels * g.kernelHeight * g.kernelWidth,
    positions: g.outHeight * g.outWidth,
    paddedHeight,
    paddedWidth,
    paddedPlane: paddedHeight * paddedWidth,
    span: (g.outHeight - 1) * pitch + g.outWidth,
    pitch,
    wide: useWide,
  };
}

/** Floats of a stage of `b` samples. */
export const stageSize = (lw: Lowering, b: number): number => b * lw.g.inChannels * lw.paddedPlane;

/** `dst[d … d+n) = src[s … s+n)` (short runs: cheaper than a subarray view). */
function copyRun(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    dst[d + t] = src[s + t];
    dst[d + t + 1] = src[s + t + 1];
    dst[d + t + 2] = src[s + t + 2];
    dst[d + t + 3] = src[s + t + 3];
  }
  for (; t < n; t++) dst[d + t] = src[s + t];
}

/** `dst[d … d+n) += src[s … s+n)`. */
function addRun(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    dst[d + t] += src[s + t];
    dst[d + t + 1] += src[s + t + 1];
    dst[d + t + 2] += src[s + t + 2];
    dst[d + t + 3] += src[s + t + 3];
  }
  for (; t < n; t++) dst[d + t] += src[s + t];
}

/** Copies samples `first … first+b−1` of `x` (`[count, C, H, W]`) into the zero-padded stage at `at`. */
export function stageInput(
  lw: Lowering,
  x: Float32Array,
  first: number,
  b: number,
  stage: Float32Array,
  at: number,
): void {
  const { inChannels: C, height: H, width: W, paddingHeight: ph, paddingWidth: pw } = lw.g;
  const Wp = lw.paddedWidth;
  const planeIn = H * W;
  if (ph === 0 && pw === 0) {
    stage.set(x.subarray(first * C * planeIn, (first + b) * C * planeIn), at);
    return;
  }
  const planeP = lw.paddedPlane;
  stage.fill(0, at, at + b * C * planeP);
  for (let plane = 0; plane < b * C; plane++) {
    const src = (first * C + plane) * planeIn;
    const dst = at + plane * planeP + ph * Wp + pw;
    for (let y = 0; y < H; y++) copyRun(stage, dst + y * Wp, x, src + y * W, W);
  }
}

/**
 * Writes (`accumulate` false) or adds the stage's interior at `at` onto samples `first …` of `dx`
 * (`[count, C, H, W]`): the adjoint of {@link stageInput}.
 */
export function unstageInput(
  lw: Lowering,
  stage: Float32Array,
  at: number,
  first: number,
  b: number,
  dx: Float32Array,
  accumulate: boolean,
): void {
  const { inChannels: C, height: H, width: W, paddingHeight: ph, paddingWidth: pw } = lw.g;
  const Wp = lw.paddedWidth;
  const planeIn = H * W;
  const planeP = lw.paddedPlane;
  if (ph === 0 && pw === 0 && !accumulate) {
    dx.set(stage.subarray(at, at + b * C * planeIn), first * C * planeIn);
    return;
  }
  const run = accumulate ? addRun : copyRun;
  for (let plane = 0; plane < b * C; plane++) {
    const src = at + plane * planeP + ph * Wp + pw;
    const dst = (first * C + plane) * planeIn;
    if (pw === 0) run(dx, dst, stage, src, planeIn);
    else for (let y = 0; y < H; y++) run(dx, dst + y * W, stage, src + y * Wp, W);
  }
}

/** Fills `cols` (`K × (b·span)`, from offset 0) with the receptive fields of the `b` staged samples. */
export function lowerStage(
  lw: Lowering,
  stage: Float32Array,
  at: number,
  b: number,
  cols: Float32Array,
): void {
  const { inChannels: C, kernelHeight: kh, kernelWidth: kw, strideHeight: sh, strideWidth: sw } = lw.g;
  const { outHeight: Ho, outWidth: Wo } = lw.g;
  const { span, paddedWidth: Wp, paddedPlane: planeP } = lw;
  const same = cols === stage;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((c * kh + i) * kw + j) * b * span;
        for (let n = 0; n < b; n++) {
          const src = at + (n * C + c) * planeP + i * Wp + j;
          const dst = row + n * span;
          if (!lw.wide) {
            for (let p = 0; p < Ho; p++) {
              const s = src + p * sh * Wp;
              const d = dst + p * Wo;
              for (let q = 0; q < Wo; q++) cols[d + q] = stage[s + q * sw];
            }
          } else if (same) cols.copyWithin(dst, src, src + span);
          else cols.set(stage.subarray(src, src + span), dst);
        }
      }
    }
  }
}

/**
 * Adds each column of `cols` (`K × (b·span)`) back onto its receptive field in the stage at `at` (col2im; the
 * adjoint of {@link lowerStage}). The stage must be zeroed first; in the wide layout the wrapped columns of
 * `cols` must be zero (they are when they come from a gradient gathered by {@link gatherGradient}). Runs on
 * the SIMD kernel of `col2im-kernel.ts` when `cols` and `stage` are its work array.
 */
export function raiseToStage(
  lw: Lowering,
  cols: Float32Array,
  b: number,
  stage: Float32Array,
  at: number,
): void {
  const { inChannels: C, kernelHeight: kh, kernelWidth: kw, strideHeight: sh, strideWidth: sw } = lw.g;
  const { outHeight: Ho, outWidth: Wo } = lw.g;
  const { span, paddedWidth: Wp, paddedPlane: planeP } = lw;
  if (lw.wide && raiseWideOnKernel(cols, b, stage, at, { C, kh, kw, span, Wp, planeP })) return;
  const rows = kh * kw;
  // Sample-major: one sample's planes stay in L1 while its kh·kw rows are added in.
  for (let n = 0; n < b; n++) {
    for (let c = 0; c < C; c++) {
      const plane = at + (n * C + c) * planeP;
      for (let r = 0; r < rows; r++) {
        const src = (c * rows + r) * b * span + n * span;
        const dst = plane + Math.floor(r / kw) * Wp + (r % kw);
        if (lw.wide) {
          addRun(stage, dst, cols, src, span);
          continue;
        }
        for (let p = 0; p < Ho; p++) {
          const s = src + p * Wo;
          const d = dst + p * sh * Wp;
          for (let q = 0; q < Wo; q++) stage[d + q * sw] += cols[s + q];
        }
      }
    }
  }
}

/**
 * Writes (or with `accumulate` adds) a chunk product `O × (b·span)` into samples `first …` of an
 * `[count, O, Ho, Wo]` array, dropping the wrapped columns of the wide layout.
 */
export function scatterProduct(
  lw: Lowering,
  prod: Float32Array,
  first: number,
  b: number,
  out: Float32Array,
  accumulate: boolean,
): void {
  const { outChannels: O, outHeight: Ho, outWidth: Wo } = lw.g;
  const { span, pitch, positions: L } = lw;
  const run = accumulate ? addRun : copyRun;
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < b; n++) {
      const s = (o * b + n) * span;
      const d = ((first + n) * O + o) * L;
      if (pitch === Wo) {
        if (accumulate) addRun(out, d, prod, s, L);
        else out.set(prod.subarray(s, s + L), d);
      } else for (let p = 0; p < Ho; p++) run(out, d + p * Wo, prod, s + p * pitch, Wo);
    }
  }
}

/**
 * Gathers samples `first …` of `∂L/∂y` (`[count, O, Ho, Wo]`) into the `O × (b·span)` layout, with zeros in
 * the wrapped columns of the wide layout (the adjoint of {@link scatterProduct}).
 */
export function gatherGradient(
  lw: Lowering,
  gradOut: Float32Array,
  first: number,
  b: number,
  out: Float32Array,
): void {
  const { outChannels: O, outHeight: Ho, outWidth: Wo } = lw.g;
  const { span, pitch, positions: L } = lw;
  for (let o = 0; o < O; o++) {
    for (let n = 0; n < b; n++) {
      const s = ((first + n) * O + o) * L;
      const d = (o * b + n) * span;
      if (pitch === Wo) {
        out.set(gradOut.subarray(s, s + L), d);
        continue;
      }
      for (let p = 0; p < Ho; p++) {
        const row = d + p * pitch;
        copyRun(out, row, gradOut, s + p * Wo, Wo);
        if (p < Ho - 1) for (let t = row + Wo; t < row + pitch; t++) out[t] = 0;
      }
    }
  }
}
