/**
 * Quadrature on [0, 1] and the row profiles a graphon induces on a finite set of inputs.
 *
 * **Gauss–Legendre** nodes/weights on [0, 1]: the roots of the Legendre polynomial P_n mapped from [−1, 1],
 * found by Newton's method from the Chebyshev-like guess cos(π(i − ¼)/(n + ½)); exact for polynomials of
 * degree ≤ 2n − 1. Matches `numpy.polynomial.legendre.leggauss(n)` (mapped) to ~1e-15.
 *
 * **Row profiles.** Every graphon calculator here reduces a graphon `W` and `d` inputs to a finite list of
 * row nodes `a = 1..K` with weights `ω_a` (Σ ω_a = 1) and column profiles `w_a(i)`, i = 0..d−1, so that
 * `∫_0^1 F(W(u, ·)) du ≈ Σ_a ω_a F(w_a)`:
 * - StepGraphon / StepKernel: one node per row block, ω_a = r_{a+1} − r_a, and
 *   `w_a(i) = d · ∫_{i/d}^{(i+1)/d} W(a, v) dv` (the exact average over input i's cell; equals the block value
 *   when the column cuts align with the input grid). The integral over u is **exact**.
 * - BitMatrix mask (n × d): one node per neuron, ω = 1/n, w_j(i) = M[j][i]. Exact.
 * - Function graphon: `rowNodes` Gauss–Legendre nodes u_a (default 64) or a midpoint grid, and
 *   `w_a(i)` = the average of `colNodes` Gauss–Legendre points inside input i's cell (default 1 = the
 *   midpoint v_i = (i + ½)/d).
 *
 * Complexity: O(K · d) values (plus K·d·colNodes graphon evaluations for a function graphon).
 *
 * @example
 * const { nodes, weights } = gaussLegendre(4); // on [0, 1], Σ weights = 1
 */
import { BitMatrix, type Graphon, InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { type GraphonSource, resolveGraphon } from './graphon-source';
import { checkPositiveInteger } from './matrix';

/** Gauss–Legendre nodes (increasing) and weights on [0, 1]. */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  checkPositiveInteger('nodes', n);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 1; i <= Math.ceil(n / 2); i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let pp = 1;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence: p1 = P_n(z), p2 = P_{n-1}(z).
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15) break;
    }
    const w = 2 / ((1 - z * z) * pp * pp);
    // z is the i-th largest root in [-1, 1]; store ascending on [0, 1].
    nodes[n - i] = (1 + z) / 2;
    nodes[i - 1] = (1 - z) / 2;
    weights[n - i] = w / 2;
    weights[i - 1] = w / 2;
  }
  return { nodes, weights };
}

export interface RowProfileOptions {
  /** Row quadrature nodes for a function graphon (default 64). */
  rowNodes?: number;
  /** Row rule for a function graphon: 'gauss-legendre' (default) or 'midpoint' (robust to jumps). */
  rowQuadrature?: 'gauss-legendre' | 'midpoint';
  /** Gauss–Legendre points per input cell for a function graphon (default 1 = cell midpoint). */
  colNodes?: number;
}

/** Row nodes of a graphon over `inputs` input coordinates; see the file header. */
export interface RowProfiles {
  /** Number of row nodes K. */
  readonly nodes: number;
  /** Number of inputs d. */
  readonly inputs: number;
  /** ω_a, K of them, summing to 1. */
  readonly weights: Float64Array;
  /** w_a(i), K × d row-major, each in [0, 1] for a graphon. */
  readonly profiles: Float64Array;
  /** True when Σ_a ω_a F(w_a) is the exact integral (step graphons and masks). */
  readonly exact: boolean;
}

/** Reduces a graphon source to row profiles over `inputs` input coordinates. */
export function rowProfiles(
  source: GraphonSource,
  inputs: number,
  options: RowProfileOptions = {},
): RowProfiles {
  checkPositiveInteger('inputs', inputs);
  const g = resolveGraphon(source);
  if (g instanceof BitMatrix) {
    if (g.cols !== inputs) {
      throw new InvalidArgumentError('mask.cols', g.cols, `the number of inputs (${inputs})`, {
        fix: 'pass the first-layer mask (rows = hidden neurons, cols = inputs) of the data you use',
      });
    }
    const n = g.rows;
    const profiles = new Float64Array(n * inputs);
    g.forEachSet((r, c) => {
      profiles[r * inputs + c] = 1;
    });
    return { nodes: n, inputs, weights: new Float64Array(n).fill(1 / n), profiles, exact: true };
  }
  if (g instanceof StepKernel) return stepProfiles(g, inputs);
  return functionProfiles(g, inputs, options);
}

function stepProfiles(k: StepKernel, d: number): RowProfiles {
  const kk = k.rowBlocks;
  const weights = new Float64Array(kk);
  for (let a = 0; a < kk; a++) weights[a] = k.rowCuts[a + 1] - k.rowCuts[a];
  const profiles = new Float64Array(kk * d);
  for (let a = 0; a < kk; a++) stepCellAverages(k, a, d, profiles.subarray(a * d, (a + 1) * d));
  return { nodes: kk, inputs: d, weights, profiles, exact: true };
}

/** out[i] = d · ∫_{i/d}^{(i+1)/d} K(row block a, v) dv: the exact average of row block a over input cell i. */
export function stepCellAverages(k: StepKernel, a: number, d: number, out: Float64Array): void {
  const l = k.colBlocks;
  out.fill(0);
  let b = 0;
  for (let i = 0; i < d; i++) {
    const lo = i / d;
    const hi = (i + 1) / d;
    while (b < l - 1 && k.colCuts[b + 1] <= lo) b++;
    for (let bb = b; bb < l && k.colCuts[bb] < hi; bb++) {
      const overlap = (Math.min(hi, k.colCuts[bb + 1]) - Math.max(lo, k.colCuts[bb])) * d;
      if (overlap > 0) out[i] += overlap * k.values[a * l + bb];
    }
  }
}

function functionProfiles(g: Graphon, d: number, options: RowProfileOptions): RowProfiles {
  const rowNodes = checkPositiveInteger('options.rowNodes', options.rowNodes ?? 64);
  const colNodes = checkPositiveInteger('options.colNodes', options.colNodes ?? 1);
  const rule = options.rowQuadrature ?? 'gauss-legendre';
  let u: Float64Array;
  let weights: Float64Array;
  if (rule === 'gauss-legendre') {
    ({ nodes: u, weights } = gaussLegendre(rowNodes));
  } else if (rule === 'midpoint') {
    u = new Float64Array(rowNodes);
    for (let a = 0; a < rowNodes; a++) u[a] = (a + 0.5) / rowNodes;
    weights = new Float64Array(rowNodes).fill(1 / rowNodes);
  } else {
    throw new InvalidArgumentError('options.rowQuadrature', rule, "'gauss-legendre' or 'midpoint'");
  }
  const cq = gaussLegendre(colNodes);
  const profiles = new Float64Array(rowNodes * d);
  for (let a = 0; a < rowNodes; a++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let q = 0; q < colNodes; q++) s += cq.weights[q] * g.value(u[a], (i + cq.nodes[q]) / d);
      profiles[a * d + i] = s;
    }
  }
  return { nodes: rowNodes, inputs: d, weights, profiles, exact: false };
}
