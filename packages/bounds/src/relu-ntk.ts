/**
 * The dense one-hidden-layer ReLU NTK in closed form: the reference every graphon kernel reduces to for a
 * constant graphon.
 *
 *     Σ(x, x') = σ_w² · xᵀx' / n_in
 *     K(x, x') = κ0(θ) Σ(x, x') + κ1(x, x')            (layers = 'both')
 *     K(x, x') = κ0(θ) Σ(x, x')                         (layers = 'hidden', Arora et al.'s H^∞)
 *     κ0 = (π − θ)/(2π),  κ1 = √(Σ(x,x)Σ(x',x')) (sin θ + (π − θ) cos θ)/(2π),  cos θ = Σ(x,x')/√(Σ(x,x)Σ(x',x'))
 *
 * Network and parametrisation (NTK parametrisation, the convention of the whole package):
 * `f(x) = (1/√n) Σ_j a_j relu(h_j(x))`, `h_j(x) = (σ_w/√n_in) Σ_i ω_ji x_i`, with ω_ji, a_j ~ N(0, 1) and
 * n → ∞ hidden neurons. With unit-norm-per-coordinate inputs (‖x‖² = n_in), σ_w = 1 and layers = 'hidden'
 * this is exactly the Gram matrix H^∞ of Arora, Du, Hu, Li & Wang (2019, arXiv 1901.08584), whose inputs
 * have ‖x‖ = 1 and no 1/n_in.
 *
 * Written with plain loops on purpose: it is the independent float64 reference for {@link graphonNtk}.
 * Complexity: m² · n_in multiply-adds.
 *
 * @example
 * const k = denseReluNtk({ rows: 2, cols: 2, data: [1, 0, 0, 1] });
 * k.data; // [1, 1/(2π), 1/(2π), 1]  (orthogonal inputs: θ = π/2)
 */
import { arcCosineNtkTerm } from './internal/arc-cosine';
import { checkMatrix, checkNumberIn, type KernelMatrix, type Matrix } from './matrix';

export interface DenseReluNtkOptions {
  /** First-layer weight variance σ_w² (default 1). */
  sigmaW2?: number;
  /** 'both' (default): both layers trained; 'hidden': first layer only (κ0 term). */
  layers?: 'both' | 'hidden';
}

/** Dense two-layer ReLU NTK Gram matrix of the rows of `x`; see the file header. */
export function denseReluNtk(x: Matrix, options: DenseReluNtkOptions = {}): KernelMatrix {
  const data = checkMatrix('x', x);
  const sigmaW2 = checkNumberIn('options.sigmaW2', options.sigmaW2 ?? 1, 0, Number.MAX_VALUE, false, false);
  const both = (options.layers ?? 'both') === 'both';
  const m = x.rows;
  const d = x.cols;
  const s = sigmaW2 / d;
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < d; p++) acc += data[i * d + p] * data[j * d + p];
      gram[i * m + j] = s * acc;
    }
  }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      const n = Math.sqrt(gram[i * m + i] * gram[j * m + j]);
      let v = 0;
      if (i === j) v = both ? gram[i * m + i] : gram[i * m + i] / 2;
      else if (n > 0) v = arcCosineNtkTerm(gram[i * m + j], n, both);
      out[i * m + j] = v;
      out[j * m + i] = v;
    }
  }
  return { rows: m, cols: m, data: out };
}
