import { Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import fc from 'fast-check';
import {
  ALON_NAOR,
  alonNaorAugment,
  bipartiteHomomorphismDensity,
  bipartiteWeakRegularityBound,
  countingLemmaBound,
  cutDecompositionBound,
  infinityToOneNormBruteForce,
  samplingLemmaBound,
  weakRegularityBound,
  weakRegularitySteps,
} from '../src';
import { bruteForceCut } from './helpers';

/** Cut norm of a step kernel: the sup is attained on unions of blocks (bilinear in block indicators). */
function stepCutNorm(k: StepKernel): number {
  const kk = k.rowBlocks;
  const ll = k.colBlocks;
  let best = 0;
  for (let s = 0; s < 2 ** kk; s++) {
    for (let t = 0; t < 2 ** ll; t++) {
      let sum = 0;
      for (let a = 0; a < kk; a++) {
        if (!((s >>> a) & 1)) continue;
        for (let b = 0; b < ll; b++) {
          if ((t >>> b) & 1)
            sum +=
              (k.rowCuts[a + 1] - k.rowCuts[a]) * (k.colCuts[b + 1] - k.colCuts[b]) * k.values[a * ll + b];
        }
      }
      best = Math.max(best, Math.abs(sum));
    }
  }
  return best;
}

function randomMatrix(rng: Rng, rows: number, cols: number, kind: 'uniform' | 'binary' | 'normal') {
  return Float64Array.from({ length: rows * cols }, () =>
    kind === 'uniform' ? rng.uniform() : kind === 'binary' ? Number(rng.uniform() < 0.4) : rng.normal(),
  );
}

/** ‖A‖_2² of an m × n matrix read as a step function on [0, 1]² (mean of squares). */
function l2sq(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return s / a.length;
}

describe('constants', () => {
  it('weak regularity 2/√(log k) and its inverse', () => {
    expect(weakRegularityBound(Math.round(Math.exp(4)))).toBeCloseTo(2 / Math.sqrt(Math.log(55)), 15);
    expect(weakRegularityBound(1000)).toBeCloseTo(0.761, 4);
    const k = weakRegularitySteps(0.9);
    expect(weakRegularityBound(k)).toBeLessThanOrEqual(0.9);
    expect(weakRegularityBound(k - 1)).toBeGreaterThan(0.9);
    expect(() => weakRegularityBound(1)).toThrow(/k ≥ 2/);
  });

  it('the derived symmetric energy-increment bound 1/(2√(⌊log₄ k⌋+1)) is below 2/√(log k) in either log base', () => {
    for (let k = 2; k <= 200_000; k += k < 1000 ? 1 : 997) {
      let t = 1;
      for (let p = 4; p <= k; p *= 4) t++;
      const derived = 1 / (2 * Math.sqrt(t));
      expect(derived).toBeLessThanOrEqual(weakRegularityBound(k));
      expect(derived).toBeLessThanOrEqual(2 / Math.sqrt(Math.log2(k)));
    }
  });

  it('bipartite weak regularity 1/(2√(⌊log₂ k⌋ + 1)) per side, exact at powers of two', () => {
    expect(bipartiteWeakRegularityBound(1)).toBe(0.5);
    expect(bipartiteWeakRegularityBound(2)).toBeCloseTo(1 / (2 * Math.SQRT2), 15);
    expect(bipartiteWeakRegularityBound(3)).toBe(bipartiteWeakRegularityBound(2));
    expect(bipartiteWeakRegularityBound(4)).toBeCloseTo(1 / (2 * Math.sqrt(3)), 15);
    expect(bipartiteWeakRegularityBound(63)).toBeCloseTo(1 / (2 * Math.sqrt(6)), 15);
    expect(bipartiteWeakRegularityBound(64)).toBeCloseTo(1 / (2 * Math.sqrt(7)), 15);
    expect(bipartiteWeakRegularityBound(2 ** 40)).toBeCloseTo(1 / (2 * Math.sqrt(41)), 15);
    expect(bipartiteWeakRegularityBound(64, 2)).toBeCloseTo(1 / Math.sqrt(7), 15);
    expect(() => bipartiteWeakRegularityBound(0)).toThrow(/parts per side/);
  });

  it('Frieze–Kannan cut decomposition ‖W‖_2/√s', () => {
    expect(cutDecompositionBound(16)).toBe(0.25);
    expect(cutDecompositionBound(4, 0.5)).toBe(0.25);
    expect(() => cutDecompositionBound(0)).toThrow(/s ≥ 1/);
  });

  it('sampling lemma 22/√(log k), 20/√(log k), failure exp(−k/(2 log k)); vacuous below k = e^484', () => {
    const s = samplingLemmaBound(10_000);
    expect(s.random).toBeCloseTo(22 / Math.sqrt(Math.log(10_000)), 15);
    expect(s.weighted).toBeCloseTo(20 / Math.sqrt(Math.log(10_000)), 15);
    expect(s.failureProbability).toBeCloseTo(Math.exp(-10_000 / (2 * Math.log(10_000))), 300);
    expect(s.reference).toMatch(/Lemma 10\.16/);
    expect(s.informative).toBe(false);
    // 22²= 484: the random-sample bound drops below 1 only once log k > 484.
    expect(samplingLemmaBound(1e210).informative).toBe(false); // log = 483.5
    expect(samplingLemmaBound(1e211).informative).toBe(true); // log = 485.8
  });

  it('Alon–Naor: ρ = 2 log(1+√2)/π > 0.56 is 1/Krivine; Krivine ≥ √2 = the SDP/∞→1 ratio of a 2 × 2 matrix', () => {
    expect(ALON_NAOR.upper).toBe(4);
    expect(ALON_NAOR.grothendieckUpper).toBeCloseTo(1.78221, 5);
    expect(ALON_NAOR.roundingRatio).toBeCloseTo(0.5611, 4);
    expect(ALON_NAOR.roundingRatio).toBeGreaterThan(0.56);
    expect(ALON_NAOR.roundingRatio * ALON_NAOR.grothendieckUpper).toBeCloseTo(1, 15);
    // A = [[1, 1], [1, −1]]: ‖A‖_{∞→1} = 2 (brute force); the vector relaxation reaches 2√2 with
    // y1 ⟂ y2, x1 = (y1+y2)/√2, x2 = (y1−y2)/√2. Grothendieck's constant is at least the ratio √2.
    const a = { rows: 2, cols: 2, data: Float64Array.from([1, 1, 1, -1]) };
    const inf1 = infinityToOneNormBruteForce(a);
    expect(inf1).toBe(2);
    const y1 = [1, 0];
    const y2 = [0, 1];
    const x1 = [Math.SQRT1_2, Math.SQRT1_2];
    const x2 = [Math.SQRT1_2, -Math.SQRT1_2];
    const dot = (p: number[], q: number[]) => p[0] * q[0] + p[1] * q[1];
    const sdp = dot(x1, y1) + dot(x1, y2) + dot(x2, y1) - dot(x2, y2);
    expect(sdp).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(sdp / inf1).toBeLessThanOrEqual(ALON_NAOR.grothendieckUpper);
  });
});

describe('Alon–Naor facts by brute force on random matrices', () => {
  it('‖A‖_□ ≤ ‖A‖_{∞→1} ≤ 4‖A‖_□, and the augmented matrix attains 4 with the same cut norm', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1e6 }),
        (r, c, seed) => {
          const rng = new Rng(seed);
          const a = { rows: r, cols: c, data: randomMatrix(rng, r, c, 'normal') };
          const cut = bruteForceCut(a.data, r, c).norm;
          const inf1 = infinityToOneNormBruteForce(a);
          const aug = alonNaorAugment(a);
          const cutAug = bruteForceCut(aug.data, r + 1, c + 1).norm;
          const inf1Aug = infinityToOneNormBruteForce(aug);
          const tol = 1e-9 * (1 + inf1);
          return (
            cut <= inf1 + tol &&
            inf1 <= 4 * cut + tol &&
            Math.abs(cutAug - cut) <= tol &&
            Math.abs(inf1Aug - 4 * cutAug) <= tol
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('weak regularity and cut decomposition, run with exact cut norms', () => {
  /** Block averages of `w` on the partition (row labels × column labels); returns W_P. */
  function stepify(w: Float64Array, rows: number, cols: number, rl: Int32Array, cl: Int32Array) {
    const kr = Math.max(...rl) + 1;
    const kc = Math.max(...cl) + 1;
    const sum = new Float64Array(kr * kc);
    const cnt = new Float64Array(kr * kc);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        sum[rl[i] * kc + cl[j]] += w[i * cols + j];
        cnt[rl[i] * kc + cl[j]]++;
      }
    return Float64Array.from({ length: rows * cols }, (_, t) => {
      const b = rl[Math.floor(t / cols)] * kc + cl[t % cols];
      return sum[b] / cnt[b];
    });
  }
  function refine(labels: Int32Array, side: Uint8Array): Int32Array {
    const map = new Map<number, number>();
    return labels.map((l, i) => {
      const key = 2 * l + side[i];
      if (!map.has(key)) map.set(key, map.size);
      return map.get(key)!;
    });
  }

  it('energy increment (bipartite): each refinement gains ≥ e², Σ e² ≤ Var W, min e ≤ bipartiteWeakRegularityBound', () => {
    for (let trial = 0; trial < 24; trial++) {
      const rng = new Rng(`wr-${trial}`);
      const rows = 5 + (trial % 6);
      const cols = 6 + ((trial * 5) % 7);
      const w = randomMatrix(rng, rows, cols, trial % 2 ? 'uniform' : 'binary');
      let mean = 0;
      for (const v of w) mean += v / w.length;
      const variance = l2sq(w) - mean * mean;
      let rl: Int32Array = new Int32Array(rows);
      let cl: Int32Array = new Int32Array(cols);
      let energy = mean * mean;
      let sumSq = 0;
      let best = Number.POSITIVE_INFINITY;
      for (let t = 0; t < 6; t++) {
        const wp = stepify(w, rows, cols, rl, cl);
        expect(l2sq(wp)).toBeCloseTo(energy, 12);
        const diff = w.map((v, i) => v - wp[i]);
        const cut = bruteForceCut(diff, rows, cols);
        const e = cut.norm / (rows * cols);
        best = Math.min(best, e);
        sumSq += e * e;
        expect(sumSq).toBeLessThanOrEqual(variance + 1e-12);
        // P_t has at most 2^t parts per side.
        expect(Math.max(...rl) + 1).toBeLessThanOrEqual(2 ** t);
        expect(best).toBeLessThanOrEqual(bipartiteWeakRegularityBound(2 ** t) + 1e-12);
        rl = refine(rl, cut.rows);
        cl = refine(cl, cut.cols);
        const next = l2sq(stepify(w, rows, cols, rl, cl));
        expect(next - energy).toBeGreaterThanOrEqual(e * e - 1e-12);
        energy = next;
      }
    }
  });

  it('greedy cut decomposition: ‖R‖_2² drops by exactly v²/(|S||T|); min_{i<s} ‖R_i‖_□ ≤ ‖W‖_2/√s', () => {
    for (let trial = 0; trial < 24; trial++) {
      const rng = new Rng(`fk-${trial}`);
      const rows = 4 + (trial % 7);
      const cols = 5 + ((trial * 3) % 8);
      const w = randomMatrix(rng, rows, cols, (['uniform', 'binary', 'normal'] as const)[trial % 3]);
      const norm = Math.sqrt(l2sq(w));
      const r = Float64Array.from(w);
      let best = Number.POSITIVE_INFINITY;
      for (let s = 1; s <= 8; s++) {
        const cut = bruteForceCut(r, rows, cols);
        best = Math.min(best, cut.norm / (rows * cols));
        expect(best).toBeLessThanOrEqual(cutDecompositionBound(s, norm) + 1e-12);
        let ns = 0;
        let nt = 0;
        for (const x of cut.rows) ns += x;
        for (const x of cut.cols) nt += x;
        const d = cut.value / (ns * nt);
        const before = l2sq(r);
        for (let i = 0; i < rows; i++)
          if (cut.rows[i]) for (let j = 0; j < cols; j++) if (cut.cols[j]) r[i * cols + j] -= d;
        const v = cut.value / (rows * cols);
        expect(before - l2sq(r)).toBeCloseTo((v * v) / ((ns / rows) * (nt / cols)), 12);
        expect(before - l2sq(r)).toBeGreaterThanOrEqual(v * v - 1e-12);
      }
    }
  });
});

describe('homomorphism densities and the counting lemma', () => {
  const edge = { left: 1, right: 1, edges: [[0, 0]] as [number, number][] };
  const c4 = {
    left: 2,
    right: 2,
    edges: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as [number, number][],
  };
  const star = {
    left: 1,
    right: 3,
    edges: [
      [0, 0],
      [0, 1],
      [0, 2],
    ] as [number, number][],
  };

  it('closed forms: t(F, p) = p^e(F); edge density = ∫∫W; star = ∫ d_row(u)^3', () => {
    expect(bipartiteHomomorphismDensity(c4, StepGraphon.constant(0.3))).toBeCloseTo(0.3 ** 4, 15);
    const g = new StepGraphon([0, 0.3, 1], [0, 0.6, 1], [0.2, 0.9, 0.5, 0.1]);
    expect(bipartiteHomomorphismDensity(edge, g)).toBeCloseTo(g.integral(), 15);
    const d0 = 0.6 * 0.2 + 0.4 * 0.9;
    const d1 = 0.6 * 0.5 + 0.4 * 0.1;
    expect(bipartiteHomomorphismDensity(star, g)).toBeCloseTo(0.3 * d0 ** 3 + 0.7 * d1 ** 3, 15);
  });

  it('|t(F, U) − t(F, W)| ≤ e(F)·‖U − W‖_□ on random step graphons with shared cuts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const rc = [0, 0.25 + 0.5 * rng.uniform(), 1];
        const cc = [0, 0.2, 0.2 + 0.6 * rng.uniform(), 1];
        const u = new StepGraphon(
          rc,
          cc,
          Array.from({ length: 6 }, () => rng.uniform()),
        );
        const w = new StepGraphon(
          rc,
          cc,
          Array.from({ length: 6 }, () => rng.uniform()),
        );
        const diff = new StepKernel(
          rc,
          cc,
          u.values.map((x, i) => x - w.values[i]),
        );
        const cut = stepCutNorm(diff);
        for (const f of [edge, c4, star]) {
          const gap = Math.abs(bipartiteHomomorphismDensity(f, u) - bipartiteHomomorphismDensity(f, w));
          if (gap > countingLemmaBound(f.edges.length, cut) + 1e-12) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('the constant e(F) is sharp: one edge with U ≥ W attains it, stars near W ≡ 1 approach it', () => {
    const u = new StepGraphon([0, 0.4, 1], [0, 0.7, 1], [0.9, 0.6, 0.5, 0.8]);
    const w = new StepGraphon([0, 0.4, 1], [0, 0.7, 1], [0.7, 0.6, 0.2, 0.1]);
    const diff = new StepKernel([0, 0.4, 1], [0, 0.7, 1], [0.2, 0, 0.3, 0.7]);
    const gap = bipartiteHomomorphismDensity(edge, u) - bipartiteHomomorphismDensity(edge, w);
    expect(gap).toBeCloseTo(countingLemmaBound(1, stepCutNorm(diff)), 15);
    // t(K_{1,3}, c) = c³: |1 − (1 − ε)³| / (3ε) → 1 as ε → 0, and ‖1 − (1 − ε)‖_□ = ε.
    const eps = 1e-4;
    const g3 =
      bipartiteHomomorphismDensity(star, StepGraphon.constant(1)) -
      bipartiteHomomorphismDensity(star, StepGraphon.constant(1 - eps));
    expect(g3).toBeLessThanOrEqual(countingLemmaBound(3, eps));
    expect(g3 / countingLemmaBound(3, eps)).toBeGreaterThan(0.9998);
  });
});
