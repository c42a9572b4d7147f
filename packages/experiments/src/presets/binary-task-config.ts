/**
 * What the `ntk` and `accuracy` presets share besides the density sweep: the binary MNIST task
 * (`../mnist-task.ts`) their Graphon-NTK quantities are computed on, and the generalisation bound's ridge and δ.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

/** The binary MNIST task and the generalisation bound's settings (`ntk`, `accuracy`). */
export interface BinaryTaskBound {
  /** [digit of y = +1, digit of y = −1]. */
  classes: [number, number];
  /** Explicit ridge λ added to K. */
  ridge: number;
  /** Failure probability δ of the bound. */
  delta: number;
}

/** Checks `classes` (two distinct digits), `ridge` ≥ 0 and δ in (0, 1). */
export function checkBinaryTaskBound(c: BinaryTaskBound): void {
  const [a, b] = c.classes;
  if (!(Number.isInteger(a) && Number.isInteger(b) && a !== b && a >= 0 && a <= 9 && b >= 0 && b <= 9)) {
    throw new InvalidArgumentError('--classes', c.classes, 'two distinct MNIST digits a,b', {
      fix: 'e.g. --classes 3,5',
    });
  }
  if (!(c.ridge >= 0)) throw new InvalidArgumentError('--ridge', c.ridge, 'a number ≥ 0');
  if (!(c.delta > 0 && c.delta < 1)) throw new InvalidArgumentError('--delta', c.delta, 'a number in (0, 1)');
}
