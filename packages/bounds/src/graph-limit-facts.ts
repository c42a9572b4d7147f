/**
 * Classical graph-limit facts as documented functions with their constants and sources.
 *
 * Source status, stated plainly: the book (Lovász 2012) and the papers were **not** available to check
 * here. Lemma numbers are confirmed by *secondary* sources only (machine-checked formalisations that cite
 * them: Lean projects citing "Lovász 2012, Lemma 10.23" for the counting lemma and "Lemma 10.16" for the
 * second sampling lemma; a literature summary of Abraham–Delmas–Weibel 2025 restating the second sampling
 * lemma as "probability ≥ 1 − exp(−k/(2 log k)), δ_□(G(k,W), W) ≤ 22/√(log k)"; a summary of Alon–Naor
 * 2006 stating "ρ > 0.56"). Every constant that a proof or a computation can check is checked in
 * `test/graph-limit-facts.test.ts` (brute-force cut norms, an energy-increment run, closed forms), and the
 * derivations below are ours where marked. `log` = natural logarithm.
 *
 * - **Weak regularity** (Frieze & Kannan 1999; Lovász 2012, Ch. 9 — "Lemma 9.3" is unconfirmed: a Lean
 *   formalisation cites Corollary 9.13 / §9.2 for the graphon version, so the constant is derived below): every
 *   graphon W has a partition P of [0, 1] into at most k classes with ‖W − W_P‖_□ ≤ 2/√(log k)
 *   ({@link weakRegularityBound}). Our derivation (energy increment, symmetric partitions): refining P by a
 *   witness (S, T) of ‖W − W_P‖_□ > ε raises ‖W_P‖_2² by more than ε², and ‖W_P‖_2² can grow by at most
 *   Var(W) ≤ 1/4 from the trivial partition, so some partition with ≤ 4^(t−1) classes has error ≤ 1/(2√t);
 *   for k classes that is 1/(2√(⌊log₄ k⌋ + 1)) ≤ 2/√(log k) — the stated constant holds with room, whether
 *   the book's log is natural or base 2.
 * - **Bipartite graphons** (rows and columns partitioned separately, which is what a mask needs): the same
 *   argument refines rows by S and columns by T, so k parts *per side* give
 *   ‖W − W_P‖_□ ≤ 1/(2√(⌊log₂ k⌋ + 1)) ({@link bipartiteWeakRegularityBound}, ours; checked by running the
 *   energy-increment algorithm with exact cut norms in the tests).
 * - **Cut decomposition** (Frieze & Kannan 1999): for every kernel W and s ≥ 1 there are s rectangles with
 *   ‖W − Σ_{i≤s} a_i 1_{S_i×T_i}‖_□ ≤ ‖W‖_2/√s ({@link cutDecompositionBound}); the greedy construction
 *   subtracts the average over a best cut, ‖R‖_2² drops by ≥ ‖R‖_□² per step. Holds verbatim for
 *   rectangular (bipartite) kernels: S_i ⊆ rows, T_i ⊆ columns.
 * - **Second sampling lemma** (Lovász 2012, Lemma 10.16): for k ≥ 2, with probability ≥ 1 − exp(−k/(2 log k)),
 *   δ_□(G(k, W), W) ≤ 22/√(log k) (random 0/1 sample; constant and probability confirmed by a secondary
 *   source) and δ_□(H(k, W), W) ≤ 20/√(log k) (weighted sample; constant **not** confirmed: recalled from the
 *   book; a probability-graphon version, Abraham–Delmas–Weibel, has 21). Stated for symmetric graphons; we
 *   claim no bipartite constant. Both bounds are **vacuous** (≥ 1, while δ_□ ≤ 1 for graphons) unless
 *   log k > 484 (random) / 400 (weighted), i.e. for every sample a computer can hold: use them as rates,
 *   and measure sample distances with `@graphon-pai/cut-distance`.
 * - **Counting lemma** (Lovász 2012, Lemma 10.23; Janson 2013, Lemma 7.2): for a simple graph F,
 *   |t(F, U) − t(F, W)| ≤ e(F) · δ_□(U, W). Bipartite version (ours, same telescoping proof): for a
 *   bipartite pattern F with a fixed side assignment and bipartite graphons, replacing one edge factor at a
 *   time costs ∫ (U − W)(u_a, v_b) f(u_a) g(v_b) ≤ ‖U − W‖_□ with f, g ∈ [0, 1], so
 *   |t(F, U) − t(F, W)| ≤ e(F) · ‖U − W‖_□, and since t(F, ·) is invariant under separate measure-preserving
 *   relabellings of rows and columns, ≤ e(F) · δ_□ (the bipartite cut distance, docs: concepts/cut-distance). The
 *   constant e(F) is sharp (tests: one edge with U ≥ W attains it; stars near W ≡ 1 approach it).
 * - **Alon–Naor** (Alon & Naor, SIAM J. Comput. 35(4), 2006): for a real matrix A,
 *   ‖A‖_□ ≤ ‖A‖_{∞→1} ≤ 4‖A‖_□ with ‖A‖_□ = max_{I,J} |Σ_{i∈I, j∈J} A_ij| (unnormalised) and
 *   ‖A‖_{∞→1} = max_{x,y ∈ {±1}} xᵀAy; appending a column of negated row sums, a row of negated column sums
 *   and the total sum in the corner gives A' with ‖A'‖_□ = ‖A‖_□ and ‖A'‖_{∞→1} = 4‖A'‖_□ (the basis of the
 *   SDP cut-norm method; all three checked by brute force in the tests). The SDP + Krivine rounding finds a
 *   cut of value ≥ ρ‖A‖_□; the paper states ρ > 0.56 (confirmed through a secondary summary), and we report
 *   ρ = 1/K_Krivine = 2 log(1 + √2)/π ≈ 0.5611 — our reading of the Krivine-rounding step, not a quote;
 *   Krivine's bound K_G ≤ π/(2 log(1 + √2)) ≈ 1.7822 is known **not** to be tight (Braverman, Makarychev,
 *   Makarychev & Naor, Forum Math. Pi 2013).
 *
 * The scalable cut norm lives in `@graphon-pai/cut-distance` (deliberately not a dependency of this package);
 * the ∞→1 brute force here is exponential (rows ≤ 24) and exists to check the Alon–Naor facts on small cases.
 *
 * @example
 * weakRegularityBound(1000);             // 2/√(log 1000) ≈ 0.761
 * bipartiteWeakRegularityBound(64);      // 1/(2√7) ≈ 0.189 with 64 row and 64 column parts
 * cutDecompositionBound(16);             // ‖W‖_2/√16 ≤ 0.25 for a graphon
 * samplingLemmaBound(10_000).informative; // false: 22/√(log 1e4) ≈ 7.2 > 1
 * countingLemmaBound(3, 0.01);           // 0.03
 */
import { InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { checkMatrix, checkNumberIn, type Matrix } from './matrix';

const LOVASZ_2012 = 'L. Lovász, Large Networks and Graph Limits, AMS Colloquium Publications 60, 2012';
const ALON_NAOR_2006 =
  "N. Alon and A. Naor, Approximating the cut-norm via Grothendieck's inequality, SIAM J. Comput. 35(4), 2006";

/**
 * 2/√(log k): the weak-regularity cut-norm error of a best approximation by a step function with at most
 * k classes (Frieze & Kannan 1999; Lovász 2012, Ch. 9; natural log; symmetric partitions). The file header
 * derives the constant (the lemma number was not confirmed); see {@link bipartiteWeakRegularityBound} for
 * masks and other bipartite graphons.
 */
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

/**
 * Weak regularity for a **bipartite** graphon (values in [0, 1]) with rows and columns partitioned
 * separately into at most k parts each: some such step function W_P (block averages) has
 * ‖W − W_P‖_□ ≤ 1/(2√(⌊log₂ k⌋ + 1)). Our derivation (file header): energy increment with Var(W) ≤ 1/4;
 * each refinement at most doubles the parts per side. For a kernel with values in [a, b] multiply by b − a
 * (`range`).
 */
export function bipartiteWeakRegularityBound(partsPerSide: number, range = 1): number {
  if (!(Number.isInteger(partsPerSide) && partsPerSide >= 1))
    throw new InvalidArgumentError('partsPerSide', partsPerSide, 'an integer k ≥ 1 (parts per side)');
  checkNumberIn('range', range, 0, Number.MAX_VALUE, false, false);
  // t − 1 = ⌊log₂ k⌋ refinements fit in k parts per side (exact integer count, no log rounding).
  let t = 1;
  for (let parts = 2; parts <= partsPerSide; parts *= 2) t++;
  return range / (2 * Math.sqrt(t));
}

/**
 * Frieze–Kannan cut decomposition: some s rectangles give ‖W − Σ_{i≤s} a_i 1_{S_i×T_i}‖_□ ≤ ‖W‖_2/√s
 * (Frieze & Kannan 1999; also for rectangular kernels). `l2Norm` = ‖W‖_2 (default 1, the bound for any
 * graphon).
 */
export function cutDecompositionBound(terms: number, l2Norm = 1): number {
  if (!(Number.isInteger(terms) && terms >= 1))
    throw new InvalidArgumentError('terms', terms, 'an integer s ≥ 1 (number of cut terms)');
  const n = checkNumberIn('l2Norm', l2Norm, 0, Number.MAX_VALUE, false, false);
  return n / Math.sqrt(terms);
}

export interface SamplingLemmaBound {
  /** Bound on δ_□(G(k, W), W) for the random 0/1 k-sample: 22/√(log k). */
  readonly random: number;
  /** Bound on δ_□(H(k, W), W) for the weighted k-sample: 20/√(log k) (constant not confirmed; header). */
  readonly weighted: number;
  /** exp(−k / (2 log k)): the bounds fail with at most this probability. */
  readonly failureProbability: number;
  /** False when `random` ≥ 1, i.e. the bound says nothing (every k < e^484). */
  readonly informative: boolean;
  readonly reference: string;
}

/**
 * The second sampling lemma (Lovász 2012, Lemma 10.16) for a k-vertex sample of a (symmetric) graphon.
 * Vacuous for every practical k (see `informative` and the file header).
 */
export function samplingLemmaBound(k: number): SamplingLemmaBound {
  if (!(Number.isInteger(k) && k >= 2)) throw new InvalidArgumentError('k', k, 'an integer sample size ≥ 2');
  const l = Math.log(k);
  const random = 22 / Math.sqrt(l);
  return {
    random,
    weighted: 20 / Math.sqrt(l),
    failureProbability: Math.exp(-k / (2 * l)),
    informative: random < 1,
    reference: `${LOVASZ_2012}, Lemma 10.16`,
  };
}

/**
 * e(F) · δ: the counting-lemma bound on |t(F, U) − t(F, W)| (Lovász 2012, Lemma 10.23). For bipartite
 * patterns and bipartite graphons pass the bipartite cut distance (or ‖U − W‖_□ for a given alignment).
 */
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
  /** Krivine's upper bound on Grothendieck's constant, π / (2 log(1 + √2)) ≈ 1.7822 (not tight). */
  grothendieckUpper: Math.PI / (2 * Math.log(1 + Math.SQRT2)),
  /** Ratio of Alon–Naor's SDP + Krivine rounding, read as 1/Krivine = 2 log(1 + √2)/π ≈ 0.5611 (paper: > 0.56). */
  roundingRatio: (2 * Math.log(1 + Math.SQRT2)) / Math.PI,
  reference: ALON_NAOR_2006,
});

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
