/**
 * The convolution's work array on WebAssembly memory, and its data movement as SIMD kernels over that memory
 * (source `conv-kernels.wat`, compiled by `scripts/conv-kernels-wasm.mjs`):
 *
 * - `raise_wide`: col2im of the wide layout (`im2col.ts`), `K · b · span` float additions per chunk — a sum of
 *   `kh·kw` shifted runs per (sample, channel), the largest share of the input gradient after its product;
 * - `copy_rows`: strided row copies (`blocks × rows` rows of `len` floats, each side with its own row and block
 *   pitch): the padded stage, the scatter of products to NCHW and the gather of `∂L/∂y` from it.
 *
 * A JavaScript loop moves one float at a time (≈ 0.7–1 ns each here); the kernels move four. The work array
 * (im2col matrix, stage, products and an exchange region for the caller's arrays) lives in the module's linear
 * memory so the kernels read and write it in place, and the GEMM providers accept it like any other
 * `Float32Array`. Without WebAssembly SIMD (or with {@link useConvKernels}(false)) the work array is an ordinary
 * array and `im2col.ts` runs the same moves in JavaScript.
 */
import { type WasmInstance, wasmSimdModule } from '@graphon-pai/linalg';
import { CONV_KERNELS_WASM_BASE64 } from './conv-kernels-wasm';

type Kernel9 = (
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
  i: number,
) => void;

const compiledKernels = wasmSimdModule(CONV_KERNELS_WASM_BASE64);

interface Kernels {
  instance: WasmInstance;
  raiseWide: Kernel9;
  copyRows: Kernel9;
}

let kernels: Kernels | null | undefined;
let enabled = true;
let view = new Float32Array(0);
let plain = new Float32Array(0);

function load(): Kernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const instance = compiledKernels()?.instantiate();
    if (!instance) return (kernels = null);
    const { exports } = instance;
    kernels = {
      instance,
      raiseWide: exports.raise_wide as Kernel9,
      copyRows: exports.copy_rows as Kernel9,
    };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Turns the SIMD kernels off (`false`) or back on; for tests of the JavaScript path. */
export function useConvKernels(on: boolean): void {
  enabled = on;
}

/**
 * A reused work array of at least `length` floats: a view of the kernels' memory when they are on (valid
 * until the next call), else an ordinary array. Contents are unspecified.
 */
export function workArray(length: number): Float32Array {
  const k = enabled ? load() : null;
  if (!k) {
    if (plain.length < length) plain = new Float32Array(length);
    return plain;
  }
  const buffer = k.instance.reserve(length * 4);
  if (view.buffer !== buffer) view = new Float32Array(buffer);
  return view;
}

/** Whether `array` is the kernels' work array (so they can run on it). */
const onKernels = (array: Float32Array): boolean => enabled && kernels != null && array === view;

/**
 * Wide-layout col2im on the kernel: `stage[at + …] += cols[…]` as in `raiseToStage`, when both are the work
 * array. Returns false (nothing done) otherwise.
 */
export function raiseWideOnKernel(
  cols: Float32Array,
  b: number,
  stage: Float32Array,
  at: number,
  sizes: { C: number; kh: number; kw: number; span: number; Wp: number; planeP: number },
): boolean {
  if (!onKernels(cols) || stage !== cols) return false;
  const { C, kh, kw, span, Wp, planeP } = sizes;
  kernels!.raiseWide(0, at * 4, b, C, kh, kw, span, Wp, planeP);
  return true;
}

/** Offsets and pitches (in floats) of a strided row copy; see `copy_rows` in the file header. */
export interface RowCopy {
  blocks: number;
  rows: number;
  len: number;
  srcRow: number;
  srcBlock: number;
  dstRow: number;
  dstBlock: number;
}

/**
 * `dst[dstAt + blk·dstBlock + r·dstRow + t] = src[srcAt + blk·srcBlock + r·srcRow + t]` on the kernel, when
 * both arrays are the work array. Returns false (nothing done) otherwise.
 */
export function copyRowsOnKernel(
  src: Float32Array,
  srcAt: number,
  dst: Float32Array,
  dstAt: number,
  c: RowCopy,
): boolean {
  if (!onKernels(src) || dst !== src) return false;
  kernels!.copyRows(
    srcAt * 4,
    dstAt * 4,
    c.blocks,
    c.rows,
    c.len,
    c.srcRow,
    c.srcBlock,
    c.dstRow,
    c.dstBlock,
  );
  return true;
}
