/**
 * Classical graph-limit facts as documented functions with their constants and sources.
 *
 * - **Weak regularity** (Frieze & Kannan 1999; Lovász 2012, Lemma 9.3): every graphon W has a step function
 *   W_P with at most k steps such that ‖W − W_P‖_□ ≤ 2/√(log k). For a *bipartite* graphon refined
 *   separately on each side, the energy-increment proof gives ≤ 1/√(log₂ k) with k parts per side, which
 *   is smaller, so the stated bound holds there too. `log` = natural logarithm throughout.
 * - **Sampling lemma** (Lovász 2012, Lemma 10.16): for k ≥ 2, with probability ≥ 1 − exp(−k/(2 log k)),
 *   δ_□(H(k, W), W) ≤ 20/√(log k) and δ_□(G(k, W), W) ≤ 22/√(log k)  (H: weighted, G: random 0/1 sample).
 * - **Counting lemma** (Lovász 2012, Lemma 10.23): |t(F, U) − t(F, W)| ≤ e(F) · δ_□(U, W); for bipartite F
 *   and bipartite graphons with a fixed side assignment the same telescoping proof gives e(F)·‖U − W‖_□.
 * - **Alon–Naor** (Alon & Naor, SIAM J. Comput. 35(4), 2006): for a real matrix A,
 *   ‖A‖_□ ≤ ‖A‖_{∞→1} ≤ 4‖A‖_□ with ‖A‖_□ = max_{I,J} |Σ_{i∈I, j∈J} A_ij| (unnormalised) and
 *   ‖A‖_{∞→1} = max_{x,y ∈ {±1}} xᵀAy; appending a column of negated row sums, a row of negated column sums
 *   and the total sum in the corner gives A' with ‖A'‖_□ = ‖A‖_□ and ‖A'‖_{∞→1} = 4‖A'‖_□ (the basis of the
 *   SDP cut-norm method). Grothendieck's constant K_G ≤ π/(2 log(1 + √2)) ≈ 1.7822 (Krivine); Alon–Naor's
 *   rounding gives a 0.56-approximation of the cut norm.
 *
 * The brute-force norms here are exponential (rows ≤ 24) and exist to check these facts on small cases;
 * the scalable cut norm lives in `@graphon-pai/cut-distance`.
 *
 * @example
 * weakRegularityBound(1000);      // 2/√(log 1000) ≈ 0.761
 * samplingLemmaBound(10_000);     // { random: 22/√(log 1e4), weighted: 20/√(log 1e4), failureProbability }
 * countingLemmaBound(3, 0.01);    // 0.03
 */
import { InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { checkMatrix, checkNumberIn, type Matrix } from './matrix';

export const LOVASZ_2012 = 'L. Lovász, Large Networks and Graph Limits, AMS Colloquium Publications 60, 2012';
export const ALON_NAOR_2006 =
  "N. Alon and A. Naor, Approximating the cut-norm via Grothendieck's inequality, SIAM J. Comput. 35(4), 2006";

/** 2/√(log k): the weak-regularity cut-norm error of a best k-step approximation (Lovász 2012, Lemma 9.3). */
export function weakRegularityBound(steps: number): number {
  if (!(Number.isInteger(steps) && steps >= 2))
    throw new InvalidArgumentError('steps', steps, 'an integer k ≥ 2');
  return 2 / Math.sqrt(Math.log(steps));
}

/** The smallest k with 2/√(log k) ≤ ε: k = ⌈exp(4/ε²)⌉ (may be Infinity for small ε). */
export function weakRegularitySteps(epsilon: number): number {
  const e = checkNumberIn('epsilon', epsilon, 0, Number.MAX_VALUE, true, false);
  return Math.ceil(Math.exp(4 / (e * e)));
}

export interface SamplingLemmaBound {
  /** Bound on δ_□(G(k, W), W) for the random 0/1 k-sample: 22/√(log k). */
  readonly random: number;
  /** Bound on δ_□(H(k, W), W) for the weighted k-sample: 20/√(log k). */
  readonly weighted: number;
  /** exp(−k / (2 log k)): the bounds fail with at most this probability. */
  readonly failureProbability: number;
  readonly reference: string;
}

/** The second sampling lemma (Lovász 2012, Lemma 10.16) for a k-vertex sample. */
export function samplingLemmaBound(k: number): SamplingLemmaBound {
  if (!(Number.isInteger(k) && k >= 2)) throw new InvalidArgumentError('k', k, 'an integer sample size ≥ 2');
  const l = Math.log(k);
  return {
    random: 22 / Math.sqrt(l),
    weighted: 20 / Math.sqrt(l),
    failureProbability: Math.exp(-k / (2 * l)),
    reference: `${LOVASZ_2012}, Lemma 10.16`,
  };
}

/** e(F) · δ: the counting-lemma bound on |t(F, U) − t(F, W)| (Lovász 2012, Lemma 10.23). */
export function countingLemmaBound(edges: number, cutDistance: number): number {
  if (!(Number.isInteger(edges) && edges >= 0))
    throw new InvalidArgumentError('edges', edges, 'a non-negative integer e(F)');
  checkNumberIn('cutDistance', cutDistance, 0, Number.MAX_VALUE, false, false);
  return edges * cutDistance;
}

/**
 * Homomorphism density t(F, W) of a bipartite pattern F into a bipartite step kernel: F has `left`
 * vertices (mapped to neuron positions u) and `right` vertices (input positions v), `edges` as
 * [leftIndex, rightIndex] pairs; t(F, W) = ∫ Π_{(a,b)∈E} W(u_a, v_b). Exact by enumerating block
 * assignments: O(K^left · L^right · e(F)); for small patterns and kernels.
 */
export function bipartiteHomomorphismDensity(
  pattern: { left: number; right: number; edges: readonly (readonly [number, number])[] },
  kernel: StepKernel,
): number {
  if (!(kernel instanceof StepKernel))
    throw new InvalidArgumentError('kernel', kernel, 'a StepKernel or StepGraphon');
  const { left, right, edges } = pattern;
  for (const [a, b] of edges) {
    if (!(Number.isInteger(a) && a >= 0 && a < left && Number.isInteger(b) && b >= 0 && b < right)) {
      throw new InvalidArgumentError('pattern.edges', [a, b], `pairs [left < ${left}, right < ${right}]`);
    }
  }
  const kk = kernel.rowBlocks;
  const ll = kernel.colBlocks;
  const total = kk ** left * ll ** right;
  if (total > 5e7)
    throw new InvalidArgumentError(
      'pattern',
      `${left}+${right} vertices`,
      'a pattern small enough to enumerate (≤ 5e7 block assignments)',
    );
  const assign = new Int32Array(left + right);
  let sum = 0;
  for (let t = 0; t < total; t++) {
    let rest = t;
    let weight = 1;
    for (let a = 0; a < left; a++) {
      assign[a] = rest % kk;
      rest = Math.floor(rest / kk);
      weight *= kernel.rowCuts[assign[a] + 1] - kernel.rowCuts[assign[a]];
    }
    for (let b = 0; b < right; b++) {
      assign[left + b] = rest % ll;
      rest = Math.floor(rest / ll);
      weight *= kernel.colCuts[assign[left + b] + 1] - kernel.colCuts[assign[left + b]];
    }
    let prod = weight;
    for (const [a, b] of edges) prod *= kernel.values[assign[a] * ll + assign[left + b]];
    sum += prod;
  }
  return sum;
}

/** Alon–Naor constants (see the file header). */
export const ALON_NAOR = Object.freeze({
  /** ‖A‖_□ ≤ ‖A‖_{∞→1}. */
  lower: 1,
  /** ‖A‖_{∞→1} ≤ 4‖A‖_□, with equality after augmentation. */
  upper: 4,
  /** Krivine's upper bound on Grothendieck's constant, π / (2 log(1 + √2)). */
  grothendieckUpper: Math.PI / (2 * Math.log(1 + Math.SQRT2)),
  /** Approximation ratio of Alon–Naor's SDP rounding for the cut norm. */
  roundingRatio: 0.56,
  reference: ALON_NAOR_2006,
});

/** max_{I,J} |Σ_{I×J} A| (unnormalised cut norm) by enumerating row subsets; rows ≤ 24. */
export function cutNormBruteForce(a: Matrix): number {
  const data = checkSmall('a', a);
  const { rows, cols } = a;
  const colSums = new Float64Array(cols);
  let best = 0;
  for (let s = 0; s < 2 ** rows; s++) {
    colSums.fill(0);
    for (let i = 0; i < rows; i++)
      if ((s >>> i) & 1) for (let j = 0; j < cols; j++) colSums[j] += data[i * cols + j];
    let pos = 0;
    let neg = 0;
    for (let j = 0; j < cols; j++) {
      if (colSums[j] > 0) pos += colSums[j];
      else neg -= colSums[j];
    }
    best = Math.max(best, pos, neg);
  }
  return best;
}

/** max_{x,y ∈ {±1}} xᵀAy by enumerating x; rows ≤ 24. */
export function infinityToOneNormBruteForce(a: Matrix): number {
  const data = checkSmall('a', a);
  const { rows, cols } = a;
  let best = 0;
  const colSums = new Float64Array(cols);
  for (let s = 0; s < 2 ** rows; s++) {
    colSums.fill(0);
    for (let i = 0; i < rows; i++) {
      const sign = (s >>> i) & 1 ? 1 : -1;
      for (let j = 0; j < cols; j++) colSums[j] += sign * data[i * cols + j];
    }
    let v = 0;
    for (let j = 0; j < cols; j++) v += Math.abs(colSums[j]);
    best = Math.max(best, v);
  }
  return best;
}

/** Alon–Naor augmentation: [[A, −A·1], [−1ᵀA, 1ᵀA1]], (rows+1) × (cols+1). */
export function alonNaorAugment(a: Matrix): Matrix {
  const data = checkMatrix('a', a);
  const { rows, cols } = a;
  const out = new Float64Array((rows + 1) * (cols + 1));
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let rs = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      out[i * (cols + 1) + j] = v;
      out[rows * (cols + 1) + j] -= v;
      rs += v;
    }
    out[i * (cols + 1) + cols] = -rs;
    total += rs;
  }
  out[rows * (cols + 1) + cols] = total;
  return { rows: rows + 1, cols: cols + 1, data: out };
}

function checkSmall(name: string, a: Matrix): Float64Array {
  const data = checkMatrix(name, a);
  if (a.rows > 24) {
    throw new InvalidArgumentError(
      `${name}.rows`,
      a.rows,
      'at most 24 (brute force is exponential in rows)',
      {
        fix: 'use @graphon-pai/cut-distance for large matrices, or pass the transpose if it has fewer rows',
      },
    );
  }
  return data;
}
