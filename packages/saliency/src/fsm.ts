/**
 * The Factorised Saliency Model view of a criterion (docs: concepts/factorised-saliency-model): for a one-hidden-layer network
 * `f(x) = Σ_j a_j σ(w_j·x)` (first layer `W: n × d`, second layer `a: K × n`), the row (neuron) factors `A_j`
 * and column (input) factors `B_i` a criterion's first-layer scores factorise into,
 *
 *     s_ji ≈ A_j · B_i · ξ_ji,
 *
 * so that `@graphon-pai/graphon` can predict the limit graphon from the empirical laws of `A`, `B` and `ξ`.
 *
 * | criterion          | A_j                                  | B_i                                          | ξ_ji     | method        |
 * |--------------------|--------------------------------------|----------------------------------------------|----------|---------------|
 * | `random`           | 1                                    | 1                                            | uniform  | exact         |
 * | `magnitude`        | 1                                    | 1                                            | \|w_ji\|  | exact         |
 * | `synflow`          | s_1 · Σ_k s_2 \|a_kj\| (masked)       | 1                                            | \|w_ji\|  | exact         |
 * | `snip`, K = 1      | \|s_2 a_j\| · c_j                     | \|s_1 Σ_n δ_n σ̄'_n x_ni\| / c̄                | \|w_ji\|  | mean-field    |
 * | `snip`, K > 1      | rank-one fit of \|∂L/∂w\|              | (same fit)                                   | \|w_ji\|  | rank-one-fit  |
 * | `grasp(-magnitude)`| rank-one fit of \|H g\|               | (same fit)                                   | \|w_ji\|  | rank-one-fit  |
 *
 * Notation: `δ_n = ∂L/∂f(x_n)` (includes the batch mean), `c_j = mean_n σ'(z_nj)` (a neuron's active fraction
 * for ReLU), `c̄ = mean_j c_j`, `σ̄'_n = mean_j σ'(z_nj)`, `s_l` the parametrisation scales. The SNIP mean-field
 * factors are our reconstruction of the table's `A_j ≈ |a_j| c_j`, `B_i ≈ |E[r σ' x_i]|`: they follow from
 * `∂L/∂w_ji = s_1 s_2 a_j Σ_n δ_n σ'(z_nj) x_ni` by replacing `σ'(z_nj)` with `c_j σ̄'_n / c̄` (one weight's
 * influence vanishes with width); the normalisation by `c̄` makes `A_j B_i` match `|∂L/∂w_ji|` to first order.
 * Rank-one fits are the Perron vectors of the non-negative sensitivity matrix (`score / |w|`), by power
 * iteration (≤ 200 steps, relative change < 1e-12). Factors are scaled so that `mean(B) = 1`.
 *
 * Fit quality: `explained = 1 − Σ (S_ji − A_j B_i)² / Σ S_ji²`, the fraction of `Σ|S|²` of the sensitivity
 * `S = |score / w|` (for SNIP `|∂L/∂w|`) the factor product explains (1 for the exact methods; for a Perron fit
 * it is `σ₁² / ‖S‖_F²`). The rest is what a rank-one model of the limit cannot carry: the limit of a data-driven
 * criterion is indexed by neuron type, and the FSM limit is a model of it with a bias to be measured.
 *
 * **Convolutional networks** (`ConvNet`): the factors of one weighted layer (default the first; `options.layer`
 * names another), viewed as the bipartite graph of out-channels × (in-channel, kh, kw): `A_o` per output
 * channel, `B_k` per `k = c·kh·kw + i·kw + j`. Random and magnitude are exact as above; SNIP, GraSP and SynFlow
 * take the rank-one fit of the sensitivity `S = |score / w|` (zero where `w = 0` or masked), since a channel's
 * score sums over spatial positions and none of the one-hidden-layer closed forms applies. SynFlow is exactly
 * rank one (`B ≡ 1`, `explained = 1`) on a first layer without padding (its all-ones input makes
 * `∂R/∂|w_ok|` independent of `k`); padding makes border taps see fewer ones, and the fit says how much.
 *
 * Signed GraSP keeps the top of the signed `w ⊙ Hg`: an edge is eligible only when `w_ji` and `(Hg)_ji`
 * have the same sign, which for a symmetric weight law independent of `Hg` (one weight's influence on `Hg`
 * vanishes with width) is half of the edges. Its factors are those of `|Hg|` with `eligible = 1/2`: the
 * limit is `W = eligible · P(A B ξ ≥ τ)` with τ solving `mean W = p` (so `p ≤ eligible`).
 *
 * @example
 * const f = fsmFactors('snip', { network, data: batch, rng: new Rng(0) });
 * f.rowFactor.length === network.layers[0].shape.rows;
 * const c = fsmFactors('snip', { network: lenet, data: batch, rng }, { layer: 'features.3.weight' });
 * c.rowFactor.length === 16 && c.colFactor.length === 6 * 5 * 5;
 */

import { InvalidArgumentError, UnsupportedError } from '@graphon-pai/core';
import { ConvNet, forwardTape, type Mlp, type Network, tidy } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import { type CriterionContext, checkContext, contextBatches, contextLoss } from './context';
import { graspScores } from './grasp';
import { averagedGradients, snipScores } from './snip';
import { synflowDetailed } from './synflow';

export type FsmCriterion = 'random' | 'magnitude' | 'snip' | 'grasp' | 'grasp-magnitude' | 'synflow';

export interface FsmFactors {
  readonly criterion: FsmCriterion;
  /** The weight name of the layer whose mask the FSM describes (an Mlp's first layer). */
  readonly layer: string;
  /** A_j, one per hidden neuron or output channel (weight row). */
  readonly rowFactor: Float64Array;
  /** B_i, one per input or (in-channel, kh, kw) tap (weight column). */
  readonly colFactor: Float64Array;
  /** Law of the edge noise ξ: i.i.d. uniform, or the initial |w_ji|. */
  readonly noise: 'uniform' | 'abs-weight';
  /** φ(a, b, ξ) = a · b · ξ. */
  readonly phi: 'product';
  /** `exact`: s = A B ξ holds exactly; `mean-field`: to first order in 1/width; `rank-one-fit`: best fit. */
  readonly method: 'exact' | 'mean-field' | 'rank-one-fit';
  /** Fraction of Σ|S|² of the sensitivity S the product A_j B_i explains (1 for exact methods). */
  readonly explained: number;
  /** Fraction of edges eligible to be kept: 1/2 for signed GraSP (a sign factor), 1 otherwise. */
  readonly eligible: number;
}

export const FSM_CRITERIA: readonly FsmCriterion[] = [
  'random',
  'magnitude',
  'snip',
  'grasp',
  'grasp-magnitude',
  'synflow',
];

function ones(n: number): Float64Array {
  return new Float64Array(n).fill(1);
}

/** Scales (A, B) so that mean(B) = 1 (A·B unchanged). */
function normalizePair(A: Float64Array, B: Float64Array): void {
  let mean = 0;
  for (let i = 0; i < B.length; i++) mean += B[i];
  mean /= B.length;
  if (!(mean > 0)) return;
  for (let i = 0; i < B.length; i++) B[i] /= mean;
  for (let j = 0; j < A.length; j++) A[j] *= mean;
}

/** Perron rank-one fit S ≈ A Bᵀ of a non-negative rows × cols matrix. */
export function rankOneFit(
  S: ArrayLike<number>,
  rows: number,
  cols: number,
): { A: Float64Array; B: Float64Array } {
  let B = ones(cols);
  const A = new Float64Array(rows);
  let sigma = 0;
  for (let it = 0; it < 200; it++) {
    let an = 0;
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let i = 0; i < cols; i++) s += S[j * cols + i] * B[i];
      A[j] = s;
      an += s * s;
    }
    an = Math.sqrt(an);
    if (an === 0) return { A: new Float64Array(rows), B: ones(cols) };
    for (let j = 0; j < rows; j++) A[j] /= an;
    const nb = new Float64Array(cols);
    for (let j = 0; j < rows; j++) {
      const aj = A[j];
      for (let i = 0; i < cols; i++) nb[i] += S[j * cols + i] * aj;
    }
    let bn = 0;
    for (let i = 0; i < cols; i++) bn += nb[i] * nb[i];
    bn = Math.sqrt(bn);
    const prev = sigma;
    sigma = bn;
    B = nb;
    if (Math.abs(sigma - prev) <= 1e-12 * sigma) break;
  }
  // S ≈ A Bᵀ with ‖A‖ = 1 and B = Sᵀ A (the least-squares partner of A).
  const outA = Float64Array.from(A);
  normalizePair(outA, B);
  return { A: outA, B };
}

/** `1 − Σ (S − A Bᵀ)² / Σ S²` for a `rows × cols` matrix S (1 when S = 0). */
export function explainedFraction(
  S: ArrayLike<number>,
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  rows: number,
  cols: number,
): number {
  let total = 0;
  let residual = 0;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const v = S[j * cols + i];
      total += v * v;
      residual += (v - A[j] * B[i]) ** 2;
    }
  }
  return total === 0 ? 1 : 1 - residual / total;
}

function sensitivity(scores: Float32Array, w: Float32Array): Float64Array {
  const out = new Float64Array(scores.length);
  for (let q = 0; q < out.length; q++) out[q] = w[q] === 0 ? 0 : Math.abs(scores[q] / w[q]);
  return out;
}

function snipMeanField(net: Mlp, ctx: CriterionContext<Network>): { A: Float64Array; B: Float64Array } {
  const batches = contextBatches(ctx, 'snip');
  const loss = contextLoss(ctx);
  const [first, second] = net.layers;
  const n = first.shape.rows;
  const d = first.shape.cols;
  const K = second.shape.rows;
  const c = new Float64Array(n);
  const colK = new Float64Array(d * K);
  let samples = 0;
  for (const batch of batches) {
    const t = tidy(() => {
      const tape = forwardTape(net, batch, { loss, mask: ctx.mask });
      return { delta: tape.result.outputGradient, slopes: tape.slopes[0]! };
    });
    const delta = t.delta.dataSync();
    const slopes = t.slopes.dataSync();
    tf.dispose([t.delta, t.slopes]);
    const x = batch.inputs;
    for (let r = 0; r < batch.count; r++) {
      let mean = 0;
      for (let j = 0; j < n; j++) {
        c[j] += slopes[r * n + j];
        mean += slopes[r * n + j];
      }
      mean /= n;
      for (let k = 0; k < K; k++) {
        const f = (delta[r * K + k] * mean * first.weightScale) / batches.length;
        for (let i = 0; i < d; i++) colK[i * K + k] += f * x[r * d + i];
      }
    }
    samples += batch.count;
  }
  let cbar = 0;
  for (let j = 0; j < n; j++) cbar += c[j] /= samples;
  cbar /= n;
  const a = net.weight(1);
  const m2 = ctx.mask?.get(second.weightName);
  const A = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const v = m2 && !m2.get(k, j) ? 0 : second.weightScale * a[k * n + j];
      s += v * v;
    }
    A[j] = Math.sqrt(s) * c[j];
  }
  const B = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += colK[i * K + k] ** 2;
    B[i] = cbar > 0 ? Math.sqrt(s) / cbar : 0;
  }
  normalizePair(A, B);
  return { A, B };
}

export interface FsmFactorOptions {
  /**
   * The layer's weight name. A `ConvNet`: any weighted layer (default the first). An `Mlp`: its first layer,
   * the only one the model describes.
   */
  layer?: string;
}

/** Exact factors of random and magnitude (`A ≡ B ≡ 1`) for a `rows × cols` layer. */
function homogeneous(
  criterion: 'random' | 'magnitude',
  layer: string,
  rows: number,
  cols: number,
): FsmFactors {
  return {
    criterion,
    layer,
    phi: 'product',
    explained: 1,
    eligible: 1,
    rowFactor: ones(rows),
    colFactor: ones(cols),
    noise: criterion === 'random' ? 'uniform' : 'abs-weight',
    method: 'exact',
  };
}

/** The rank-one FSM factors of a data-driven or flow criterion's sensitivity `S` (`rows × cols`). */
function fitted(
  criterion: FsmCriterion,
  ctx: CriterionContext<Network>,
  layer: string,
  S: Float64Array,
  rows: number,
  cols: number,
  fit: { A: Float64Array; B: Float64Array },
  method: 'mean-field' | 'rank-one-fit',
): FsmFactors {
  const signed =
    criterion === 'grasp' && (ctx.options as { variant?: string } | undefined)?.variant !== 'magnitude';
  return {
    criterion,
    layer,
    phi: 'product',
    rowFactor: fit.A,
    colFactor: fit.B,
    noise: 'abs-weight',
    method,
    explained: explainedFraction(S, fit.A, fit.B, rows, cols),
    eligible: signed ? 0.5 : 1,
  };
}

/** GraSP's magnitude scores `|w ⊙ Hg|` of every layer, with the context's options. */
function graspMagnitude(net: Network, ctx: CriterionContext<Network>, criterion: FsmCriterion) {
  const { variant: _variant, ...options } = (ctx.options ?? {}) as Record<string, unknown>;
  return graspScores(net, contextBatches(ctx, criterion), {
    loss: contextLoss(ctx),
    mask: ctx.mask,
    ...options,
    variant: 'magnitude',
  });
}

/** Factors of one weighted layer of a conv network (see the file header). */
function convFsmFactors(
  criterion: FsmCriterion,
  net: ConvNet,
  ctx: CriterionContext<Network>,
  layerName: string | undefined,
): FsmFactors {
  const layer = layerName === undefined ? net.layers[0] : net.layer(layerName);
  const name = layer.weightName;
  const { rows, cols } = layer.shape;
  if (criterion === 'random' || criterion === 'magnitude') return homogeneous(criterion, name, rows, cols);
  let scores: Float32Array;
  if (criterion === 'snip') {
    scores = snipScores(net, contextBatches(ctx, 'snip'), { loss: contextLoss(ctx), mask: ctx.mask }).get(
      name,
    )!.scores;
  } else if (criterion === 'synflow') {
    scores = synflowDetailed(net, { mask: ctx.mask }).scores.get(name)!.scores;
  } else scores = graspMagnitude(net, ctx, criterion).get(name)!.scores;
  const S = sensitivity(scores, net.weight(layer.index));
  return fitted(criterion, ctx, name, S, rows, cols, rankOneFit(S, rows, cols), 'rank-one-fit');
}

/**
 * Row and column factors a criterion implies for the first layer of a one-hidden-layer `Mlp`, or for a
 * weighted layer of a `ConvNet` (`options.layer`).
 */
export function fsmFactors(
  criterion: FsmCriterion,
  ctx: CriterionContext<Network>,
  options: FsmFactorOptions = {},
): FsmFactors {
  if (!(FSM_CRITERIA as readonly string[]).includes(criterion)) {
    throw new InvalidArgumentError('criterion', criterion, `one of ${FSM_CRITERIA.join(', ')}`);
  }
  const net = checkContext(ctx, criterion);
  if (net instanceof ConvNet) return convFsmFactors(criterion, net, ctx, options.layer);
  if (options.layer !== undefined && options.layer !== net.layers[0].weightName) {
    throw new InvalidArgumentError(
      'options.layer',
      options.layer,
      `'${net.layers[0].weightName}': the FSM factor view of an Mlp describes its first layer`,
      { fix: 'omit options.layer' },
    );
  }
  if (net.layers.length !== 2) {
    throw new UnsupportedError(
      `the FSM factor view is defined for one-hidden-layer networks; got ${net.layers.length} layers`,
      {
        fix: 'build the network with widths [inputs, hidden, outputs]',
      },
    );
  }
  const first = net.layers[0];
  const { rows, cols } = first.shape;
  if (criterion === 'random' || criterion === 'magnitude')
    return homogeneous(criterion, first.weightName, rows, cols);
  if (criterion === 'synflow') {
    // s_ji = |w_ji| · A_j with A_j = s_1 · λ_j (right vector of the first layer ≡ 1).
    const net1 = synflowDetailed(net, { mask: ctx.mask });
    const s = net1.scores.get(first.weightName)!.scores;
    const w = net.weight(0);
    const A = new Float64Array(rows);
    for (let j = 0; j < rows; j++) {
      // Read A_j from any kept, non-zero weight of the row (all give the same ratio).
      for (let i = 0; i < cols; i++) {
        if (w[j * cols + i] !== 0 && s[j * cols + i] !== 0) {
          A[j] = (s[j * cols + i] / Math.abs(w[j * cols + i])) * Math.exp(net1.logScale);
          break;
        }
      }
    }
    return { ...homogeneous('magnitude', first.weightName, rows, cols), criterion, rowFactor: A };
  }
  let S: Float64Array;
  if (criterion === 'snip') {
    const batches = contextBatches(ctx, 'snip');
    const g = tidy(() => averagedGradients(net, batches, contextLoss(ctx), ctx.mask)[0]);
    S = Float64Array.from(g.dataSync(), Math.abs);
    g.dispose();
  } else S = sensitivity(graspMagnitude(net, ctx, criterion).get(first.weightName)!.scores, net.weight(0));
  const meanField = criterion === 'snip' && net.outputSize === 1;
  const fit = meanField ? snipMeanField(net, ctx) : rankOneFit(S, rows, cols);
  return fitted(
    criterion,
    ctx,
    first.weightName,
    S,
    rows,
    cols,
    fit,
    meanField ? 'mean-field' : 'rank-one-fit',
  );
}
