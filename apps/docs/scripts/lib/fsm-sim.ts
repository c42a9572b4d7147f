/**
 * Small simulations behind the concept figures: exact-density masks from a multiplicative Factorised Saliency
 * Model (`s_ji = A_j · b(v_i) · ξ_ji`, ξ = |N(0,1)|), and a fast threshold τ(p) for the closed-form limit
 * `W(u,v) = 1 − F_ξ(τ / (a(u) b(v)))` that the interactive figure evaluates in the browser (130 thresholds
 * per build; `test/figures.test.ts` checks them against `@graphon-pai/graphon`'s accurate `fsmLimit`).
 * Seeded through `@graphon-pai/core`'s `Rng`, so every build draws the same figures.
 */
import { BitMatrix, type Rng } from '@graphon-pai/core';

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc Chebyshev fit); plenty for figures. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(q: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (q < lo) {
    const s = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) /
      ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1)
    );
  }
  if (q > 1 - lo) return -normalQuantile(1 - q);
  const s = q - 0.5;
  const r = s * s;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** The model: neuron factor A = exp(σ_A · Z) (log-normal), input profile b(v) = exp(−β v), half-normal noise. */
export interface FsmModel {
  readonly sigmaA: number;
  readonly beta: number;
}

export const neuronFactor = (m: FsmModel, u: number): number => Math.exp(m.sigmaA * normalQuantile(1 - u));
export const inputFactor = (m: FsmModel, v: number): number => Math.exp(-m.beta * v);
/** Distribution function of ξ = |Z|. */
export const noiseCdf = (x: number): number => (x <= 0 ? 0 : erf(x / Math.SQRT2));

/** τ with mean of the limit graphon equal to `density`, on a `grid`² midpoint rule (bisection on log τ). */
export function limitThreshold(m: FsmModel, density: number, grid = 100): number {
  const a = Float64Array.from({ length: grid }, (_, i) => neuronFactor(m, (i + 0.5) / grid));
  const b = Float64Array.from({ length: grid }, (_, j) => inputFactor(m, (j + 0.5) / grid));
  const c = new Float64Array(grid * grid);
  for (let i = 0; i < grid; i++) for (let j = 0; j < grid; j++) c[i * grid + j] = 1 / (a[i] * b[j]);
  const mean = (tau: number): number => {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += 1 - noiseCdf(tau * c[i]);
    return s / c.length;
  };
  let lo = -30;
  let hi = 30;
  for (let it = 0; it < 44; it++) {
    const mid = (lo + hi) / 2;
    if (mean(Math.exp(mid)) > density) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

export function limitValue(m: FsmModel, tau: number, u: number, v: number): number {
  return 1 - noiseCdf(tau / (neuronFactor(m, u) * inputFactor(m, v)));
}

/** Keeps exactly k = round(density · N) largest scores (ties at the threshold: lower index first). */
export function topK(rows: number, cols: number, scores: Float64Array, density: number): BitMatrix {
  const n = rows * cols;
  const k = Math.round(density * n);
  const dense = new Uint8Array(n);
  if (k > 0) {
    const threshold = Float64Array.from(scores).sort()[n - k];
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (scores[i] > threshold) {
        dense[i] = 1;
        kept++;
      }
    }
    for (let i = 0; i < n && kept < k; i++) {
      if (scores[i] === threshold) {
        dense[i] = 1;
        kept++;
      }
    }
  }
  return BitMatrix.fromDense(rows, cols, dense);
}

/** Scores of one layer under the model; `random` gives i.i.d. scores (the homogeneous case). */
export function sampleScores(rows: number, cols: number, m: FsmModel | 'random', rng: Rng): Float64Array {
  const s = new Float64Array(rows * cols);
  if (m === 'random') {
    for (let i = 0; i < s.length; i++) s[i] = rng.uniform();
    return s;
  }
  const A = Float64Array.from({ length: rows }, () => Math.exp(m.sigmaA * rng.normal()));
  // Inputs carry the profile in a random order: the canonical ordering has to find it.
  const perm = rng.permutation(cols);
  const B = Float64Array.from({ length: cols }, (_, i) => inputFactor(m, (perm[i] + 0.5) / cols));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) s[r * cols + c] = A[r] * B[c] * Math.abs(rng.normal());
  return s;
}
