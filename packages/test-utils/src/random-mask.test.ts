import { BitMatrix, Rng } from '@graphon-pai/core';
import { maxRelativeError, randomBatch, randomMask, randomNetworkMask } from './index';

describe('randomMask', () => {
  it('draws entry (r, c) as the (r·cols + c)-th uniform of the stream, row-major', () => {
    const rng = new Rng(5);
    const u = Array.from({ length: 12 }, () => rng.uniform());
    const m = randomMask(3, 4, 0.4, 5);
    for (let i = 0; i < 12; i++) expect(m.get(Math.floor(i / 4), i % 4)).toBe(u[i] < 0.4);
  });

  it('continues a passed Rng and is reproducible from a seed', () => {
    const rng = new Rng('x');
    const a = randomMask(5, 7, 0.5, rng);
    const b = randomMask(5, 7, 0.5, rng);
    expect(a.equals(randomMask(5, 7, 0.5, 'x'))).toBe(true);
    expect(b.equals(a)).toBe(false);
  });

  it('network masks: one per layer from one stream', () => {
    const layers = [
      { weightName: 'a', shape: { rows: 2, cols: 3 } },
      { weightName: 'b', shape: { rows: 4, cols: 1 } },
    ];
    const m = randomNetworkMask({ layers }, 0.5, 9);
    const rng = new Rng(9);
    expect(m.get('a')!.equals(BitMatrix.from(2, 3, () => rng.uniform() < 0.5))).toBe(true);
    expect(m.get('b')!.equals(BitMatrix.from(4, 1, () => rng.uniform() < 0.5))).toBe(true);
  });
});

describe('randomBatch', () => {
  it('balanced labels hold each class count/classes times', () => {
    const b = randomBatch(12, 3, 4, 1, 'balanced');
    expect(b.inputs.length).toBe(36);
    const counts = [0, 0, 0, 0];
    for (const y of b.labels) counts[y]++;
    expect(counts).toEqual([3, 3, 3, 3]);
  });

  it('i.i.d. labels lie in [0, classes)', () => {
    const b = randomBatch(50, 2, 3, 2);
    expect(Math.min(...b.labels)).toBe(0);
    expect(Math.max(...b.labels)).toBe(2);
  });
});

describe('maxRelativeError', () => {
  it('is the largest absolute difference over the largest reference magnitude', () => {
    expect(maxRelativeError([1, 2.5, -4], [1, 2, -4])).toBeCloseTo(0.5 / 4, 15);
    expect(maxRelativeError([0, 0], [0, 0])).toBe(0);
    expect(() => maxRelativeError([1], [1, 2])).toThrow(/length/);
  });
});
