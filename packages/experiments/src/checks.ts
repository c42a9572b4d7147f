/**
 * The checks every preset's configuration passes, shared by the presets' `validate`. A configuration key
 * corresponds to the `graphon-pai experiment` option of the same name in kebab case (`rowBlocks` →
 * `--row-blocks`); errors name that option, so the message reads the same from the command line and from a
 * script.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

/** The option of a configuration key: `rowBlocks` → `--row-blocks`. */
export function optionOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Checks that `value` is an integer in [min, max], naming the option of `key`. */
export function checkInteger(key: string, value: unknown, min: number, max: number): void {
  if (!(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
    throw new InvalidArgumentError(optionOf(key), value, `an integer in [${min}, ${max}]`);
  }
}

/** `criteria`: a non-empty list. */
export function checkCriteria(criteria: unknown): void {
  if (
    !(
      Array.isArray(criteria) &&
      criteria.length > 0 &&
      criteria.every((c) => typeof c === 'string' && c !== '')
    )
  ) {
    throw new InvalidArgumentError(
      '--criteria',
      criteria,
      'a non-empty comma-separated list, e.g. snip,random',
    );
  }
}

/** `seeds`: distinct non-negative safe integers. */
export function checkSeeds(seeds: readonly number[]): void {
  if (!(seeds.length >= 1 && seeds.every((s) => Number.isSafeInteger(s) && s >= 0))) {
    throw new InvalidArgumentError('--seeds', seeds.join(','), 'non-negative integers, e.g. 0,1,2');
  }
  if (new Set(seeds).size !== seeds.length) {
    throw new InvalidArgumentError('--seeds', seeds.join(','), 'distinct integers (each seed is one job)', {
      fix: 'list each seed once',
    });
  }
}

/**
 * Kept fractions in (0, 1], distinct; with `fewestWeights` (the smallest studied mask's size N), each must keep
 * at least one weight: masks keep round(p · N), so a density of 1e-300 is an error, not an empty mask.
 */
export function checkDensities(
  key: 'density' | 'densities',
  values: readonly number[],
  fewestWeights?: number,
): void {
  const option = optionOf(key);
  if (!(values.length >= 1 && values.every((p) => p > 0 && p <= 1))) {
    throw new InvalidArgumentError(
      option,
      values.join(','),
      key === 'density'
        ? 'a number in (0, 1] (the kept fraction)'
        : 'kept fractions in (0, 1], e.g. 0.05,0.1,0.2',
      { fix: `pass e.g. ${option} 0.1 to keep 10 % of the weights` },
    );
  }
  if (new Set(values).size !== values.length) {
    throw new InvalidArgumentError(option, values.join(','), 'distinct kept fractions', {
      fix: 'list each once',
    });
  }
  const empty =
    fewestWeights === undefined ? undefined : values.find((p) => Math.round(p * fewestWeights) < 1);
  if (empty !== undefined && fewestWeights !== undefined) {
    throw new InvalidArgumentError(
      option,
      empty,
      `a kept fraction that keeps at least one of the ${fewestWeights} weights of the smallest studied mask`,
      { fix: `pass at least ${(0.5 / fewestWeights).toPrecision(2)}` },
    );
  }
}
