/**
 * Loader and driver of the WebAssembly SIMD kernel of the fused selection pass (`fused.wat`).
 *
 * The scores stay in their own buffers; blocks of ≤ 2¹⁶ entries (whole rows, or 2¹⁶-entry segments of
 * longer rows, so packed words never straddle a block) are copied into the kernel's memory, processed 4
 * lanes at a time, and the packed words and candidate indices are copied back. The result is identical
 * to the scalar JS pass (tests run both). When WebAssembly SIMD is unavailable the JS pass is used.
 * An eligibility mask (`within`, iterative rounds) is copied alongside; ineligible entries are neither
 * kept nor candidates. Memory: 16 pages = scores, output words, candidates, eligibility words (256 KiB each).
 */
import { FUSED_WASM_BASE64 } from './fused-wasm';

/** The part of the WebAssembly JS API used here (not in the ES2023 lib). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  buffer: ArrayBuffer;
}

const BLOCK = 65536;
const OUT = BLOCK * 4;
const CAND = BLOCK * 8;
const WIN = BLOCK * 12;

interface Kernel {
  fused(
    src: number,
    rows: number,
    cols: number,
    out: number,
    cand: number,
    lo: number,
    hi: number,
    win: number,
  ): number;
  bad(): number;
  resetBad(): void;
  heapI32: Int32Array;
  heapU32: Uint32Array;
}

let kernel: Kernel | null | undefined;

/** The kernel, or null when this runtime has no WebAssembly SIMD. */
export function fusedKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(FUSED_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const ex = instance.exports as unknown as {
      memory: WasmMemory;
      fused: Kernel['fused'];
      bad: () => number;
      resetBad: () => void;
    };
    kernel = {
      fused: ex.fused,
      bad: ex.bad,
      resetBad: ex.resetBad,
      heapI32: new Int32Array(ex.memory.buffer),
      heapU32: new Uint32Array(ex.memory.buffer),
    };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Output of one layer's pass: candidates appended to `candIndex`/`candKey` from `nc`; −1 on overflow. */
export function fusedLayerWasm(
  k: Kernel,
  bits: Int32Array,
  rows: number,
  cols: number,
  out: Uint32Array,
  within: Uint32Array | null,
  lo: number,
  hi: number,
  candIndex: Uint32Array,
  candKey: Int32Array,
  nc: number,
  gbase: number,
  cap: number,
): number {
  const { heapI32, heapU32 } = k;
  const wpr = (cols + 31) >>> 5;
  const collect = (got: number, start: number): boolean => {
    if (nc + got > cap) return false;
    for (let i = 0; i < got; i++) {
      const g = start + heapU32[(CAND >>> 2) + i];
      const b = bits[g];
      const m = b >> 31;
      candIndex[nc] = gbase + g;
      candKey[nc++] = (b ^ (m & 0x7fffffff)) - m;
    }
    return true;
  };
  if (cols <= BLOCK) {
    const perBlock = Math.floor(BLOCK / cols);
    for (let r0 = 0; r0 < rows; r0 += perBlock) {
      const nr = Math.min(perBlock, rows - r0);
      const start = r0 * cols;
      heapI32.set(bits.subarray(start, start + nr * cols), 0);
      if (within) heapU32.set(within.subarray(r0 * wpr, (r0 + nr) * wpr), WIN >>> 2);
      const got = k.fused(0, nr, cols, OUT, CAND, lo, hi, within ? WIN : 0);
      out.set(heapU32.subarray(OUT >>> 2, (OUT >>> 2) + nr * wpr), r0 * wpr);
      if (!collect(got, start)) return -1;
    }
  } else {
    for (let r = 0; r < rows; r++) {
      for (let c0 = 0; c0 < cols; c0 += BLOCK) {
        const seg = Math.min(BLOCK, cols - c0);
        const start = r * cols + c0;
        heapI32.set(bits.subarray(start, start + seg), 0);
        const w0 = r * wpr + (c0 >>> 5);
        if (within) heapU32.set(within.subarray(w0, w0 + ((seg + 31) >>> 5)), WIN >>> 2);
        const got = k.fused(0, 1, seg, OUT, CAND, lo, hi, within ? WIN : 0);
        out.set(heapU32.subarray(OUT >>> 2, (OUT >>> 2) + ((seg + 31) >>> 5)), r * wpr + (c0 >>> 5));
        if (!collect(got, start)) return -1;
      }
    }
  }
  return nc;
}
