import { Rng } from '@graphon-pai/core';
import { lanczosMax, slackFor, stepsFor, tridiagonalMax } from './lanczos';

/** H = Q diag(d) Q with the Householder reflection Q = I − 2uuᵀ (so λ(H) = d), applied to n × s blocks. */
function operator(d: Float64Array, rng: Rng, s: number) {
  const n = d.length;
  const u = new Float64Array(n).map(() => rng.normal());
  const norm = Math.sqrt(u.reduce((a, x) => a + x * x, 0));
  for (let i = 0; i < n; i++) u[i] /= norm;
  const reflect = (x: Float64Array, out: Float64Array) => {
    for (let c = 0; c < s; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * x[i * s + c];
      for (let i = 0; i < n; i++) out[i * s + c] = x[i * s + c] - 2 * dot * u[i];
    }
  };
  const tmp = new Float64Array(n * s);
  return (x: Float64Array, out: Float64Array) => {
    reflect(x, tmp);
    for (let i = 0; i < n; i++) for (let c = 0; c < s; c++) tmp[i * s + c] *= d[i];
    reflect(tmp, out);
  };
}

describe('lanczosMax', () => {
  it('brackets λ_max: ritz ≤ λ_max ≤ upper ≤ λ_max / (1 − ε), for 1 and 4 independent runs', () => {
    const rng = new Rng('lanczos');
    const n = 300;
    for (const runs of [1, 4]) {
      for (let trial = 0; trial < 4; trial++) {
        // A clustered spectrum near the top makes Lanczos converge slowly (the hard case for the bound).
        const d = new Float64Array(n).map(() => 2 * rng.uniform());
        d[7] = 2.05;
        const epsilon = 0.05;
        const steps = stepsFor(n, epsilon, 1e-6, runs);
        const res = lanczosMax(n, operator(d, rng, runs), steps, 1e-6, rng.fork(`start-${trial}`), runs);
        expect(res.ritz).toBeLessThanOrEqual(2.05 * (1 + 1e-12));
        expect(res.upper).toBeGreaterThanOrEqual(2.05);
        expect(res.upper).toBeLessThanOrEqual((2.05 / (1 - epsilon)) * (1 + 1e-9));
        expect(res.steps).toBe(steps);
      }
    }
  });

  it('independent runs need fewer steps for the same δ and ε (failure probabilities multiply)', () => {
    const n = 4097;
    const one = stepsFor(n, 0.02, 1e-6, 1);
    const four = stepsFor(n, 0.02, 1e-6, 4);
    expect(one).toBe(67);
    expect(four).toBe(31);
    // The slack charged for k − 1 steps never exceeds the requested ε.
    for (const runs of [1, 2, 4, 8]) {
      const k = stepsFor(n, 0.02, 1e-6, runs);
      expect(slackFor(n, k - 1, 1e-6, runs)).toBeLessThanOrEqual(0.02);
      // And the KW failure probability (1.648 √N e^{−√ε(2k−1)})^runs at that slack is at most δ.
      const eps = slackFor(n, k - 1, 1e-6, runs);
      const p = (1.648 * Math.sqrt(n) * Math.exp(-Math.sqrt(eps) * (2 * (k - 1) - 1))) ** runs;
      expect(p).toBeLessThanOrEqual(1e-6 * (1 + 1e-9));
    }
  });

  it('is exact after a breakdown (invariant Krylov space)', () => {
    const rng = new Rng('breakdown');
    const d = Float64Array.from([3, 1, 1, 1, 1, 1]);
    for (const runs of [1, 4]) {
      const res = lanczosMax(6, operator(d, rng, runs), 20, 1e-6, rng, runs);
      expect(res.breakdown).toBe(true);
      expect(res.upper).toBeCloseTo(3, 10);
      expect(res.ritz).toBeCloseTo(3, 10);
    }
  });

  it('tridiagonalMax matches a closed form', () => {
    // Path-graph Laplacian-like T: alpha = 2, beta = −1, λ_max = 2 − 2cos(mπ/(m+1)).
    const m = 9;
    const expected = 2 - 2 * Math.cos((m * Math.PI) / (m + 1));
    expect(tridiagonalMax(new Array(m).fill(2), new Array(m - 1).fill(-1))).toBeCloseTo(expected, 12);
  });
});
