import { makeBatch } from './batch';
import { binaryTask } from './binary-task';

const batch = makeBatch(new Float32Array([3, 4, 1, 0, 0, 2, 6, 8, 0, 0, 5, 5]), 6, 2, {
  labels: new Int32Array([3, 1, 5, 3, 7, 5]),
  classes: 8,
});

describe('binaryTask', () => {
  it('takes the first m examples of the two classes, ±1 labels, rows rescaled to ‖x‖² = d', () => {
    const t = binaryTask(batch, { classes: [3, 5], samples: 3 });
    expect(t.classes).toEqual([3, 5]);
    expect(Array.from(t.y)).toEqual([1, -1, 1]);
    // rows 0 (3,4), 2 (0,2), 3 (6,8): scale √(2/‖x‖²)
    const expected = [3, 4, 0, 2, 6, 8].map((v, q) => v * Math.sqrt(2 / [25, 25, 4, 4, 100, 100][q]));
    for (const [q, v] of t.x.data.entries()) expect(v).toBeCloseTo(expected[q], 14);
    expect(Array.from(t.raw.labels!)).toEqual([0, 1, 0]);
    expect(Array.from(t.raw.inputs)).toEqual([3, 4, 0, 2, 6, 8]);
  });

  it('without normalisation keeps the inputs; without classes the two present ones, larger first', () => {
    const two = makeBatch(new Float32Array([1, 2, 3, 4]), 2, 2, { labels: new Int32Array([0, 1]), classes: 2 });
    const t = binaryTask(two, { samples: 2, normalize: false });
    expect(t.classes).toEqual([1, 0]);
    expect(Array.from(t.x.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.y)).toEqual([-1, 1]);
  });

  it('refuses too few examples, a zero row under normalisation, and an ambiguous default', () => {
    expect(() => binaryTask(batch, { classes: [3, 5], samples: 5 })).toThrow(/samples must be at most 4/);
    expect(() => binaryTask(batch, { classes: [7, 1], samples: 2 })).toThrow(/non-zero norm/);
    expect(() => binaryTask(batch, { samples: 2 })).toThrow(/two of the classes present \(1, 3, 5, 7\)/);
  });
});
