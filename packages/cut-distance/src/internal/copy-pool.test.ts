import { Rng } from '@graphon-pai/core';
import { cutNorm } from '../cut-norm';
import { borrowCopy, idleCopyBytes, POOL_BYTES, returnCopy } from './copy-pool';

describe('copy pool', () => {
  it('lends a returned buffer again (same type and length only) and keeps at most POOL_BYTES idle', () => {
    const before = idleCopyBytes();
    const a = borrowCopy(1000, false);
    returnCopy(a);
    expect(idleCopyBytes()).toBe(before + 8000);
    expect(borrowCopy(1000, true)).not.toBe(a); // another type
    expect(borrowCopy(999, false)).not.toBe(a); // another length
    expect(borrowCopy(1000, false)).toBe(a);
    expect(borrowCopy(1000, false)).not.toBe(a); // lent once at a time
    expect(idleCopyBytes()).toBe(before);
    // Beyond the cap a returned buffer is dropped.
    const big = new Float64Array(POOL_BYTES / 8 + 1);
    returnCopy(big);
    expect(idleCopyBytes()).toBe(before);
  });

  it('cutNorm gives back its float32 matrix copies and reuses them, with results independent of what was cut before', () => {
    const rng = new Rng('pool');
    const make = () => {
      const data = new Float32Array(120 * 90);
      for (let i = 0; i < data.length; i++) data[i] = rng.uniform() - 0.5;
      return { rows: 120, cols: 90, data };
    };
    const a = make();
    const b = make();
    const options = { method: 'sdp', seed: 4, certificate: 'deterministic' } as const;
    const first = cutNorm(b, options);
    const idle = idleCopyBytes();
    // The float64 copy, its transpose and the float32 transpose of the 120 × 90 matrix came back.
    expect(idle).toBeGreaterThanOrEqual(120 * 90 * (8 + 8 + 4));
    cutNorm(a, options); // borrows the same buffers and fills them with a's values
    expect(idleCopyBytes()).toBe(idle);
    const again = cutNorm(b, options);
    expect(again.lowerBound).toBe(first.lowerBound);
    expect(again.upperBound).toBe(first.upperBound);
    expect(again.cut).toEqual(first.cut);
  });
});
