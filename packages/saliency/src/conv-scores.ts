/**
 * The data-driven and flow criteria on convolutional networks (`ConvNet` of `@graphon-pai/nets`): the same
 * definitions as for MLPs (see `snip.ts`, `grasp.ts`, `synflow.ts`), computed with the conv network's exact
 * host passes (im2col on the fast GEMM). `snipScores`, `graspScores` and `synflowDetailed` call these for a
 * `ConvNet`, so a caller scores either architecture the same way. Scores are row-major `[out, in, kh, kw]`
 * (the layer's `rows × cols` view), keyed by weight name, with the layer's shape (`tensorShape` included).
 *
 * - SNIP: `s = |W ⊙ ∂L/∂Ŵ| ⊙ M`, gradients averaged over batches before the absolute value.
 * - GraSP: `g = ∂L/∂W` (masked, averaged over batches), `H g` by the R-operator (averaged), `s = Ŵ ⊙ H g`
 *   (signed) or `|Ŵ ⊙ H g|` (magnitude), `Ŵ = W ⊙ M`.
 * - SynFlow: `R = 1ᵀ f_{|Ŵ|}(1)`, the all-ones input (one sample `C × H × W`) through the **linearised**
 *   network (every activation the identity, pooling kept: on the non-negative values of this pass ReLU is
 *   the identity, as in Tanaka et al.'s code; max pooling keeps its argmax), `s = |Ŵ| ⊙ ∂R/∂|Ŵ|`. Without
 *   biases the pass is positively homogeneous of degree 1 in each layer's weights, so it runs on
 *   `|Ŵ_l| / a_l` (`a_l = max |Ŵ_l|`) and `log R = log R̃ + Σ log a_l` in float64: scores are
 *   `s̃ · e^{Σ log a_l − shift}` with `shift = 0` when `|log R| ≤ 60` (the plain formula), else `log R`
 *   (the MLP engine's convention; the ranking is unchanged). `includeBiases` adds `|b|` at every layer as
 *   in the reference code (then no rescaling: the plain formula).
 *
 * Complexity: SNIP one forward and backward pass per batch; GraSP ≈ 3×; SynFlow one pass on one sample.
 *
 * @example
 * const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
 * const scores = snipScores(net, batch);   // dispatches here
 */
import type { NetworkMask, ScoreMap } from '@graphon-pai/core';
import {
  type Batch,
  type ConvNet,
  convBackwardSweep,
  convBackwardTape,
  convForwardSweep,
  convForwardTape,
  convHvpTape,
  type LossName,
} from '@graphon-pai/nets';
import type { GraspVariant } from './grasp';
import type { SynflowResult } from './synflow';

const SAFE_EXPONENT = 60;

function denseMask(mask: NetworkMask | undefined, name: string): Uint8Array | null {
  return mask?.get(name)?.toDense() ?? null;
}

function scoreMap(net: ConvNet, scores: Float32Array[]): ScoreMap {
  return new Map(net.layers.map((l) => [l.weightName, { shape: l.shape, scores: scores[l.index] }]));
}

/** Mean over batches of the masked weight gradients `∂L/∂Ŵ ⊙ M` (one array per layer). */
function meanGradients(
  net: ConvNet,
  batches: readonly Batch[],
  options: { loss: LossName; mask?: NetworkMask; temperature?: number },
): Float32Array[] {
  const sum = net.layers.map((l) => new Float64Array(l.shape.rows * l.shape.cols));
  for (const batch of batches) {
    const tape = convForwardTape(net, batch, options);
    const g = convBackwardTape(tape);
    g.effective.forEach((e, l) => {
      const m = tape.masks[l];
      const s = sum[l];
      for (let q = 0; q < e.length; q++) s[q] += m ? e[q] * m[q] : e[q];
    });
  }
  return sum.map((s) => Float32Array.from(s, (v) => v / batches.length));
}

/** SNIP on a conv network (see the header). */
export function convSnipScores(
  net: ConvNet,
  batches: readonly Batch[],
  options: { loss: LossName; mask?: NetworkMask },
): ScoreMap {
  const grads = meanGradients(net, batches, options);
  return scoreMap(
    net,
    net.layers.map((l) => {
      const w = net.weight(l.index);
      const g = grads[l.index];
      const s = new Float32Array(w.length);
      for (let q = 0; q < w.length; q++) s[q] = Math.abs(w[q] * g[q]);
      return s;
    }),
  );
}

/** GraSP on a conv network (see the header); `batches` already class-balanced by the caller. */
export function convGraspScores(
  net: ConvNet,
  batches: readonly Batch[],
  options: { loss: LossName; mask?: NetworkMask; temperature: number; variant: GraspVariant },
): ScoreMap {
  const passOptions = { loss: options.loss, mask: options.mask, temperature: options.temperature };
  const g = meanGradients(net, batches, passOptions);
  const hg = net.layers.map((l) => new Float64Array(l.shape.rows * l.shape.cols));
  for (const batch of batches) {
    const tape = convForwardTape(net, batch, passOptions);
    const part = convHvpTape(tape, convBackwardTape(tape), { weights: g }).weights;
    part.forEach((p, l) => {
      for (let q = 0; q < p.length; q++) hg[l][q] += p[q];
    });
  }
  return scoreMap(
    net,
    net.layers.map((l) => {
      const w = net.weight(l.index);
      const m = denseMask(options.mask, l.weightName);
      const h = hg[l.index];
      const s = new Float32Array(w.length);
      for (let q = 0; q < w.length; q++) {
        const v = (m && m[q] === 0 ? 0 : w[q]) * (h[q] / batches.length);
        // +0 for pruned weights (a −0 product reads as +0).
        s[q] = options.variant === 'magnitude' ? Math.abs(v) : v + 0;
      }
      return s;
    }),
  );
}

/** SynFlow on a conv network (see the header). */
export function convSynflowDetailed(
  net: ConvNet,
  options: { mask?: NetworkMask; includeBiases?: boolean } = {},
): SynflowResult {
  const rescale = !options.includeBiases;
  const logScales: number[] = [];
  const weights = net.layers.map((l) => {
    const w = net.weight(l.index);
    const m = denseMask(options.mask, l.weightName);
    const a = new Float32Array(w.length);
    let max = 0;
    for (let q = 0; q < w.length; q++) {
      a[q] = m && m[q] === 0 ? 0 : Math.abs(w[q]);
      if (a[q] > max) max = a[q];
    }
    if (rescale && max > 0) for (let q = 0; q < a.length; q++) a[q] /= max;
    logScales.push(rescale ? Math.log(max) : 0);
    return a;
  });
  const biases = net.layers.map((l) => {
    const b = options.includeBiases ? net.bias(l.index) : null;
    return b ? b.map(Math.abs) : null;
  });
  const ones = new Float32Array(net.inputSize).fill(1);
  const sweep = convForwardSweep(net, ones, 1, weights, biases, { linearised: true });
  const output = sweep.activations[net.modules.length];
  let total = 0;
  for (const v of output) total += v;
  const logR = total > 0 ? Math.log(total) + logScales.reduce((s, v) => s + v, 0) : Number.NEGATIVE_INFINITY;
  const shift = Number.isFinite(logR) && Math.abs(logR) > SAFE_EXPONENT ? logR : 0;
  const factor =
    rescale && Number.isFinite(logR) ? Math.exp(logScales.reduce((s, v) => s + v, 0) - shift) : 1;
  const grads = convBackwardSweep(net, sweep, weights, 1, new Float32Array(output.length).fill(1), {
    linearised: true,
  });
  const scores = net.layers.map((l) => {
    const a = weights[l.index];
    const g = grads.effective[l.index];
    const s = new Float32Array(a.length);
    for (let q = 0; q < a.length; q++) s[q] = a[q] * g[q] * factor;
    return s;
  });
  return { scores: scoreMap(net, scores), logScale: shift, logR };
}
