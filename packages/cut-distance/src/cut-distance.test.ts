import { BitMatrix, InvalidArgumentError, Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import fc from 'fast-check';
import { cutDistance } from './cut-distance';
import { difference } from './cut-input';
import { cutNorm } from './cut-norm';
import { lpDistance } from './lp-distance';
import { weakRegularity } from './weak-regularity';

function randomGraphon(rng: Rng, k: number, l: number, equal = false): StepGraphon {
  const cuts = (n: number): number[] => {
    if (equal) return Array.from({ length: n + 1 }, (_, i) => i / n);
    const w = Array.from({ length: n }, () => 0.2 + rng.uniform());
    const total = w.reduce((a, b) => a + b);
    const c = [0];
    for (let i = 0; i < n; i++) c.push(c[i] + w[i] / total);
    c[n] = 1;
    return c;
  };
  const values = Array.from({ length: k * l }, () => rng.uniform());
  return new StepGraphon(cuts(k), cuts(l), values);
}

const graphonArb = fc
  .record({ seed: fc.integer(), k: fc.integer({ min: 1, max: 5 }), l: fc.integer({ min: 1, max: 5 }) })
  .map(({ seed, k, l }) => randomGraphon(new Rng(seed), k, l));

const exact = { method: 'exact' as const };

describe('cutDistance invariants (exact method, property tests)', () => {
  it('is symmetric under identity and canonical alignments', () => {
    fc.assert(
      fc.property(graphonArb, graphonArb, (u, w) => {
        for (const alignment of ['identity', 'canonical'] as const) {
          const a = cutDistance(u, w, { ...exact, alignment });
          const b = cutDistance(w, u, { ...exact, alignment });
          expect(a.upperBound!).toBeCloseTo(b.upperBound!, 12);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('satisfies the triangle inequality (identity alignment, tolerance 1e-12)', () => {
    fc.assert(
      fc.property(graphonArb, graphonArb, graphonArb, (u, v, w) => {
        const uw = cutDistance(u, w, { ...exact, alignment: 'identity' }).upperBound!;
        const uv = cutDistance(u, v, { ...exact, alignment: 'identity' }).upperBound!;
        const vw = cutDistance(v, w, { ...exact, alignment: 'identity' }).upperBound!;
        expect(uw).toBeLessThanOrEqual(uv + vw + 1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it('δ_□ ≤ L1 ≤ L2 under the same alignment', () => {
    fc.assert(
      fc.property(graphonArb, graphonArb, (u, w) => {
        for (const alignment of ['identity', 'canonical'] as const) {
          const c = cutDistance(u, w, { ...exact, alignment }).upperBound!;
          const lp = lpDistance(u, w, { alignment });
          expect(c).toBeLessThanOrEqual(lp.l1 + 1e-12);
          expect(lp.l1).toBeLessThanOrEqual(lp.l2 + 1e-12);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('scales: ‖cA‖_□ = |c|·‖A‖_□', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: -5, max: 5, noNaN: true }), (seed, c) => {
        const rng = new Rng(seed);
        const a = Array.from({ length: 35 }, () => rng.normal());
        const base = cutNorm({ rows: 5, cols: 7, data: a }, exact).lowerBound;
        const scaled = cutNorm({ rows: 5, cols: 7, data: a.map((x) => c * x) }, exact).lowerBound;
        expect(scaled).toBeCloseTo(Math.abs(c) * base, 12);
      }),
      { numRuns: 30 },
    );
  });
});

describe('alignments', () => {
  it('canonical alignment recognises a relabelled copy (distance 0)', () => {
    const rng = new Rng(3);
    const u = randomGraphon(rng, 5, 4, true);
    // Relabel blocks: permute rows and columns of the value matrix (equal blocks → measure preserving).
    const rp = [3, 0, 4, 1, 2];
    const cp = [2, 3, 1, 0];
    const values = new Float64Array(20);
    for (let a = 0; a < 5; a++) for (let b = 0; b < 4; b++) values[a * 4 + b] = u.values[rp[a] * 4 + cp[b]];
    const w = StepGraphon.uniformBlocks(5, 4, values);
    expect(cutDistance(u, w, { ...exact, alignment: 'identity' }).upperBound!).toBeGreaterThan(0.01);
    const c = cutDistance(u, w, { ...exact, alignment: 'canonical' });
    expect(c.upperBound!).toBeLessThan(1e-12);
    expect(c.alignment).toBe('canonical');
  });

  it('a mask and its 2× blow-up are the same graphon; sizes may differ', () => {
    const rng = new Rng(11);
    const m = BitMatrix.from(6, 5, () => rng.uniform() < 0.4);
    const big = BitMatrix.from(12, 10, (i, j) => m.get(i >> 1, j >> 1));
    const r = cutDistance(m, big, { method: 'sdp', alignment: 'identity' });
    expect(r.upperBound!).toBeLessThan(1e-12);
    expect(r.alignedLowerBound).toBe(0);
  });

  it('optimized is never worse than canonical and reports the bounds as upper / aligned lower', () => {
    const rng = new Rng(8);
    const a = BitMatrix.from(40, 30, (i, j) => rng.uniform() < (i < 20 ? 0.7 : 0.2) * (j < 10 ? 1 : 0.5));
    const b = BitMatrix.from(60, 45, (i, j) => rng.uniform() < (i < 30 ? 0.7 : 0.2) * (j < 15 ? 1 : 0.5));
    const r = cutDistance(a, b, { seed: 2 });
    expect(r.requestedAlignment).toBe('optimized');
    expect(r.candidates.map((c) => c.alignment)).toEqual(['canonical', 'optimized']);
    const canonical = r.candidates[0].upperBound!;
    expect(r.upperBound!).toBeLessThanOrEqual(canonical);
    expect(r.alignedLowerBound).toBeLessThanOrEqual(r.upperBound!);
    expect(r.upperBoundKind).toBe('probabilistic');
    expect(r.failureProbability).toBe(1e-6);
    const certified = cutDistance(a, b, { seed: 2, certificate: 'deterministic' });
    expect(certified.upperBoundKind).toBe('deterministic');
    expect(certified.failureProbability).toBe(0);
    expect(certified.alignedLowerBound).toBeLessThanOrEqual(certified.upperBound!);
    // Permutations are permutations of the units.
    expect([...r.second.rowPerm].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('optimized beats canonical when degrees carry no information (shuffled checkerboard)', () => {
    // A heuristic: this instance is a regression check of a clear win (0.029 vs 0.078 when written), not a
    // guarantee; on smaller or other instances the gain varies (see alignment.ts).
    const rng = new Rng(21);
    const n = 256;
    const law = (i: number, j: number) => (i < n / 2 === j < n / 2 ? 0.8 : 0.2);
    const u = BitMatrix.from(n, n, (i, j) => rng.uniform() < law(i, j));
    const rp = rng.permutation(n);
    const cp = rng.permutation(n);
    const w = BitMatrix.from(n, n, (i, j) => rng.uniform() < law(rp[i], cp[j]));
    const r = cutDistance(u, w, { seed: 1 });
    expect(r.alignment).toBe('optimized');
    expect(r.upperBound!).toBeLessThan(0.8 * r.candidates[0].upperBound!);
  });

  it('rejects an unknown alignment', () => {
    expect(() =>
      cutDistance(StepGraphon.constant(0.1), StepGraphon.constant(0.2), { alignment: 'best' as never }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('lpDistance known values', () => {
  it('constants and a mask against its density', () => {
    const c = lpDistance(StepGraphon.constant(0.7), StepGraphon.constant(0.2), { alignment: 'identity' });
    expect(c.l1).toBeCloseTo(0.5, 14);
    expect(c.l2).toBeCloseTo(0.5, 14);
    const rng = new Rng(1);
    const m = BitMatrix.from(30, 20, () => rng.uniform() < 0.3);
    const d = m.density();
    const r = lpDistance(m, StepGraphon.constant(0.25), { alignment: 'identity' });
    expect(r.l1).toBeCloseTo(d * 0.75 + (1 - d) * 0.25, 12);
    expect(r.l2).toBeCloseTo(Math.sqrt(d * 0.75 ** 2 + (1 - d) * 0.25 ** 2), 12);
  });
});

describe('weakRegularity', () => {
  it('recovers a single block exactly and the residual norm drops by v²/(|S||T|) per step', () => {
    const k = new StepKernel([0, 0.3, 1], [0, 0.6, 1], [0.8, 0, 0, 0]);
    const fk = weakRegularity(k, { steps: 1, method: 'exact' });
    expect(fk.terms).toHaveLength(1);
    expect(fk.terms[0].coefficient).toBeCloseTo(0.8, 14);
    expect(fk.terms[0].rowMeasure).toBeCloseTo(0.3, 14);
    expect(fk.residual.upperBound!).toBeLessThan(1e-14);

    const rng = new Rng(4);
    const g = randomGraphon(rng, 6, 5);
    const dec = weakRegularity(g, { steps: 4, method: 'exact' });
    for (let i = 0; i < dec.terms.length; i++) {
      const t = dec.terms[i];
      const drop = dec.residualL2[i] ** 2 - dec.residualL2[i + 1] ** 2;
      expect(drop).toBeCloseTo((t.cutValue * t.cutValue) / (t.rowMeasure * t.colMeasure), 12);
    }
    // Frieze–Kannan with exact cuts: each cut value is ‖R_{i−1}‖_□, so min_{i≤k} ‖R_i‖_□ ≤ ‖U‖_2 / √(k+1),
    // and the last residual's cut norm is at most its L2 norm.
    const residualCutNorms = [...dec.terms.map((t) => Math.abs(t.cutValue)), dec.residual.upperBound!];
    expect(Math.min(...residualCutNorms)).toBeLessThanOrEqual(
      dec.residualL2[0] / Math.sqrt(dec.terms.length + 1) + 1e-12,
    );
    expect(dec.residual.upperBound!).toBeLessThanOrEqual(dec.residualL2[dec.terms.length] + 1e-12);
  });

  it('works on a mask minus a constant without densifying (sdp residual)', () => {
    const rng = new Rng(9);
    const m = BitMatrix.from(50, 40, (i) => rng.uniform() < (i < 25 ? 0.6 : 0.1));
    const fk = weakRegularity(difference(m, StepGraphon.constant(0.35)), {
      steps: 2,
      method: 'local',
      seed: 1,
    });
    const before = cutNorm(difference(m, StepGraphon.constant(0.35)), {
      method: 'local',
      seed: 1,
    }).lowerBound;
    expect(fk.residual.lowerBound).toBeLessThan(before);
    expect(() => weakRegularity(m, { steps: 0 })).toThrow(InvalidArgumentError);
  });
});
