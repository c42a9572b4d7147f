/**
 * The ReLU arc-cosine expectations shared by the analytic kernels.
 *
 * For a centred Gaussian pair (h, h') with Var h = σ_xx, Var h' = σ_yy, Cov = σ_xy, n = √(σ_xx σ_yy),
 * cos θ = σ_xy / n:
 *
 *     E[1{h>0} 1{h'>0}]       = κ0 = (π − θ) / (2π)
 *     E[relu(h) relu(h')]     = κ1 = n (sin θ + (π − θ) cos θ) / (2π)
 *
 * The one-hidden-layer NTK term for that neuron (both layers trained) is κ0·σ_xy + κ1, which simplifies to
 * `(π − θ) σ_xy / π + √(n² − σ_xy²) / (2π)`; with the hidden layer only it is κ0·σ_xy.
 * Cho & Saul, "Kernel methods for deep learning", NeurIPS 2009 (arc-cosine kernels of degree 0 and 1).
 */

const INV_PI = 1 / Math.PI;
const INV_2PI = 1 / (2 * Math.PI);

/** κ0·σ_xy + κ1 (both = true) or κ0·σ_xy (both = false); n = √(σ_xx σ_yy) > 0. */
export function arcCosineNtkTerm(sxy: number, n: number, both: boolean): number {
  let c = sxy / n;
  if (c > 1) c = 1;
  else if (c < -1) c = -1;
  const theta = Math.acos(c);
  if (!both) return (Math.PI - theta) * sxy * INV_2PI;
  const r = n * n - sxy * sxy;
  return (Math.PI - theta) * sxy * INV_PI + (r > 0 ? Math.sqrt(r) : 0) * INV_2PI;
}
