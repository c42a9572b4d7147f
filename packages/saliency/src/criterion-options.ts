/**
 * The options of the data-driven criteria `snip`, `grasp` and `grasp-magnitude`, read from a criterion
 * context in one place, so that every user of a criterion context (the criterion specs, a neuron scorer)
 * accepts the same option names with the same defaults and checks.
 *
 *     snip             normalize = false
 *     grasp            temperature = 200, samplesPerClass = 10, normalize = false, variant = 'signed'
 *     grasp-magnitude  as grasp, variant = 'magnitude'
 *
 * @example
 * const { temperature, samplesPerClass } = readGraspOptions(ctx, 'grasp');
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { booleanOption, type CriterionContext, positiveNumberOption, readOptions } from './context';
import type { Network } from '@graphon-pai/nets';
import type { GraspVariant } from './grasp';

/** GraSP's options, defaults filled in. */
export type GraspContextOptions = {
  temperature: number;
  samplesPerClass: number;
  normalize: boolean;
  variant: GraspVariant;
};

/** Reads GraSP's `variant` option. */
export const variantOption = (value: unknown, name: string): GraspVariant => {
  if (value !== 'signed' && value !== 'magnitude')
    throw new InvalidArgumentError(name, value, "'signed' or 'magnitude'");
  return value;
};

/** Reads GraSP's `samplesPerClass` option. */
export const countOption = (value: unknown, name: string): number => {
  if (!(Number.isInteger(value) && (value as number) >= 0)) {
    throw new InvalidArgumentError(name, value, 'a non-negative integer (0 = use every example)');
  }
  return value as number;
};

/** SNIP's options (`normalize`) from `ctx.options`; unknown names are refused. */
export function readSnipOptions(ctx: CriterionContext<Network>, criterion = 'snip'): { normalize: boolean } {
  return readOptions<{ normalize: boolean }>(
    ctx,
    criterion,
    { normalize: false },
    { normalize: booleanOption },
  );
}

/** GraSP's options from `ctx.options`; `grasp-magnitude` defaults `variant` to `'magnitude'`. */
export function readGraspOptions(
  ctx: CriterionContext<Network>,
  criterion: 'grasp' | 'grasp-magnitude',
): GraspContextOptions {
  const defaults: GraspContextOptions = {
    temperature: 200,
    samplesPerClass: 10,
    normalize: false,
    variant: criterion === 'grasp' ? 'signed' : 'magnitude',
  };
  return readOptions(ctx, criterion, defaults, {
    temperature: positiveNumberOption,
    samplesPerClass: countOption,
    normalize: booleanOption,
    variant: variantOption,
  });
}
