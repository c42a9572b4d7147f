/**
 * The FSM-predicted limit of one layer's mask, from the factors a criterion implies for *this* network.
 *
 * With fitted neuron factors A_j, input factors B_i (`@graphon-pai/saliency`'s `fsmFactors`: exact, mean-field
 * or rank-one fit), the noise law F_ξ and the eligible fraction e (1/2 for signed GraSP, whose kept edges need
 * `w_ji` and `(Hg)_ji` of one sign; 1 otherwise), the FSM limit graphon for the (empirical) factor laws is, in
 * the canonical orientation (neurons by A descending, inputs by B descending),
 *
 *     W(u, v) = e · P(A_j B_i ξ ≥ τ) = e · (1 − F_ξ(τ / (A_j B_i))),   j = ⌈n·u⌉-th largest A, i = ⌈d·v⌉-th largest B,
 *
 * with τ solving mean_{j,i} W = p to 1e-9 (the e = 1 limit at density p / e, scaled by e). The computation is
 * `@graphon-pai/graphon`'s `empiricalFsmLimit` (exact n·d double sum with runs of equal factors merged).
 *
 * Summaries for the distances: `graphon`, block averages on the heatmap grid; `blockAverage` over any
 * rectangle (the `block` metric); `pixelSummary(K)`, the K × d matrix of neuron-block means at each input in
 * pixel order (the `pixel` metric: input i sits at canonical position rank(B_i), ties share their value).
 *
 * Pairs with A_j B_i = 0 never connect (W = 0): inputs a data-driven criterion never sees (constant MNIST
 * border pixels) are predicted empty, which is the implicit feature selection of the theory.
 */
import type { StepGraphon } from '@graphon-pai/core';
import type { DenseMatrix } from '@graphon-pai/cut-distance';
import { type Distribution, empiricalFsmLimit } from '@graphon-pai/graphon';

export interface PredictedLimit {
  tau: number;
  /** Density met by τ (|achieved − p| ≤ 1e-9). */
  achieved: number;
  graphon: StepGraphon;
  /** Exact mean of W over [u0, u1) × [v0, v1). */
  blockAverage(u0: number, u1: number, v0: number, v1: number): number;
  /** The K × d pixel-order summary. */
  pixelSummary(rowBlocks: number): DenseMatrix;
  /** W of one (row, column) pair from their factors: e · P(A B ξ ≥ τ). */
  pairValue(rowFactor: number, colFactor: number): number;
}

export function predictedLimit(
  rowFactor: Float64Array,
  colFactor: Float64Array,
  noise: Distribution,
  density: number,
  blocks: { rowBlocks: number; colBlocks: number },
  eligible = 1,
): PredictedLimit {
  const limit = empiricalFsmLimit(rowFactor, colFactor, noise, density / eligible);
  const scale = (g: StepGraphon) => {
    if (eligible !== 1) for (let q = 0; q < g.values.length; q++) (g.values as Float64Array)[q] *= eligible;
    return g;
  };
  return {
    tau: limit.tau,
    achieved: limit.achievedDensity * eligible,
    graphon: scale(limit.toStepGraphon(blocks.rowBlocks, blocks.colBlocks)),
    blockAverage: (u0, u1, v0, v1) => eligible * limit.blockAverage(u0, u1, v0, v1),
    pairValue: (a, b) => eligible * limit.pairValue(a, b),
    pixelSummary(rowBlocks) {
      const d = colFactor.length;
      const g = scale(limit.toStepGraphon(rowBlocks, d));
      const order = Array.from(colFactor.keys()).sort((x, y) => colFactor[y] - colFactor[x] || x - y);
      const data = new Float64Array(rowBlocks * d);
      order.forEach((input, position) => {
        for (let a = 0; a < rowBlocks; a++) data[a * d + input] = g.values[a * d + position];
      });
      return { rows: rowBlocks, cols: d, data };
    },
  };
}
