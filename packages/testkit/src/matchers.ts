/**
 * Numeric jest matchers for typed arrays.
 *
 * `toBeCloseToArray(expected, { rtol, atol, equalNan })` passes when the lengths agree and every element
 * satisfies numpy's `allclose` rule
 *
 *     |actual[i] − expected[i]| ≤ atol + rtol · |expected[i]|
 *
 * (defaults rtol = 1e-5, atol = 1e-8, as numpy; NaN equals NaN only with `equalNan`; ±Infinity must match
 * exactly). On failure the message names the number of violations, the **worst index** (largest ratio of
 * error to tolerance) with both values, and the largest absolute and relative errors, so a failing
 * comparison of 10⁶ scores is still readable. Accumulation is in float64. O(n).
 *
 * `toBeAllFinite()` passes when no element is NaN or ±Infinity (and names the first that is).
 *
 * @example
 * import { installMatchers } from '@graphon-pai/testkit';
 * installMatchers();
 * expect(scores).toBeCloseToArray(numpyScores, { rtol: 1e-4 });
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export interface CloseToOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Treat NaN as equal to NaN (default false). */
  equalNan?: boolean;
}

export interface ArrayComparison {
  readonly pass: boolean;
  readonly length: number;
  readonly lengthMismatch: boolean;
  /** Number of elements outside the tolerance. */
  readonly mismatches: number;
  /** Index with the largest error / tolerance ratio (−1 when none). */
  readonly worstIndex: number;
  readonly worstActual: number;
  readonly worstExpected: number;
  readonly maxAbsError: number;
  /** Largest |a − e| / |e| over elements with e ≠ 0. */
  readonly maxRelError: number;
}

type NumericArray = ArrayLike<number> | ArrayLike<bigint>;

function toNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Compares two numeric arrays with numpy's `allclose` rule; the engine of `toBeCloseToArray`. */
export function compareArrays(
  actual: NumericArray,
  expected: NumericArray,
  options: CloseToOptions = {},
): ArrayComparison {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (!(rtol >= 0 && atol >= 0)) {
    throw new InvalidArgumentError('tolerance', { rtol, atol }, 'rtol ≥ 0 and atol ≥ 0');
  }
  const n = Math.min(actual.length, expected.length);
  let mismatches = 0;
  let worstIndex = -1;
  let worstRatio = -1;
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < n; i++) {
    const a = toNumber(actual[i]);
    const e = toNumber(expected[i]);
    let ratio: number;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      ratio = Number.isNaN(a) && Number.isNaN(e) && options.equalNan ? 0 : Number.POSITIVE_INFINITY;
    } else if (!Number.isFinite(a) || !Number.isFinite(e)) {
      ratio = a === e ? 0 : Number.POSITIVE_INFINITY;
    } else {
      const err = Math.abs(a - e);
      if (err > maxAbsError) maxAbsError = err;
      if (e !== 0 && err / Math.abs(e) > maxRelError) maxRelError = err / Math.abs(e);
      const tol = atol + rtol * Math.abs(e);
      ratio = err === 0 ? 0 : tol === 0 ? Number.POSITIVE_INFINITY : err / tol;
    }
    if (ratio > 1) mismatches++;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worstIndex = i;
    }
  }
  const lengthMismatch = actual.length !== expected.length;
  return {
    pass: !lengthMismatch && mismatches === 0,
    length: n,
    lengthMismatch,
    mismatches,
    worstIndex,
    worstActual: worstIndex >= 0 ? toNumber(actual[worstIndex]) : Number.NaN,
    worstExpected: worstIndex >= 0 ? toNumber(expected[worstIndex]) : Number.NaN,
    maxAbsError,
    maxRelError,
  };
}

function isNumericArray(v: unknown): v is NumericArray {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** Formats a comparison as the failure text of `toBeCloseToArray`. */
export function describeComparison(c: ArrayComparison, options: CloseToOptions = {}): string {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (c.lengthMismatch)
    return `lengths differ: the arrays must have the same length (compared the first ${c.length})`;
  const lines = [
    `${c.mismatches} of ${c.length} elements differ by more than atol + rtol·|expected| (rtol = ${rtol}, atol = ${atol})`,
  ];
  if (c.worstIndex >= 0) {
    lines.push(
      `worst at index ${c.worstIndex}: actual ${c.worstActual}, expected ${c.worstExpected} (|diff| = ${Math.abs(
        c.worstActual - c.worstExpected,
      )})`,
    );
  }
  lines.push(`max abs error ${c.maxAbsError}, max rel error ${c.maxRelError}`);
  return lines.join('\n');
}

function toBeCloseToArray(
  this: unknown,
  actual: unknown,
  expected: unknown,
  options: CloseToOptions = {},
): MatcherResult {
  if (!isNumericArray(actual) || !isNumericArray(expected)) {
    return {
      pass: false,
      message: () => 'toBeCloseToArray: actual and expected must be numeric arrays or typed arrays',
    };
  }
  const c = compareArrays(actual, expected, options);
  return {
    pass: c.pass,
    message: () =>
      c.pass
        ? `expected the arrays (length ${c.length}) not to be close, but every element is within tolerance`
        : `expected arrays to be close:\n${describeComparison(c, options)}`,
  };
}

function toBeAllFinite(this: unknown, actual: unknown): MatcherResult {
  if (!isNumericArray(actual)) {
    return { pass: false, message: () => 'toBeAllFinite: actual must be a numeric array or typed array' };
  }
  let bad = -1;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(toNumber(actual[i]))) {
      if (bad < 0) bad = i;
      count++;
    }
  }
  return {
    pass: bad < 0,
    message: () =>
      bad < 0
        ? `expected some non-finite element, but all ${actual.length} are finite`
        : `expected all elements to be finite; ${count} are not, the first at index ${bad} (${actual[bad]})`,
  };
}

/** The matchers, for `expect.extend(numericMatchers)`. */
export const numericMatchers = { toBeCloseToArray, toBeAllFinite };

/** Registers the numeric matchers with jest's global `expect`. */
export function installMatchers(): void {
  const g = globalThis as unknown as { expect?: { extend(m: object): void } };
  if (!g.expect || typeof g.expect.extend !== 'function') {
    throw new InvalidArgumentError('expect', g.expect, "jest's global expect", {
      fix: 'call installMatchers() from a jest test file or setupFilesAfterEnv module',
    });
  }
  g.expect.extend(numericMatchers);
}

declare global {
  namespace jest {
    interface Matchers<R> {
      /** numpy `allclose`: |a − e| ≤ atol + rtol·|e| element-wise (defaults rtol 1e-5, atol 1e-8). */
      toBeCloseToArray(expected: ArrayLike<number> | ArrayLike<bigint>, options?: CloseToOptions): R;
      /** No NaN or ±Infinity. */
      toBeAllFinite(): R;
    }
  }
}
