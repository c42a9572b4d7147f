import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import { cutDistance } from './cut-distance';
import { cutNorm } from './cut-norm';
import { cutReport } from './cut-report';

describe('cutReport', () => {
  const rng = new Rng(2);
  const mask = BitMatrix.from(12, 10, () => rng.uniform() < 0.3);
  const p = StepGraphon.constant(0.3);

  it('a cut norm: the exact method on a small kernel is certified and equals cutNorm', () => {
    const diff = { rows: 2, cols: 2, data: Float64Array.from([0.5, -0.25, -0.25, 0.5]) };
    const r = cutReport(diff, undefined, { method: 'exact' });
    const reference = cutNorm(diff, { method: 'exact' });
    // By hand over the 3 × 3 non-empty cuts: max |Σ_{S×T} W| = 0.5 (S = T = {0}, or all), over 2 · 2 cells.
    expect(r).toEqual({
      quantity: 'cut norm',
      upperBound: reference.upperBound,
      upperBoundKind: 'exact',
      certified: true,
      alignedLowerBound: reference.lowerBound,
      estimate: reference.estimate,
      method: reference.method,
      alignment: null,
    });
    expect(r.upperBound).toBeCloseTo(0.125, 15);
  });

  it('a cut distance: probabilistic bounds carry their failure probability and are not certified', () => {
    const options = { method: 'sdp', seed: 4, certificate: 'probabilistic', alignment: 'canonical' } as const;
    const r = cutReport(mask, p, options);
    const reference = cutDistance(mask, p, options);
    expect(r).toMatchObject({
      quantity: 'cut distance',
      upperBound: reference.upperBound,
      upperBoundKind: reference.upperBoundKind,
      alignedLowerBound: reference.alignedLowerBound,
      estimate: reference.estimate,
      method: reference.cutNorm.method,
      alignment: 'canonical',
    });
    expect(r.certified).toBe(reference.upperBoundKind !== 'probabilistic');
    expect('failureProbability' in r).toBe(reference.upperBoundKind === 'probabilistic');
    expect(r.alignedLowerBound).toBeLessThanOrEqual((r.upperBound as number) + 1e-12);
  });

  it('a deterministic certificate is certified and has no failure probability', () => {
    const r = cutReport(mask, p, {
      method: 'sdp',
      seed: 4,
      certificate: 'deterministic',
      alignment: 'identity',
    });
    expect(r.upperBoundKind).toBe('deterministic');
    expect(r.certified).toBe(true);
    expect(r.failureProbability).toBeUndefined();
    expect(r.certificatePrecision).toBe('float64');
  });

  it('names the precision of the certificate that proved the bound', () => {
    const options = { method: 'sdp', seed: 4, certificate: 'deterministic', alignment: 'identity' } as const;
    const single = cutReport(mask, p, { ...options, certificatePrecision: 'float32' });
    expect(single.certificatePrecision).toBe('float32');
    expect(single.upperBound).toBeGreaterThanOrEqual(single.alignedLowerBound);
    // A signed 40 × 40 matrix, where the SDP bound beats max(ΣB⁺, ΣB⁻) and the certificate proves it.
    const signed = {
      rows: 40,
      cols: 40,
      data: Float64Array.from({ length: 1600 }, (_, i) => Math.sin(i * 2.3)),
    };
    expect(cutReport(signed, undefined, { ...options, certificatePrecision: 'float32' })).toMatchObject({
      upperBoundKind: 'deterministic',
      certificatePrecision: 'float32',
    });
    expect('certificatePrecision' in cutReport(mask, p, { ...options, certificate: 'probabilistic' })).toBe(
      false,
    );
  });
});
