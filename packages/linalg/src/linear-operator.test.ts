import { Rng } from '@graphon-pai/core';
import { maxAbsDiff, refGemm } from '../test/reference';
import { denseOperator } from './linear-operator';

describe('denseOperator', () => {
  test.each([
    ['Float64Array', (x: Float64Array) => x, 1e-13],
    ['Float32Array', (x: Float64Array) => Float32Array.from(x), 1e-5],
  ] as const)('%s: matmat = A·x and rmatmat = Aᵀ·x against the reference', (_, convert, tol) => {
    const rng = new Rng('op');
    const rows = 37;
    const cols = 23;
    const data = convert(rng.normalArray(rows * cols));
    const op = denseOperator(data, rows, cols);
    expect([op.rows, op.cols]).toEqual([rows, cols]);
    for (const k of [1, 5]) {
      const x = rng.normalArray(cols * k);
      const out = new Float64Array(rows * k);
      op.matmat(x, k, out);
      expect(maxAbsDiff(out, refGemm(false, false, rows, k, cols, 1, data, x, 0, out))).toBeLessThan(
        tol * 10,
      );
      const y = rng.normalArray(rows * k);
      const out2 = new Float64Array(cols * k);
      op.rmatmat(y, k, out2);
      expect(maxAbsDiff(out2, refGemm(true, false, cols, k, rows, 1, data, y, 0, out2))).toBeLessThan(
        tol * 10,
      );
    }
  });

  test('validates its arguments', () => {
    expect(() => denseOperator(new Float64Array(5), 2, 3)).toThrow(/data must be at least 6 elements/);
    expect(() => denseOperator(new Float64Array(6), 2.5, 3)).toThrow(/rows must be a non-negative integer/);
  });
});
