/**
 * The fixed-input-dimension floor of the full-resolution cut distance to a constant graphon.
 *
 * Setting: an `n × d` mask `M` (rows = neurons, columns = the `d` inputs) whose rows are i.i.d. and each
 * hold `D_j ≈ Binomial(d, p)` ones: a random (or magnitude) mask with an exact total count `k = p·n·d`
 * placed uniformly, whose row degrees are hypergeometric, asymptotically independent `Binomial(d, p)` as
 * `n → ∞`. Take the cut `S = {rows with D_j > d·p}`, `T = all columns`:
 *
 *     ‖W_M − p‖_□ ≥ (1/(n·d)) Σ_{j∈S} (D_j − d·p) = (1/n) Σ_j (D_j/d − p)_+
 *                 → E[(D/d − p)_+]                      (n → ∞, law of large numbers over the rows)
 *                 ≈ σ · E[Z_+] = σ / √(2π) = ½·√(2/π)·√(p(1−p)/d),   σ² = Var(D/d) = p(1−p)/d,
 *
 * the last step by the normal approximation of `(D − dp)/√(dp(1−p))` (central limit theorem in `d`). Against
 * the exact binomial mean `E[(D − dp)_+]/d` the relative error is 0.06 % at `p = 0.1`, `d = 784`, 0.8 % at
 * `d = 64`, 0.3 % at `p = 0.3`, `d = 100`.
 * Because `δ_□(W_M, p) = ‖W_M − p‖_□` (a constant is invariant under relabelling), the full-resolution
 * distance of such masks to the constant `p` stays at or above this value however wide the layer gets; it
 * vanishes only when `d` grows with `n` (then it is `O(d^(−1/2))`). For `p = 0.1`, `d = 784` it is ≈ 0.00427.
 *
 * It bounds the distance to the constant `p` only. The `block` and `pixel` metrics average `n/K` rows per
 * cell and have no such floor in the width.
 *
 * Reference: theory in Pham, Ta, Tran-Thanh, arXiv 2602.06675 (convergence of random masks); E[Z_+] = 1/√(2π)
 * for a standard normal Z.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

/** `½·√(2/π)·√(p(1−p)/d)`: the asymptotic floor of `δ_□(W_M, p)` for an `n × d` random mask (file header). */
export function fixedDimensionFloor(density: number, inputs: number): number {
  if (!(Number.isFinite(density) && density >= 0 && density <= 1)) {
    throw new InvalidArgumentError('density', density, 'a number in [0, 1]');
  }
  if (!(Number.isInteger(inputs) && inputs >= 1)) {
    throw new InvalidArgumentError('inputs', inputs, 'a positive integer (the input dimension d)');
  }
  return 0.5 * Math.sqrt(2 / Math.PI) * Math.sqrt((density * (1 - density)) / inputs);
}
