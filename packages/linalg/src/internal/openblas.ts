/**
 * System OpenBLAS (and LAPACKE) through the koffi FFI package: `cblas_sgemm` / `cblas_dgemm` on row-major
 * arrays, called synchronously with the caller's typed arrays (no copies).
 *
 * OpenBLAS reads OPENBLAS_CORETYPE when the library is loaded; older builds (Debian's 0.3.21) misdetect
 * the AVX-512 EPYC machines this project runs on, so `Haswell` is set unless the user chose a core type.
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

/** The OpenBLAS shared library, loaded once with OPENBLAS_CORETYPE defaulted. */
export function loadOpenblasLibrary(): KoffiLibrary {
  if (openblas) return openblas;
  process.env.OPENBLAS_CORETYPE ??= 'Haswell';
  const lib = loadFirst(LIBRARY_NAMES, 'libopenblas (Debian: apt-get install libopenblas0-pthread)');
  try {
    (lib.func('void openblas_set_num_threads(int)') as (n: number) => void)(threadBudget());
  } catch {
    // Not every BLAS exports the OpenBLAS thread API; the library default then applies.
  }
  openblas = lib;
  return lib;
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
