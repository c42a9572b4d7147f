/**
 * Loading the WebAssembly SIMD kernels that the packages ship as base64 (linalg's sparse gathers, nets'
 * training and convolution kernels): a module is decoded, validated and compiled once, on first use; where
 * the runtime has no WebAssembly or no SIMD (`WebAssembly.validate` refuses the bytes, or compiling throws)
 * the loader gives null and the caller runs its JavaScript loops instead. Each instance owns a linear memory
 * that `reserve` grows, in whole 64 KiB pages, to hold a given number of bytes (growing may move it: views
 * made before are stale).
 *
 * @example
 * const kernels = wasmSimdModule(KERNELS_WASM_BASE64);
 * const module = kernels();                 // null without WebAssembly SIMD
 * const instance = module?.instantiate();
 * const buffer = instance?.reserve(1 << 20);
 */

/** The part of the WebAssembly JS API used here (typed locally: the project's libs carry no DOM types). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** A WebAssembly linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One instance of a module: its exports (the kernels) and its own linear memory (exported as `memory`). */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
  readonly memory: WasmMemory;
  /** Grows the memory to at least `bytes` bytes and returns its (possibly new) buffer. */
  reserve(bytes: number): ArrayBuffer;
}

/** A compiled module, instantiated as often as needed (without imports). */
export interface WasmSimdModule {
  instantiate(): WasmInstance;
}

/** Bytes of a WebAssembly memory page. */
export const WASM_PAGE_BYTES = 65536;

/** The lazily compiled module of `base64`, or null where this runtime cannot run it (see the file header). */
export function wasmSimdModule(base64: string): () => WasmSimdModule | null {
  let compiled: WasmSimdModule | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      compiled = WebAssembly.validate(bytes) ? compiledModule(new WebAssembly.Module(bytes)) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}

function compiledModule(module: object): WasmSimdModule {
  return {
    instantiate() {
      const { exports } = new WebAssembly.Instance(module, {});
      const memory = exports.memory as WasmMemory;
      return {
        exports,
        memory,
        reserve(bytes) {
          const missing = Math.ceil(bytes / WASM_PAGE_BYTES) - memory.buffer.byteLength / WASM_PAGE_BYTES;
          if (missing > 0) memory.grow(missing);
          return memory.buffer;
        },
      };
    },
  };
}
