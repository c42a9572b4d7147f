/**
 * The convolution's WebAssembly SIMD kernels (src/conv/conv-kernels.ts): the committed binary is what its .wat
 * compiles to, and each kernel equals a plain loop on sizes with and without a scalar tail. (The layers'
 * tests run every convolution with the kernels on and off.)
 */
import { join } from 'node:path';
import { Rng } from '@graphon-pai/core';
import { expectGeneratorCheck } from '@graphon-pai/test-utils';
import { copyRowsOnKernel, raiseWideOnKernel, useConvKernels, workArray } from '../../src/conv/conv-kernels';

const rng = new Rng('conv-kernels');

test('the committed binary is what scripts/conv-kernels-wasm.mjs makes of conv-kernels.wat', () => {
  expectGeneratorCheck(join(__dirname, '..', '..', 'scripts', 'conv-kernels-wasm.mjs'));
});

test.each([
  [3, 5, 7, 9, 40, 11, 50],
  [2, 4, 8, 8, 32, 8, 32],
  [1, 1, 1, 1, 1, 1, 1],
  [4, 3, 13, 17, 60, 13, 39],
])(
  'copy_rows copies blocks × rows rows of len floats between pitches (%#)',
  (blocks, rows, len, srcRow, srcBlock, dstRow, dstBlock) => {
    const copy = { blocks, rows, len, srcRow, srcBlock, dstRow, dstBlock };
    const srcAt = 5;
    const dstAt = 1000;
    const w = workArray(4000);
    rng.normalArray(4000, 0, 1, w.subarray(0, 4000));
    const before = w.slice(0, 4000);
    expect(copyRowsOnKernel(w, srcAt, w, dstAt, copy)).toBe(true);
    const want = before.slice();
    for (let b = 0; b < blocks; b++)
      for (let r = 0; r < rows; r++)
        for (let t = 0; t < len; t++)
          want[dstAt + b * dstBlock + r * dstRow + t] = before[srcAt + b * srcBlock + r * srcRow + t];
    expect(w.slice(0, 4000)).toEqual(want);
  },
);

test.each([
  [2, 3, 2, 3, 7, 5],
  [1, 1, 5, 5, 20, 9],
])(
  'raise_wide adds each row onto its shifted run of the stage (b %i, C %i, kh %i, kw %i, span %i, Wp %i)',
  (b, C, kh, kw, span, Wp) => {
    const planeP = (kh + Math.ceil(span / Wp)) * Wp;
    const cols = C * kh * kw * b * span;
    const at = cols + 3;
    const w = workArray(at + b * C * planeP);
    rng.normalArray(at + b * C * planeP, 0, 1, w.subarray(0, at + b * C * planeP));
    const before = w.slice(0, at + b * C * planeP);
    expect(raiseWideOnKernel(w, b, w, at, { C, kh, kw, span, Wp, planeP })).toBe(true);
    const want = Float64Array.from(before);
    for (let n = 0; n < b; n++)
      for (let c = 0; c < C; c++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            for (let t = 0; t < span; t++)
              want[at + (n * C + c) * planeP + i * Wp + j + t] +=
                before[((c * kh + i) * kw + j) * b * span + n * span + t];
    const got = w.slice(0, at + b * C * planeP);
    for (let q = 0; q < got.length; q++)
      expect(Math.abs(got[q] - want[q])).toBeLessThan(1e-5 * (1 + Math.abs(want[q])));
  },
);

test('with the kernels off the work array is an ordinary array and the kernels decline', () => {
  useConvKernels(false);
  try {
    const w = workArray(16);
    expect(
      copyRowsOnKernel(w, 0, w, 8, {
        blocks: 1,
        rows: 1,
        len: 4,
        srcRow: 4,
        srcBlock: 4,
        dstRow: 4,
        dstBlock: 4,
      }),
    ).toBe(false);
  } finally {
    useConvKernels(true);
  }
});
