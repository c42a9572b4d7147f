import { BitMatrix, InvalidArgumentError, Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import fc from 'fast-check';
import { bruteForceCutNorm, cutSum } from '../test/reference';
import { difference } from './cut-input';
import { cutNorm } from './cut-norm';

function randomMatrix(rng: Rng, m: number, n: number, kind: 'pm1' | 'real'): Float64Array {
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = kind === 'pm1' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
  return a;
}

describe('exact', () => {
  it.each([
    [3, 5, 'pm1'],
    [6, 6, 'real'],
    [8, 11, 'pm1'],
    [12, 12, 'pm1'],
    [12, 12, 'real'],
    [11, 7, 'real'],
  ] as const)('equals brute force on %i × %i %s', (m, n, kind) => {
    const rng = new Rng(`${m}-${n}-${kind}`);
    const a = randomMatrix(rng, m, n, kind);
    const r = cutNorm({ rows: m, cols: n, data: a }, { method: 'exact' });
    const ref = bruteForceCutNorm(a, m, n);
    expect(r.lowerBound).toBeCloseTo(ref, 12);
    expect(r.upperBound).toBe(r.lowerBound);
    expect(r.upperBoundKind).toBe('exact');
    // The reported cut attains the value.
    expect(cutSum(a, n, r.cut.rows, r.cut.cols, m)).toBeCloseTo(r.lowerBound, 12);
  });

  it('matches brute force with block weights (step kernel)', () => {
    const rng = new Rng(7);
    const values = randomMatrix(rng, 4, 5, 'real');
    const rowCuts = [0, 0.1, 0.45, 0.5, 1];
    const colCuts = [0, 0.3, 0.35, 0.6, 0.9, 1];
    const k = new StepKernel(rowCuts, colCuts, values);
    const rw = [0.1, 0.35, 0.05, 0.5];
    const cw = [0.3, 0.05, 0.25, 0.3, 0.1];
    const ref = bruteForceCutNorm(values, 4, 5, rw, cw);
    expect(cutNorm(k, { method: 'exact' }).lowerBound).toBeCloseTo(ref, 13);
  });
});

describe('bounds ordering', () => {
  it('local ≤ exact, sdp lower ≤ exact ≤ sdp upper, sdpValue ≥ exact (tolerance 1e-9)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer(),
        (m, n, seed) => {
          const rng = new Rng(seed);
          const a = randomMatrix(rng, m, n, seed % 2 === 0 ? 'pm1' : 'real');
          const x = { rows: m, cols: n, data: a };
          const exact = cutNorm(x, { method: 'exact' }).lowerBound;
          const local = cutNorm(x, { method: 'local', seed, starts: 4 });
          const sdp = cutNorm(x, { method: 'sdp', seed, tolerance: 1e-9, maxIterations: 2000 });
          expect(local.lowerBound).toBeLessThanOrEqual(exact + 1e-12);
          expect(sdp.lowerBound).toBeLessThanOrEqual(exact + 1e-12);
          expect(sdp.upperBound!).toBeGreaterThanOrEqual(exact - 1e-12);
          expect(sdp.sdpValue!).toBeGreaterThanOrEqual(exact * (1 - 1e-6));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sdp certificate brackets the exact value on 20 × 22', () => {
    const rng = new Rng(99);
    const a = randomMatrix(rng, 20, 22, 'pm1');
    const x = { rows: 20, cols: 22, data: a };
    const exact = cutNorm(x, { method: 'exact' }).lowerBound;
    const sdp = cutNorm(x, { method: 'sdp', seed: 1, certificate: 'deterministic' });
    expect(sdp.lowerBound).toBeLessThanOrEqual(exact + 1e-12);
    expect(sdp.lowerBound).toBeGreaterThan(0.9 * exact);
    expect(sdp.upperBound!).toBeGreaterThanOrEqual(exact);
    // Grothendieck: the relaxation is within K_G < 1.783 of ‖A'‖_{∞→1}.
    expect(sdp.upperBound!).toBeLessThan(1.79 * exact);
    expect(sdp.upperBoundKind).toBe('deterministic');
    expect(sdp.failureProbability).toBe(0);
    // The probabilistic certificate (the default) of the same dual candidate: valid, and no tighter.
    const lanczos = cutNorm(x, { method: 'sdp', seed: 1 });
    expect(lanczos.upperBoundKind).toBe('probabilistic');
    expect(lanczos.failureProbability).toBe(1e-6);
    expect(lanczos.upperBound!).toBeGreaterThanOrEqual(exact);
    expect(sdp.upperBound!).toBeLessThanOrEqual(lanczos.upperBound! * (1 + 1e-6));
    // The plain block ascent (no momentum) gives a valid bracket too.
    const plain = cutNorm(x, { method: 'sdp', seed: 1, momentum: 0 });
    expect(plain.lowerBound).toBeLessThanOrEqual(exact + 1e-12);
    expect(plain.upperBound!).toBeGreaterThanOrEqual(exact);
    expect(plain.upperBound!).toBeLessThan(1.79 * exact);
    for (const r of [sdp, plain]) {
      const phases = r.phaseMs;
      for (const key of ['solve', 'rounding', 'improvement', 'certificate', 'search', 'bounds'] as const)
        expect(phases[key]).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('sdp convergence', () => {
  it('stops on its convergence test (not the sweep cap) at a tight tolerance, with and without momentum', () => {
    const rng = new Rng(5);
    // A rank-one ±1 matrix (the optimum is a pair of sign vectors) and a small noise matrix.
    const u = Array.from({ length: 30 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const v = Array.from({ length: 25 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const rankOne = { rows: 30, cols: 25, data: u.flatMap((a) => v.map((b) => a * b)) };
    const noise = { rows: 16, cols: 18, data: randomMatrix(rng, 16, 18, 'pm1') };
    for (const x of [rankOne, noise]) {
      for (const momentum of [0, 0.9]) {
        const r = cutNorm(x, { method: 'sdp', seed: 3, momentum, tolerance: 1e-10, maxIterations: 5000 });
        expect(r.converged).toBe(true);
        expect(r.iterations).toBeLessThan(5000);
      }
    }
    // On a rank-one sign matrix the relaxation is tight: the certificate lands within 3 % of the cut found.
    const exact = cutNorm(rankOne, { method: 'sdp', seed: 3, tolerance: 1e-10 });
    expect(exact.upperBound! - exact.lowerBound).toBeLessThan(0.03 * exact.lowerBound);
  });
});

describe('known values', () => {
  it('J_{S×T} block: cut norm = |S||T|/(mn)', () => {
    const m = 40;
    const n = 30;
    const a = new Float64Array(m * n);
    for (let i = 5; i < 25; i++) for (let j = 3; j < 12; j++) a[i * n + j] = 1;
    for (const method of ['local', 'sdp'] as const) {
      const r = cutNorm({ rows: m, cols: n, data: a }, { method, seed: 2 });
      expect(r.lowerBound).toBeCloseTo((20 * 9) / (m * n), 14);
      expect(r.upperBound!).toBeGreaterThanOrEqual(r.lowerBound);
      expect(r.upperBound!).toBeLessThanOrEqual((20 * 9) / (m * n) + 1e-12); // Σ B⁺ is tight here
    }
  });

  it('two constants: ‖p − q‖_□ = |p − q|', () => {
    const r = cutNorm(difference(StepGraphon.constant(0.7), StepGraphon.constant(0.2)), { method: 'sdp' });
    expect(r.lowerBound).toBeCloseTo(0.5, 14);
    expect(r.upperBound).toBeCloseTo(0.5, 12);
  });

  it('checkerboard ±1 2×2 has cut norm 1/4', () => {
    expect(cutNorm({ rows: 2, cols: 2, data: [1, -1, -1, 1] }).lowerBound).toBeCloseTo(0.25, 15);
  });

  it('i.i.d. ±1 noise scales like 1/√n', () => {
    const values: number[] = [];
    const sizes = [64, 256];
    for (const n of sizes) {
      const a = randomMatrix(new Rng(n), n, n, 'pm1');
      const r = cutNorm({ rows: n, cols: n, data: a }, { method: 'sdp', seed: 1 });
      values.push(r.lowerBound * Math.sqrt(n));
      expect(r.upperBound! * Math.sqrt(n)).toBeLessThan(1.2);
    }
    // √n·‖A‖_□ stays in a band (about 0.5–0.85 for n → ∞; Alon–Naor constant region).
    for (const v of values) {
      expect(v).toBeGreaterThan(0.4);
      expect(v).toBeLessThan(1.0);
    }
    expect(values[1] / values[0]).toBeGreaterThan(0.8);
    expect(values[1] / values[0]).toBeLessThan(1.25);
  });
});

describe('mask minus step graphon (sparse path)', () => {
  it('equals the dense computation on a small mask', () => {
    const rng = new Rng(5);
    const rows = 9;
    const cols = 7;
    const mask = BitMatrix.from(rows, cols, () => rng.uniform() < 0.3);
    const w = new StepGraphon([0, 1 / 3, 1], [0, 0.5, 1], [0.2, 0.6, 0.1, 0.4]);
    const sparse = cutNorm(difference(mask, w), { method: 'exact' });
    // Dense reference on a fine grid: 18 × 14 cells of the common refinement (multiples of 1/18, 1/14).
    const fr = 18;
    const fcn = 14;
    const dense = new Float64Array(fr * fcn);
    for (let i = 0; i < fr; i++) {
      for (let j = 0; j < fcn; j++) {
        const u = (i + 0.5) / fr;
        const v = (j + 0.5) / fcn;
        dense[i * fcn + j] = (mask.get(Math.floor(u * rows), Math.floor(v * cols)) ? 1 : 0) - w.value(u, v);
      }
    }
    // The fine grid is a refinement of the pieces, so its cut norm is the same number.
    const ref = cutNorm({ rows: fr, cols: fcn, data: dense }, { method: 'exact' }).lowerBound;
    expect(sparse.lowerBound).toBeCloseTo(ref, 12);
    // Pieces: 1/3 = 3/9 adds no row cut; 1/2 splits column 3 of 7.
    expect(sparse.rowCuts.length).toBe(rows + 1);
    expect(sparse.colCuts.length).toBe(cols + 2);
    const sdp = cutNorm(difference(mask, w), { method: 'sdp', seed: 4 });
    expect(sdp.lowerBound).toBeLessThanOrEqual(ref + 1e-12);
    expect(sdp.upperBound!).toBeGreaterThanOrEqual(ref - 1e-12);
  });
});

describe('auto', () => {
  it('picks exact when cheap, sdp otherwise, and says which', () => {
    const rng = new Rng(12);
    const small = cutNorm({ rows: 6, cols: 40, data: randomMatrix(rng, 6, 40, 'pm1') });
    expect(small.method).toBe('exact');
    expect(small.requestedMethod).toBe('auto');
    expect(small.upperBoundKind).toBe('exact');
    const big = cutNorm({ rows: 40, cols: 35, data: randomMatrix(rng, 40, 35, 'pm1') });
    expect(big.method).toBe('sdp');
    expect(big.converged).toBe(true);
    expect(big.iterations).toBeGreaterThan(1);
    expect(big.timeMs).toBeGreaterThan(0);
    expect(big.lowerBound).toBeLessThanOrEqual(big.upperBound!);
  });
});

describe('bad input', () => {
  it('throws typed errors', () => {
    expect(() => cutNorm({ rows: 0, cols: 3, data: [] })).toThrow(InvalidArgumentError);
    expect(() => cutNorm({ rows: 2, cols: 2, data: [1, Number.NaN, 0, 1] })).toThrow(/finite/);
    expect(() => cutNorm({ rows: 2, cols: 2, data: [1, 2, 3] })).toThrow(InvalidArgumentError);
    expect(() => cutNorm({ rows: 2, cols: 2, data: [1, 2, 3, 4] }, { rank: 0 })).toThrow(/options.rank/);
    expect(() => cutNorm({ rows: 2, cols: 2, data: [1, 2, 3, 4] }, { method: 'fast' as never })).toThrow(
      /method/,
    );
    expect(() => cutNorm({ rows: 2, cols: 2, data: [1, 2, 3, 4] }, { failureProbability: 0 })).toThrow(
      InvalidArgumentError,
    );
    for (const momentum of [1, -0.1, Number.NaN]) {
      expect(() => cutNorm({ rows: 2, cols: 2, data: [1, 2, 3, 4] }, { momentum })).toThrow(
        /options.momentum/,
      );
    }
    const big = { rows: 40, cols: 40, data: new Float64Array(1600) };
    expect(() => cutNorm(big, { method: 'exact' })).toThrow(/sdp/);
    expect(() => cutNorm(new BitMatrix(0, 4))).toThrow(InvalidArgumentError);
  });
});
