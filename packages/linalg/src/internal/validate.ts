import { InvalidArgumentError, NumericalError } from '@graphon-pai/core';

/** A non-negative integer dimension. */
export function checkDim(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, value, 'a non-negative integer', {
      fix: `pass ${argument} as a whole number of rows/columns`,
    });
  }
  return value;
}

/** A finite number (alpha, beta, tolerances). */
export function checkFinite(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, value, 'a finite number');
  }
  return value;
}

export type FloatArray = Float32Array | Float64Array;

export function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

/** `value` is a Float32Array or Float64Array holding at least `length` elements. */
export function checkFloatArray(argument: string, value: unknown, length: number, shape: string): FloatArray {
  if (!isFloatArray(value)) {
    throw new InvalidArgumentError(argument, value, 'a Float32Array or Float64Array', {
      fix: `convert ${argument} with Float64Array.from(...) (row-major ${shape})`,
    });
  }
  if (value.length < length) {
    throw new InvalidArgumentError(argument, value, `at least ${length} elements (row-major ${shape})`, {
      fix: `check the dimensions passed together with ${argument}`,
    });
  }
  return value;
}

/** `value` is a Float64Array holding at least `length` elements. */
export function checkFloat64Array(
  argument: string,
  value: unknown,
  length: number,
  shape: string,
): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new InvalidArgumentError(argument, value, `a Float64Array (row-major ${shape})`, {
      fix: `convert ${argument} with Float64Array.from(...)`,
    });
  }
  if (value.length < length) {
    throw new InvalidArgumentError(argument, value, `at least ${length} elements (row-major ${shape})`, {
      fix: `check the dimensions passed together with ${argument}`,
    });
  }
  return value;
}

/** Throws a NumericalError naming the first non-finite entry of `a[0..length)`. */
export function checkAllFinite(argument: string, a: ArrayLike<number>, length: number, cols: number): void {
  for (let i = 0; i < length; i++) {
    const v = a[i];
    if (v - v !== 0) {
      throw new NumericalError(
        `${argument} contains a non-finite value ${v} at row ${Math.floor(i / cols)}, column ${i % cols}`,
        { fix: `remove NaN/Infinity from ${argument} before the call` },
      );
    }
  }
}
