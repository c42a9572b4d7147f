/**
 * The sliding-window layers' (convolution and pooling) shared geometry and argument checks: sizes given as a
 * number or an `[height, width]` pair, the output size, positive or non-negative integers, and a window that
 * fits its input. Each error
 * names the layer, the argument and what is expected.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

/** The sizes a sliding window sees: input, window, stride and output (padding, if any, is the layer's own). */
export interface WindowGeometry {
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/** A size given as one number for both axes or as `[height, width]`. */
export type SizePair = number | readonly [number, number];

/** `[height, width]` of a {@link SizePair}. */
export const pair = (v: SizePair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/**
 * The geometry of a `kernel` window sliding by `stride` over a `height × width` input with `padding` zeros on
 * each side: ⌊(h + 2p − k) / s⌋ + 1 window positions along each axis.
 */
export function windowGeometry(
  input: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: readonly [number, number] = [0, 0],
): WindowGeometry {
  return {
    height: input[0],
    width: input[1],
    kernelHeight: kernel[0],
    kernelWidth: kernel[1],
    strideHeight: stride[0],
    strideWidth: stride[1],
    outHeight: Math.floor((input[0] + 2 * padding[0] - kernel[0]) / stride[0]) + 1,
    outWidth: Math.floor((input[1] + 2 * padding[1] - kernel[1]) / stride[1]) + 1,
  };
}

/**
 * Throws unless the layer's `counts` (e.g. channels) and the window's sizes are positive integers, in that
 * order: counts, input height and width, kernel, stride.
 */
export function checkWindowSizes(
  layer: string,
  counts: readonly (readonly [string, number])[],
  input: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
): void {
  checkIntegers(
    layer,
    [
      ...counts,
      ['height', input[0]],
      ['width', input[1]],
      ['kernel height', kernel[0]],
      ['kernel width', kernel[1]],
      ['stride height', stride[0]],
      ['stride width', stride[1]],
    ],
    1,
  );
}

/** Throws unless every value is an integer ≥ `min` (1 for sizes and strides, 0 for padding). */
export function checkIntegers(
  layer: string,
  values: readonly (readonly [string, number])[],
  min: 0 | 1,
): void {
  for (const [what, v] of values) {
    if (!(Number.isInteger(v) && v >= min)) {
      throw new InvalidArgumentError(
        `${layer}: ${what}`,
        v,
        min === 1 ? 'a positive integer' : 'a non-negative integer',
      );
    }
  }
}

/** Throws unless a `kh × kw` window fits a `height × width` input; `expected` describes the input. */
export function checkWindowFits(
  layer: string,
  window: readonly [number, number],
  input: readonly [number, number],
  expected: string,
  fix: string,
): void {
  const [kh, kw] = window;
  if (kh > input[0] || kw > input[1]) {
    throw new InvalidArgumentError(`${layer}: kernel`, `${kh} × ${kw}`, expected, { fix });
  }
}
