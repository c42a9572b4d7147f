/**
 * The FSM-predicted limit of one layer's mask, from the factors a criterion implies for *this* network.
 *
 * With fitted neuron factors A_j, input factors B_i (`@graphon-pai/saliency`'s `fsmFactors`: exact, mean-field
 * or rank-one fit) and the noise law F_ξ, the FSM limit graphon for the (empirical) factor laws is, in the
 * canonical orientation (neurons by A descending, inputs by B descending; theory.md §3),
 *
 *     W(u, v) = P(A_j B_i ξ ≥ τ) = 1 − F_ξ(τ / (A_j B_i)),   j = ⌈n·u⌉-th largest A, i = ⌈d·v⌉-th largest B,
 *
 * with τ solving mean_{j,i} W = p to 1e-9, returned as block averages on the same K × L grid as the mask's
 * canonical histogram. The computation is `@graphon-pai/graphon`'s `empiricalFsmLimit` (exact n·d double sum
 * with runs of equal factors merged, Illinois regula falsi on log τ).
 *
 * Pairs with A_j B_i = 0 never connect (W = 0): inputs a data-driven criterion never sees (constant MNIST
 * border pixels) are predicted empty, which is the implicit feature selection of the theory.
 */
import type { StepGraphon } from '@graphon-pai/core';
import { type Distribution, empiricalFsmLimit } from '@graphon-pai/graphon';

export interface PredictedLimit {
  tau: number;
  /** Density met by τ (|achieved − p| ≤ 1e-9). */
  achieved: number;
  graphon: StepGraphon;
}

export function predictedLimit(
  rowFactor: Float64Array,
  colFactor: Float64Array,
  noise: Distribution,
  density: number,
  blocks: { rowBlocks: number; colBlocks: number },
): PredictedLimit {
  const limit = empiricalFsmLimit(rowFactor, colFactor, noise, density);
  return {
    tau: limit.tau,
    achieved: limit.achievedDensity,
    graphon: limit.toStepGraphon(blocks.rowBlocks, blocks.colBlocks),
  };
}
