/**
 * The **empirical** NTK of a concrete one-hidden-layer masked ReLU network, in closed form from its
 * weights, and a sampler of such networks from a graphon.
 *
 * Network (NTK parametrisation, as in {@link graphonNtk}):
 *
 *     h_j(x) = (σ_w/√n_in) Σ_i M_ji ω_ji x_i,     f(x) = (σ_a/√n) Σ_j a_j relu(h_j(x))     (σ_a = 1 default)
 *
 * Its tangent kernel Θ(x, x') = Σ_θ ∂f(x)/∂θ · ∂f(x')/∂θ over the trainable parameters is
 *
 *     Θ = (σ_a²/n) Σ_j relu(h_j(x)) relu(h_j(x'))                                  (∂/∂a_j; layers = 'both')
 *       + (σ_a²σ_w²/(n·n_in)) Σ_j a_j² 1{h_j(x)>0} 1{h_j(x')>0} Σ_i M_ji x_i x'_i    (∂/∂ω_ji, kept weights only)
 *
 * computed as J Jᵀ in float64, the second term with J[x, (j,i)] = a_j 1{h_j(x)>0} x_i over the kept
 * entries (j,i) of the mask, chunked over neurons so J stays ≤ 4 Mi entries, every product a GEMM.
 * The relu derivative at 0 is taken as 0.
 *
 * As n → ∞ with the mask fixed row-wise by a graphon, Θ → the expectation over the Gaussian weights,
 * which is `graphonNtk(x, mask)`; and as the masks' input dimension grows too, → `graphonNtk(x, W)`
 * (the Bernoulli noise of a mask row on Σ_u is O(1/√n_in)). The tests check both.
 *
 * Complexity: m·n·n_in for the pre-activations, m²·n + m²·nnz(M) for Θ.
 *
 * `maskedNetworkFromMlp` reads a one-hidden-layer ReLU `Mlp` of `@graphon-pai/nets` (either
 * parametrisation, no biases) and its first-layer mask into this form: σ_w = s_0·√n_in and σ_a = s_1·√n
 * from the layers' weight scales (standard parametrisation: s = 1).
 *
 * @example
 * const net = sampleMaskedNetwork('0.5', { inputs: 8, hidden: 1024, seed: 1 });
 * const theta = empiricalNtk(x, net);
 * empiricalNtk(x, maskedNetworkFromMlp(mlp, mask));
 */
import {
  BitMatrix,
  findBlock,
  type Graphon,
  InvalidArgumentError,
  type NetworkMask,
  Rng,
  type Seed,
  StepKernel,
  UnsupportedError,
} from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import type { Mlp } from '@graphon-pai/nets';
import { type GraphonSource, resolveGraphon } from './graphon-source';
import {
  checkMatrix,
  checkNumberIn,
  checkPositiveInteger,
  checkVector,
  type KernelMatrix,
  type Matrix,
} from './matrix';
import { stepCellAverages } from './quadrature';

/** A one-hidden-layer masked network's parameters (PyTorch orientation: rows = hidden neurons). */
export interface MaskedOneHiddenLayer {
  /** Number of inputs n_in. */
  readonly inputs: number;
  /** Number of hidden neurons n. */
  readonly hidden: number;
  /** ω: hidden × inputs, row-major (standard normal at initialisation). */
  readonly firstWeights: ArrayLike<number>;
  /** a: one output weight per hidden neuron. */
  readonly outputWeights: ArrayLike<number>;
  /** First-layer mask, hidden × inputs; omitted = dense. */
  readonly mask?: BitMatrix;
  /** σ_w (default 1): the first layer computes (σ_w/√n_in) (M ⊙ ω) x. */
  readonly sigmaW?: number;
  /** σ_a (default 1): the output is (σ_a/√n) Σ_j a_j relu(h_j); Θ scales by σ_a². */
  readonly sigmaA?: number;
}

export interface EmpiricalNtkOptions {
  /** 'both' (default) or 'hidden' (first layer only). */
  layers?: 'both' | 'hidden';
}

/** Empirical NTK Θ of a concrete masked network on the rows of `x`; see the file header. */
export function empiricalNtk(
  x: Matrix,
  net: MaskedOneHiddenLayer,
  options: EmpiricalNtkOptions = {},
): KernelMatrix {
  const xs = checkMatrix('x', x);
  const d = checkPositiveInteger('net.inputs', net.inputs);
  const n = checkPositiveInteger('net.hidden', net.hidden);
  if (x.cols !== d) throw new InvalidArgumentError('x.cols', x.cols, `net.inputs (${d})`);
  const omega = checkVector('net.firstWeights', net.firstWeights, n * d);
  const a = checkVector('net.outputWeights', net.outputWeights, n);
  const sigmaW = checkNumberIn('net.sigmaW', net.sigmaW ?? 1, 0, Number.MAX_VALUE, true, false);
  const sigmaA = checkNumberIn('net.sigmaA', net.sigmaA ?? 1, 0, Number.MAX_VALUE, true, false);
  const a2 = sigmaA * sigmaA;
  const layers = options.layers ?? 'both';
  if (layers !== 'both' && layers !== 'hidden')
    throw new InvalidArgumentError('options.layers', layers, "'both' or 'hidden'");
  const mask = net.mask;
  if (mask && (mask.rows !== n || mask.cols !== d)) {
    throw new InvalidArgumentError(
      'net.mask',
      `${mask.rows} × ${mask.cols}`,
      `a ${n} × ${d} BitMatrix (hidden × inputs)`,
    );
  }
  const m = x.rows;
  // Masked first-layer weights and pre-activations H = X (M⊙ω)ᵀ σ_w/√n_in  (m × n).
  const w = new Float64Array(n * d);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < d; i++) if (!mask || mask.get(j, i)) w[j * d + i] = omega[j * d + i];
  }
  const h = new Float64Array(m * n);
  gemm(false, true, m, n, d, sigmaW / Math.sqrt(d), xs, w, 0, h);
  const out = new Float64Array(m * m);
  if (layers === 'both') {
    const r = new Float64Array(m * n);
    for (let p = 0; p < m * n; p++) r[p] = Math.max(h[p], 0);
    gemm(false, true, m, m, n, a2 / n, r, r, 0, out);
  }
  // ω-gradient term, chunked over neurons.
  const rowSets: Uint32Array[] = [];
  for (let j = 0; j < n; j++) rowSets.push(mask ? mask.rowIndices(j) : identityIndices(d));
  const alpha = (a2 * sigmaW * sigmaW) / (n * d);
  const budget = 4 * 1024 * 1024;
  let j0 = 0;
  while (j0 < n) {
    let cols = 0;
    let j1 = j0;
    while (j1 < n && (cols + rowSets[j1].length) * m <= budget) cols += rowSets[j1++].length;
    if (j1 === j0) cols += rowSets[j1++].length;
    if (cols > 0) {
      const jac = new Float64Array(m * cols);
      for (let x0 = 0; x0 < m; x0++) {
        let c = x0 * cols;
        for (let j = j0; j < j1; j++) {
          const set = rowSets[j];
          const gate = h[x0 * n + j] > 0 ? a[j] : 0;
          for (let q = 0; q < set.length; q++) jac[c++] = gate * xs[x0 * d + set[q]];
        }
      }
      gemm(false, true, m, m, cols, alpha, jac, jac, 1, out);
    }
    j0 = j1;
  }
  for (let r = 0; r < m; r++) {
    for (let c = r + 1; c < m; c++) {
      const v = 0.5 * (out[r * m + c] + out[c * m + r]);
      out[r * m + c] = v;
      out[c * m + r] = v;
    }
  }
  return { rows: m, cols: m, data: out };
}

function identityIndices(d: number): Uint32Array {
  const out = new Uint32Array(d);
  for (let i = 0; i < d; i++) out[i] = i;
  return out;
}

export interface SampleMaskedNetworkOptions {
  inputs: number;
  hidden: number;
  seed: Seed;
  /** σ_w recorded on the network (default 1). */
  sigmaW?: number;
}

/**
 * Samples a masked one-hidden-layer network from a graphon: neuron j sits at u_j = (j + ½)/n, input i at
 * its cell; `M_ji ~ Bernoulli(w(u_j, i))` with w the cell average of a step graphon (the cell-midpoint
 * value of a function graphon); ω, a ~ N(0, 1). Streams are forked by label so that the mask does not
 * depend on the weights' draws.
 */
export function sampleMaskedNetwork(
  graphon: GraphonSource,
  options: SampleMaskedNetworkOptions,
): MaskedOneHiddenLayer {
  const d = checkPositiveInteger('options.inputs', options.inputs);
  const n = checkPositiveInteger('options.hidden', options.hidden);
  const g = resolveGraphon(graphon);
  if (g instanceof BitMatrix) {
    throw new InvalidArgumentError('graphon', 'a BitMatrix', 'a graphon to sample a mask from', {
      fix: 'pass the mask as net.mask directly, or its step graphon',
    });
  }
  const rng = new Rng(options.seed);
  const maskRng = rng.fork('mask');
  const weightRng = rng.fork('weights');
  const mask = new BitMatrix(n, d);
  const row = new Float64Array(d);
  for (let j = 0; j < n; j++) {
    const u = (j + 0.5) / n;
    fillRow(g, u, d, row);
    for (let i = 0; i < d; i++) if (maskRng.uniform() < row[i]) mask.set(j, i);
  }
  const firstWeights = new Float64Array(n * d);
  for (let p = 0; p < n * d; p++) firstWeights[p] = weightRng.normal();
  const outputWeights = new Float64Array(n);
  for (let j = 0; j < n; j++) outputWeights[j] = weightRng.normal();
  return { inputs: d, hidden: n, firstWeights, outputWeights, mask, sigmaW: options.sigmaW ?? 1 };
}

/** w(u, i) for every input i: exact cell averages for a step kernel, cell midpoints otherwise. */
function fillRow(g: StepKernel | Graphon, u: number, d: number, row: Float64Array): void {
  if (g instanceof StepKernel) {
    stepCellAverages(g, findBlock(g.rowCuts, u), d, row);
    return;
  }
  for (let i = 0; i < d; i++) row[i] = g.value(u, (i + 0.5) / d);
}

/** Reads a one-hidden-layer ReLU `Mlp` (no biases, one output) and its mask; see the file header. */
export function maskedNetworkFromMlp(mlp: Mlp, mask?: NetworkMask): MaskedOneHiddenLayer {
  const layers = mlp?.layers;
  if (!Array.isArray(layers) || typeof mlp.weight !== 'function') {
    throw new InvalidArgumentError('mlp', mlp, 'an Mlp of @graphon-pai/nets');
  }
  if (layers.length !== 2 || layers[0].activation !== 'relu' || layers[1].shape.rows !== 1) {
    throw new UnsupportedError(
      `the closed-form empirical NTK covers one-hidden-layer ReLU networks with one output; got widths ${mlp.config.widths.join('-')} with '${layers[0].activation}'`,
      {
        fix: "build the network as Mlp.create({ widths: [inputs, hidden, 1], activation: 'relu', bias: false })",
      },
    );
  }
  for (let l = 0; l < 2; l++) {
    const b = mlp.bias(l);
    if (b?.some((v) => v !== 0)) {
      throw new UnsupportedError(`layer ${l} has non-zero biases, which this closed form does not include`, {
        fix: 'create the network with bias: false',
      });
    }
  }
  const [first, second] = layers;
  const m0 = mask?.get(first.weightName);
  const m1 = mask?.get(second.weightName);
  if (m1 && m1.nnz() !== m1.size) {
    throw new UnsupportedError('the output layer is masked; the closed form assumes a dense output layer', {
      fix: `drop '${second.weightName}' from the mask`,
    });
  }
  const d = first.shape.cols;
  const n = first.shape.rows;
  if (m0 && (m0.rows !== n || m0.cols !== d)) {
    throw new InvalidArgumentError(
      `mask['${first.weightName}']`,
      `${m0.rows} × ${m0.cols}`,
      `a ${n} × ${d} BitMatrix`,
    );
  }
  return {
    inputs: d,
    hidden: n,
    firstWeights: mlp.weight(0),
    outputWeights: mlp.weight(1),
    mask: m0,
    sigmaW: first.weightScale * Math.sqrt(d),
    sigmaA: second.weightScale * Math.sqrt(n),
  };
}
