/**
 * System OpenBLAS (and LAPACKE) through the koffi FFI package: `cblas_sgemm` / `cblas_dgemm` on row-major
 * arrays, called synchronously with the caller's typed arrays (no copies).
 *
 * OpenBLAS reads its environment when the library is loaded, and two variables are defaulted then unless
 * the user set them:
 *
 * - OPENBLAS_CORETYPE=Haswell: older builds (Debian's 0.3.21) misdetect the AVX-512 EPYC machines this
 *   project runs on.
 * - OPENBLAS_THREAD_TIMEOUT=20: after a call, OpenBLAS's worker threads spin (yielding) for 2^n cycles
 *   before they sleep; the default n = 28 is ≈ 0.1 s, during which a worker holds a core that onnxruntime's
 *   GEMM threads, the WebAssembly kernels or the JS thread then share (on 2 cores a 1001² onnxruntime Gram
 *   product right after an OpenBLAS call took 5.6 ms instead of 3.5). 2²⁰ cycles (≈ 0.4 ms) still covers
 *   the gaps inside one LAPACK call (a 1001² `spotrf` takes the same 2.2–2.5 ms; n = 4, sleeping at once,
 *   made it 3.3 ms).
 *
 * The thread count is capped at the machine's cores (at most 2).
 */
import type { GemmEngine } from '../provider';
import { type GemmKernel, scaleC } from './gemm-js';
import { localRequire, threadBudget } from './native';

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

const LIBRARY_NAMES = ['libopenblas.so.0', 'libopenblas.so', 'libopenblas.dylib', 'libopenblas.0.dylib'];

type KoffiFunction = (...args: unknown[]) => unknown;
interface KoffiLibrary {
  func(signature: string): KoffiFunction;
}
interface Koffi {
  load(path: string): KoffiLibrary;
}

let koffi: Koffi | undefined;
let openblas: KoffiLibrary | undefined;
/** `openblas_set_num_threads`, when the library exports it, and the thread count set at load. */
let setThreads: ((n: number) => void) | undefined;
let threads = 1;

export function loadKoffi(): Koffi {
  koffi ??= localRequire()('koffi') as Koffi;
  return koffi;
}

function loadFirst(names: string[], what: string): KoffiLibrary {
  const k = loadKoffi();
  const errors: string[] = [];
  for (const name of names) {
    try {
      return k.load(name);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new Error(`${what} not found (${errors[0] ?? 'no candidates'})`);
}

/** The OpenBLAS shared library, loaded once with OPENBLAS_CORETYPE and OPENBLAS_THREAD_TIMEOUT defaulted. */
export function loadOpenblasLibrary(): KoffiLibrary {
  if (openblas) return openblas;
  process.env.OPENBLAS_CORETYPE ??= 'Haswell';
  process.env.OPENBLAS_THREAD_TIMEOUT ??= '20';
  const lib = loadFirst(LIBRARY_NAMES, 'libopenblas (Debian: apt-get install libopenblas0-pthread)');
  try {
    setThreads = lib.func('void openblas_set_num_threads(int)') as (n: number) => void;
    threads = threadBudget();
    setThreads(threads);
  } catch {
    // Not every BLAS exports the OpenBLAS thread API; the library default then applies.
  }
  openblas = lib;
  return lib;
}

/**
 * Runs `call` (an OpenBLAS routine) on the calling thread alone, then restores the thread budget. For
 * memory-bound routines of tens of microseconds (`symv` of order 1000): a second thread gains little there,
 * and when another thread of the process holds the other core, waiting for it stalls the call for a whole
 * scheduler time slice (3–6 ms measured on 2 cores, where the product itself takes 0.02 ms). Setting the
 * thread count is a store in OpenBLAS (≈ 0.07 µs per pair of calls).
 */
export function onOneThread<T>(call: () => T): T {
  if (!setThreads) return call();
  setThreads(1);
  try {
    return call();
  } finally {
    setThreads(threads);
  }
}

function kernel<T extends Float32Array | Float64Array>(fn: KoffiFunction): GemmKernel<T> {
  return (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    if (m === 0 || n === 0) return;
    if (k === 0 || alpha === 0) {
      scaleC(c, m * n, beta);
      return;
    }
    fn(
      CBLAS_ROW_MAJOR,
      transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
      transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
      m,
      n,
      k,
      alpha,
      a,
      transA ? m : k,
      b,
      transB ? k : n,
      beta,
      c,
      n,
    );
  };
}

export function loadOpenblasGemm(): GemmEngine {
  const lib = loadOpenblasLibrary();
  const sig = (t: string, name: string) =>
    `void ${name}(int, int, int, int, int, int, ${t}, const ${t} *, int, const ${t} *, int, ${t}, ${t} *, int)`;
  return {
    name: 'openblas',
    gemm32: kernel<Float32Array>(lib.func(sig('float', 'cblas_sgemm'))),
    gemm64: kernel<Float64Array>(lib.func(sig('double', 'cblas_dgemm'))),
    // Below 16³ multiply-adds the FFI call costs more than the JS kernel.
    minWork: 4096,
  };
}
