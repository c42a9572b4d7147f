/**
 * The dense matrix shape used across `@graphon-pai/bounds`: a row-major array with its dimensions.
 *
 * Inputs `X` are `rows × cols` = samples × input coordinates (one sample per row, the layout of a numpy
 * design matrix). Kernels are `rows × rows` Float64Arrays, symmetric. Validation lives here so every public
 * function rejects non-finite values and mismatched dimensions with the same typed errors.
 *
 * @example
 * const x: Matrix = { rows: 2, cols: 3, data: Float64Array.of(1, 0, 2, 0, 1, 1) };
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export interface Matrix {
  /** Number of rows (samples for a design matrix). */
  readonly rows: number;
  /** Number of columns (input coordinates for a design matrix). */
  readonly cols: number;
  /** Row-major entries, `rows · cols` of them. */
  readonly data: ArrayLike<number>;
}

/** A square symmetric kernel (Gram) matrix over `rows` samples, row-major float64. */
export interface KernelMatrix extends Matrix {
  readonly data: Float64Array;
}

/** Checks shape and finiteness; returns the entries as a Float64Array (a copy only when needed). */
export function checkMatrix(
  name: string,
  m: Matrix,
  options: { minRows?: number; square?: boolean } = {},
): Float64Array {
  if (m === null || typeof m !== 'object') {
    throw new InvalidArgumentError(name, m, 'an object { rows, cols, data } with row-major entries');
  }
  const { rows, cols, data } = m;
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1)) {
    throw new InvalidArgumentError(`${name}.rows/${name}.cols`, `${rows} × ${cols}`, 'positive integers');
  }
  if (!data || typeof (data as ArrayLike<number>).length !== 'number' || data.length !== rows * cols) {
    throw new InvalidArgumentError(
      `${name}.data`,
      data,
      `${rows} · ${cols} = ${rows * cols} row-major entries`,
      {
        fix: `check that ${name}.rows and ${name}.cols describe ${name}.data`,
      },
    );
  }
  if (options.square && rows !== cols) {
    throw new InvalidArgumentError(name, `${rows} × ${cols}`, 'a square matrix');
  }
  if (options.minRows !== undefined && rows < options.minRows) {
    throw new InvalidArgumentError(`${name}.rows`, rows, `at least ${options.minRows}`, {
      fix: `pass at least ${options.minRows} samples`,
    });
  }
  const out = data instanceof Float64Array ? data : Float64Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      const r = Math.floor(i / cols);
      throw new InvalidArgumentError(`${name}[${r}][${i - r * cols}]`, out[i], 'a finite number', {
        fix: 'remove or impute non-finite entries before computing kernels',
      });
    }
  }
  return out;
}

/** Checks a vector of `length` finite numbers; returns it as a Float64Array. */
export function checkVector(name: string, v: ArrayLike<number>, length?: number): Float64Array {
  if (!v || typeof v.length !== 'number') throw new InvalidArgumentError(name, v, 'an array of numbers');
  if (length !== undefined && v.length !== length) {
    throw new InvalidArgumentError(name, v, `an array of length ${length}`, {
      fix: `pass one value per sample (${length})`,
    });
  }
  const out = v instanceof Float64Array ? v : Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new InvalidArgumentError(`${name}[${i}]`, out[i], 'a finite number');
  }
  return out;
}

/** Checks that a kernel matrix is symmetric up to `1e-10 · max|K|`. */
export function checkSymmetric(name: string, k: Float64Array, n: number): void {
  let maxAbs = 0;
  for (let i = 0; i < k.length; i++) maxAbs = Math.max(maxAbs, Math.abs(k[i]));
  const tol = 1e-10 * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(k[i * n + j] - k[j * n + i]) > tol) {
        throw new InvalidArgumentError(
          name,
          `K[${i}][${j}] = ${k[i * n + j]}, K[${j}][${i}] = ${k[j * n + i]}`,
          'a symmetric kernel matrix',
          {
            fix: 'pass (K + Kᵀ)/2 if the asymmetry is rounding noise',
          },
        );
      }
    }
  }
}

/** `@graphon-pai/core`'s check, re-exported for this package's modules. */
export { checkPositiveInteger } from '@graphon-pai/core';

export function checkNumberIn(
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  openLo: boolean,
  openHi: boolean,
): number {
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (openLo ? v > lo : v >= lo) && (openHi ? v < hi : v <= hi);
  if (!ok) {
    throw new InvalidArgumentError(
      name,
      v,
      `a number in ${openLo ? '(' : '['}${lo}, ${hi}${openHi ? ')' : ']'}`,
    );
  }
  return v as number;
}
