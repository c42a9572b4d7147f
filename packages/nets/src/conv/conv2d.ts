/**
 * 2-D convolution (PyTorch `nn.Conv2d`, cross-correlation, NCHW) on the fast matmul by im2col.
 *
 * Shapes: input `x` `[count, C, H, W]`, weight `W` `[O, C, kh, kw]` (row-major, i.e. the `O × K` matrix with
 * `K = C·kh·kw`), output `y` `[count, O, Ho, Wo]` with `Ho = ⌊(H + 2·ph − kh)/sh⌋ + 1` (same for `Wo`):
 *
 *     y[n, o, p, q] = Σ_{c,i,j} W[o, c, i, j] · x[n, c, p·sh − ph + i, q·sw − pw + j]     (0 outside the image)
 *
 * **im2col**: for a chunk of `b` samples, `X̃` is the `K × (b·span)` matrix whose columns are the receptive
 * fields of the output positions (`im2col.ts`: `span = Ho·Wo` in the compact layout, a little more in the wide
 * layout used for stride 1), row `k = c·kh·kw + i·kw + j` (the weight's column order). With `Y'`, `G'` the
 * `O × (b·span)` layouts of the output and of its gradient `∂L/∂y`:
 *
 *     forward         Y' = W · X̃                       (GEMM NN)
 *     weight grad     ∂L/∂W += G' · X̃ᵀ                  (GEMM NT, accumulated over chunks)
 *     input grad      ∂L/∂x = col2im(Wᵀ · G')           (GEMM TN, then scatter-add of each column)
 *
 * All products run on `@graphon-pai/linalg`'s `gemm` (onnxruntime / OpenBLAS / wasm provider). Chunks keep the
 * im2col matrix within {@link CHUNK_FLOATS} floats: large enough that each product amortises its call, small
 * enough to stay in the last-level cache between being written and being multiplied. All of a chunk's
 * arrays (im2col matrix, padded stage, products, and an exchange region the caller's arrays are copied through)
 * live in one reused work array on WebAssembly memory, moved by the SIMD kernels of `conv-kernels.ts`. The
 * backward pass ({@link conv2dBackward}: both gradients in one pass, `∂L/∂y`
 * gathered once per chunk) recomputes `X̃` instead of keeping it from the forward pass.
 *
 * Complexity: forward `count · O · K · Ho·Wo` multiply-adds (× `span / (Ho·Wo)` in the wide layout); each
 * gradient the same again.
 *
 * @example
 * const g = conv2dGeometry({ inChannels: 1, outChannels: 6, height: 28, width: 28, kernel: 5, padding: 2 });
 * const y = conv2dForward(x, 32, w, g);     // 32 × 6 × 28 × 28
 *
 * Reference: Chellapilla, Puri, Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", IWFHR 2006 (the im2col lowering).
 */
import { gemm } from '@graphon-pai/linalg';
import { workArray } from './conv-kernels';
import {
  gatherGradient,
  type Lowering,
  lowering,
  lowerStage,
  raiseToStage,
  scatterProduct,
  stageInput,
  stageSize,
  unstageInput,
} from './im2col';
import {
  checkIntegers,
  checkWindowFits,
  checkWindowSizes,
  pair,
  type SizePair,
  type WindowGeometry,
  windowGeometry,
} from './window';

/** Everything the convolution needs to know about one layer's sizes. */
export interface Conv2dGeometry extends WindowGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly paddingHeight: number;
  readonly paddingWidth: number;
}

export interface Conv2dGeometryOptions {
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  /** Kernel size, square or `[kh, kw]`. */
  kernel: SizePair;
  /** Stride (default 1). */
  stride?: SizePair;
  /** Zero padding on each side (default 0). */
  padding?: SizePair;
  /** The layer's name, used in error messages (default `'conv'`). */
  name?: string;
}

/** Validated geometry of a convolution; throws when the kernel does not fit the (padded) input. */
export function conv2dGeometry(options: Conv2dGeometryOptions): Conv2dGeometry {
  const name = options.name ?? 'conv';
  const [kh, kw] = pair(options.kernel);
  const [sh, sw] = pair(options.stride ?? 1);
  const [ph, pw] = pair(options.padding ?? 0);
  const { inChannels: C, height: h, width: w } = options;
  const counts: [string, number][] = [
    ['inChannels', C],
    ['outChannels', options.outChannels],
  ];
  checkWindowSizes(name, counts, [h, w], [kh, kw], [sh, sw]);
  checkIntegers(
    name,
    [
      ['padding height', ph],
      ['padding width', pw],
    ],
    0,
  );
  checkWindowFits(
    name,
    [kh, kw],
    [h + 2 * ph, w + 2 * pw],
    `a kernel no larger than the padded input ${h + 2 * ph} × ${w + 2 * pw} (input ${C} × ${h} × ${w}, padding ${ph} × ${pw})`,
    'use a smaller kernel, more padding, or fewer pooling layers before this one',
  );
  return {
    inChannels: C,
    outChannels: options.outChannels,
    paddingHeight: ph,
    paddingWidth: pw,
    ...windowGeometry([h, w], [kh, kw], [sh, sw], [ph, pw]),
  };
}

/** Columns of the im2col matrix: `K = C · kh · kw`. */
export function conv2dPatchSize(g: Conv2dGeometry): number {
  return g.inChannels * g.kernelHeight * g.kernelWidth;
}

/** Largest im2col matrix of one chunk, in floats (4 MiB; measured best of 2¹⁸…2²¹ on LeNet and VGG layers). */
export const CHUNK_FLOATS = 1 << 20;

/** Samples per chunk (at least 1) so that a chunk's im2col matrix holds at most {@link CHUNK_FLOATS} floats. */
export function conv2dChunk(g: Conv2dGeometry, count: number): number {
  const lw = lowering(g);
  return Math.max(1, Math.min(count, Math.floor(CHUNK_FLOATS / (lw.patch * lw.span))));
}

/**
 * One chunk of `b` samples starting at `first`, and where its parts live in the work array: the im2col matrix
 * at 0, then the padded stage, the `O × (b·span)` products and an exchange region for the caller's arrays.
 */
interface Chunk {
  readonly first: number;
  readonly b: number;
  readonly work: Float32Array;
  readonly stageAt: number;
  readonly productsAt: number;
  readonly exchangeAt: number;
}

/** Runs `body` per chunk; with `x`, the chunk's samples are staged and (`lower`) the im2col matrix filled. */
function forEachChunk(
  lw: Lowering,
  count: number,
  input: { x: Float32Array; lower: boolean } | null,
  body: (c: Chunk) => void,
): void {
  const chunk = conv2dChunk(lw.g, count);
  const { inChannels: C, outChannels: O } = lw.g;
  const inSample = C * lw.g.height * lw.g.width;
  for (let first = 0; first < count; first += chunk) {
    const b = Math.min(chunk, count - first);
    const stageAt = lw.patch * b * lw.span;
    const productsAt = stageAt + stageSize(lw, b);
    const exchangeAt = productsAt + O * b * lw.span;
    const work = workArray(exchangeAt + b * Math.max(inSample, O * lw.positions));
    if (input) {
      work.set(input.x.subarray(first * inSample, (first + b) * inSample), exchangeAt);
      stageInput(lw, work, exchangeAt, b, work, stageAt);
      if (input.lower) lowerStage(lw, work, stageAt, b, work);
    }
    body({ first, b, work, stageAt, productsAt, exchangeAt });
  }
}

/**
 * Delivers a chunk's result (`sample` floats per sample) to samples `c.first …` of `dst`: `move(to, at, add)`
 * writes it there directly when adding (`accumulate`), else into the exchange region, copied out in one `set`.
 */
function deliverChunk(
  c: Chunk,
  sample: number,
  dst: Float32Array,
  accumulate: boolean,
  move: (to: Float32Array, at: number, add: boolean) => void,
): void {
  const at = c.first * sample;
  if (accumulate) move(dst, at, true);
  else {
    move(c.work, c.exchangeAt, false);
    dst.set(c.work.subarray(c.exchangeAt, c.exchangeAt + c.b * sample), at);
  }
}

/** The chunk's products region as an array of its own (the GEMM writes and reads from index 0). */
const productsOf = (lw: Lowering, c: Chunk): Float32Array =>
  c.work.subarray(c.productsAt, c.productsAt + lw.g.outChannels * c.b * lw.span);

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
  const lw = lowering(g);
  const outSample = g.outChannels * lw.positions;
  forEachChunk(lw, count, { x, lower: true }, (c) => {
    gemm(false, false, g.outChannels, c.b * lw.span, lw.patch, 1, weight, c.work, 0, productsOf(lw, c));
    deliverChunk(c, outSample, out, accumulate, (to, at, add) =>
      scatterProduct(lw, c.work, c.productsAt, c.b, to, at, add),
    );
  });
  return out;
}

/** Gathers the chunk's `∂L/∂y` into its products region (through the exchange region). */
function gatherChunkGradient(lw: Lowering, gradOut: Float32Array, c: Chunk): void {
  const outSample = lw.g.outChannels * lw.positions;
  c.work.set(gradOut.subarray(c.first * outSample, (c.first + c.b) * outSample), c.exchangeAt);
  gatherGradient(lw, c.work, c.exchangeAt, c.b, c.work, c.productsAt);
}

/** `dW (+)= G' · X̃ᵀ` for one chunk (`beta` 1 adds onto `dw`). */
function weightGradientStep(lw: Lowering, c: Chunk, beta: number, dw: Float32Array) {
  gemm(false, true, lw.g.outChannels, lw.patch, c.b * lw.span, 1, productsOf(lw, c), c.work, beta, dw);
}

/** `dx (+)= col2im(Wᵀ · G')` for one chunk, through the im2col, stage and exchange regions. */
function inputGradientStep(
  lw: Lowering,
  c: Chunk,
  weight: Float32Array,
  dx: Float32Array,
  accumulate: boolean,
) {
  const { work, b, stageAt } = c;
  gemm(true, false, lw.patch, b * lw.span, lw.g.outChannels, 1, weight, productsOf(lw, c), 0, work);
  work.fill(0, stageAt, stageAt + stageSize(lw, b));
  raiseToStage(lw, work, b, work, stageAt);
  const inSample = lw.g.inChannels * lw.g.height * lw.g.width;
  deliverChunk(c, inSample, dx, accumulate, (to, at, add) => unstageInput(lw, work, stageAt, b, to, at, add));
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
  const lw = lowering(g);
  forEachChunk(lw, count, { x, lower: true }, (c) => {
    gatherChunkGradient(lw, gradOut, c);
    weightGradientStep(lw, c, accumulate || c.first > 0 ? 1 : 0, dw);
  });
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
  const lw = lowering(g);
  forEachChunk(lw, count, null, (c) => {
    gatherChunkGradient(lw, gradOut, c);
    inputGradientStep(lw, c, weight, dx, accumulate);
  });
  return dx;
}

/**
 * The backward pass of a convolution: `∂L/∂W` (overwritten into `dw`) and, unless `inputGradient` is false,
 * `∂L/∂x` — the two gradients of {@link conv2dWeightGradient} and {@link conv2dInputGradient} in one pass
 * over the chunks, gathering each chunk's `∂L/∂y` once.
 */
export function conv2dBackward(
  gradOut: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  count: number,
  g: Conv2dGeometry,
  options: { inputGradient?: boolean; dw?: Float32Array; dx?: Float32Array } = {},
): { weight: Float32Array; input: Float32Array | null } {
  const lw = lowering(g);
  const dw = options.dw ?? new Float32Array(g.outChannels * lw.patch);
  const dx =
    options.inputGradient === false
      ? null
      : (options.dx ?? new Float32Array(count * g.inChannels * g.height * g.width));
  forEachChunk(lw, count, { x, lower: true }, (c) => {
    gatherChunkGradient(lw, gradOut, c);
    weightGradientStep(lw, c, c.first > 0 ? 1 : 0, dw);
    if (dx) inputGradientStep(lw, c, weight, dx, false);
  });
  return { weight: dw, input: dx };
}

/**
 * Fills `cols` (`K × (b·Ho·Wo)`, the compact layout) with the receptive fields of samples
 * `first … first + b − 1` of `x`: column `n·Ho·Wo + p·Wo + q`, row `c·kh·kw + i·kw + j`.
 */
export function im2col(
  x: Float32Array,
  g: Conv2dGeometry,
  first: number,
  b: number,
  cols: Float32Array,
): void {
  const lw = lowering(g, false);
  const stage = workArray(stageSize(lw, b));
  const inSample = g.inChannels * g.height * g.width;
  stageInput(lw, x, first * inSample, b, stage, 0);
  lowerStage(lw, stage, 0, b, cols);
}

/** Adds each column of `cols` (`K × (b·Ho·Wo)`, as {@link im2col} lays it out) onto its receptive field in `dx`. */
export function col2imAdd(
  cols: Float32Array,
  g: Conv2dGeometry,
  first: number,
  b: number,
  dx: Float32Array,
): void {
  const lw = lowering(g, false);
  const stage = workArray(stageSize(lw, b)).fill(0, 0, stageSize(lw, b));
  raiseToStage(lw, cols, b, stage, 0);
  unstageInput(lw, stage, 0, b, dx, first * g.inChannels * g.height * g.width, true);
}
