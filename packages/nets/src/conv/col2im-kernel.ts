/**
 * The convolution's work array on WebAssembly memory, and the col2im of the wide layout (`im2col.ts`) as a
 * SIMD kernel over it (source `col2im.wat`, compiled by `scripts/col2im-wasm.mjs`).
 *
 * col2im is a sum of `kh·kw` shifted runs per (sample, channel): `K · b · span` float additions per chunk, the
 * largest share of the input gradient after its product. A JavaScript loop runs them one float at a time
 * (≈ 0.7–1 ns each here); the kernel adds four at a time. The work array (im2col matrix + stage) lives in the
 * module's linear memory so the kernel reads and writes it in place, and the GEMM providers accept it like any
 * other `Float32Array`. Without WebAssembly SIMD the work array is an ordinary array and `im2col.ts` adds in
 * JavaScript.
 */
import { COL2IM_WASM_BASE64 } from './col2im-wasm';

/** The part of the WebAssembly JS API used here (typed locally: the project's libs carry no DOM types). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};
type WasmMemory = { readonly buffer: ArrayBuffer; grow(pages: number): number };
type RaiseWide = (
  cols: number,
  stage: number,
  b: number,
  C: number,
  kh: number,
  kw: number,
  span: number,
  Wp: number,
  planeP: number,
) => void;

const PAGE = 65536;

interface Kernel {
  memory: WasmMemory;
  raiseWide: RaiseWide;
}

let kernel: Kernel | null | undefined;
let enabled = true;
let view = new Float32Array(0);
let plain = new Float32Array(0);

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(COL2IM_WASM_BASE64), (c) => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) return (kernel = null);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernel = { memory: exports.memory as WasmMemory, raiseWide: exports.raise_wide as RaiseWide };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Turns the SIMD kernel off (`false`) or back on; for tests of the JavaScript path. */
export function useCol2imKernel(on: boolean): void {
  enabled = on;
}

/**
 * A reused work array of at least `length` floats: a view of the kernel's memory when the kernel is on
 * (valid until the next call), else an ordinary array. Contents are unspecified.
 */
export function workArray(length: number): Float32Array {
  const k = enabled ? load() : null;
  if (!k) {
    if (plain.length < length) plain = new Float32Array(length);
    return plain;
  }
  const bytes = length * 4;
  if (k.memory.buffer.byteLength < bytes)
    k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / PAGE));
  if (view.buffer !== k.memory.buffer) view = new Float32Array(k.memory.buffer);
  return view;
}

/**
 * Wide-layout col2im on the kernel: `stage[at + …] += cols[…]` as in `raiseToStage`, when both are the
 * kernel's work array. Returns false (nothing done) otherwise.
 */
export function raiseWideOnKernel(
  cols: Float32Array,
  b: number,
  stage: Float32Array,
  at: number,
  sizes: { C: number; kh: number; kw: number; span: number; Wp: number; planeP: number },
): boolean {
  if (!enabled || !kernel || cols !== view || stage !== view) return false;
  const { C, kh, kw, span, Wp, planeP } = sizes;
  kernel.raiseWide(0, at * 4, b, C, kh, kw, span, Wp, planeP);
  return true;
}
