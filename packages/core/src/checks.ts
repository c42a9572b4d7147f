/**
 * Argument checks shared by the packages, so that the same mistake gets the same message everywhere.
 *
 * - {@link checkDensity}: a kept fraction `p ∈ (0, 1]` (or `(0, 1)` where `p = 1` is meaningless, e.g. an FSM
 *   limit). Density is the fraction of weights **kept**; sparsity is `1 − p`.
 * - {@link checkPositiveInteger}: an integer in `[1, max]` (sizes, counts, iteration limits).
 *
 * Both return the value, so they can sit in an assignment, and throw {@link InvalidArgumentError} naming the
 * argument, the expected value and a fix.
 *
 * @example
 * const p = checkDensity(options.density);                       // 0.1
 * const k = checkPositiveInteger('options.topK', options.topK ?? 10);
 * checkDensity(1, 'density', { open: true });                    // throws: a number in (0, 1)
 */
import { InvalidArgumentError } from './errors';

export interface DensityCheckOptions {
  /** Refuse `p = 1` as well (the interval is `(0, 1)`); default false. */
  open?: boolean;
}

/** Throws unless `density` is a number in (0, 1] ((0, 1) with `open`). Returns it. */
export function checkDensity(
  density: unknown,
  argument = 'density',
  options: DensityCheckOptions = {},
): number {
  const ok = typeof density === 'number' && density > 0 && (options.open ? density < 1 : density <= 1);
  if (!ok) {
    throw new InvalidArgumentError(
      argument,
      density,
      `a number in (0, 1${options.open ? ')' : ']'} (the kept fraction)`,
      { fix: 'pass the kept fraction, e.g. 0.1 to keep 10 % of the weights (90 % sparsity)' },
    );
  }
  return density as number;
}

/**
 * Throws unless `value` is an integer in `[1, max]` (message "a positive integer" without a `max`). Returns
 * it.
 */
export function checkPositiveInteger(
  argument: string,
  value: unknown,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new InvalidArgumentError(
      argument,
      value,
      max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer in [1, ${max}]`,
    );
  }
  return value;
}
