/**
 * A criterion's own score mechanism for the first layer of a one-hidden-layer ReLU network
 * `f(x) = s_2 A σ(s_1 W x)` (`W: n × d`, readout `A: K × n`, zero biases), applied to *any* neurons: a
 * neuron is its first-layer row `w_j ∈ R^d` and its readout column `a_j ∈ R^K`. Data-driven criteria see the
 * rest of the network only through a **global signal** read once from the actual network on its scoring data
 * (`X: B × d`), so neurons that are not in the network (fresh draws for a plug-in limit, `plugin-limit.ts`)
 * are scored exactly as the network's own neurons would be:
 *
 *     z_bj = s_1 w_j·x_b,   h_bj = σ(z_bj),   σ'_bj = 1{z_bj > 0}
 *     random           s_ji = 1 − u_ji                 (u i.i.d. uniform)
 *     magnitude        s_ji = |w_ji|
 *     synflow          s_ji = |w_ji| · s_1 s_2 Σ_k |a_kj|                       (single shot; global factor dropped)
 *     snip             s_ji = |w_ji · s_1 Σ_b c_bj x_bi|,  c_bj = σ'_bj · s_2 r_b·a_j
 *     grasp            s_ji =  w_ji · s_1 Σ_b c_bj x_bi,   c_bj = σ'_bj · s_2 (u_b·a_j + r_b·γ_j)
 *     grasp-magnitude  the absolute value of grasp's,     γ_j = ∂L/∂a_j = s_2 Σ_b r_b h_bj
 *
 * Signal: `r_b = ∂L/∂f(x_b)` (the loss's output gradient, with the batch mean and, for GraSP, the temperature
 * `T`: `L_T`); for GraSP also `u_b = R{r_b}` along the gradient direction, i.e. `∂²L/∂f² · q_b` with
 * `q_b = R{f(x_b)} = s_2 (σ'(z_b) ⊙ s_1 (∂L/∂W) x_b)·A + s_2 (∂L/∂A) σ(z_b)` (Pearlmutter's R-operator, as
 * `@graphon-pai/nets`'s `hvpTape`; σ'' = 0 for ReLU). For the network's own neurons these formulas are the
 * criteria's scores (`snipScores`, `graspScores`, `synflowScores` up to a global factor); a fresh neuron's
 * own contribution to `r` and `q` is O(1/n) and is not included. Several SNIP batches: the signal of each
 * batch divided by the batch count (SNIP averages gradients); GraSP: the class-balanced batch of
 * `samplesPerClass` (option, default 10) examples per class, one batch.
 *
 * Complexity per chunk of `C` neurons: two `B × d × C` products (three with GraSP's `γ`, which is `B·K·C`).
 *
 * @example
 * const scorer = neuronScorer('snip', { network, data: batch, rng: new Rng(0) });
 * scorer.score(w, a, count, rng, out);   // out: count × d scores
 */

import { InvalidArgumentError, type Rng, UnsupportedError } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import {
  type Batch,
  backwardTape,
  ConvNet,
  forwardTape,
  type Mlp,
  outputGradientDirectional,
  tidy,
} from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import { type CriterionContext, checkContext, contextBatches, contextLoss } from './context';
import { readGraspOptions, readSnipOptions } from './criterion-options';
import { FSM_CRITERIA, type FsmCriterion } from './fsm';
import { classBalancedBatch } from './grasp';

/** The criteria whose score mechanism can score fresh neurons: the same six that have an FSM view. */
export type PluginCriterion = FsmCriterion;

export const PLUGIN_CRITERIA: readonly PluginCriterion[] = FSM_CRITERIA;

/** Scores neurons of a one-hidden-layer network with a criterion's own mechanism. */
export interface NeuronScorer {
  readonly criterion: PluginCriterion;
  /** Input width d. */
  readonly inputs: number;
  /** Readout width K. */
  readonly outputs: number;
  /**
   * Scores `count` neurons: `w` is `count × d` (rows), `a` is `count × K` (each neuron's readout column as a
   * row), `rng` supplies the random criterion's uniforms; writes `count × d` scores into `out`.
   */
  score(w: Float32Array, a: Float32Array, count: number, rng: Rng, out: Float32Array): void;
}

/** The network-wide signal a data-driven criterion sees (row-major `B × d` inputs, `B × K` signals). */
interface Signal {
  x: Float32Array;
  count: number;
  r: Float32Array;
  u: Float32Array | null;
}

/**
 * The error for a conv network: fresh neurons are first-layer rows with readout columns of a one-hidden-layer
 * Mlp. (A conv layer's analogue, fresh output channels with their slice of the next layer, is not modelled.)
 */
export function convNetworkUnsupported(network: ConvNet, what: string): InvalidArgumentError {
  const first = network.layers[0];
  return new InvalidArgumentError(
    'network',
    `a ConvNet (first layer ${first.weightName})`,
    `an Mlp with one hidden ReLU layer: ${what} draws fresh hidden neurons (a first-layer row and its readout column); the fresh output channels of a conv layer such as ${first.weightName} (${first.shape.rows} out-channels × ${first.shape.cols} in-channel·kh·kw taps) are not supported`,
    {
      fix: `for a conv layer use fsmFactors(criterion, ctx, { layer: '${first.weightName}' }) (FSM factors), or compare its mask with a wider network's mask of the same criterion`,
    },
  );
}

function checkNetwork(net: Mlp, criterion: string): void {
  if (net instanceof ConvNet) throw convNetworkUnsupported(net, `the ${criterion} neuron scorer`);
  const fix =
    'score a 784 → n → K style network: widths [inputs, hidden, outputs], relu, zero biases, no mask';
  if (net.layers.length !== 2) {
    throw new UnsupportedError(
      `the ${criterion} neuron scorer is defined for one-hidden-layer networks; got ${net.layers.length} layers`,
      { fix },
    );
  }
  if (net.layers[0].activation !== 'relu') {
    throw new UnsupportedError(
      `the ${criterion} neuron scorer needs a ReLU hidden layer; got ${net.layers[0].activation}`,
      {
        fix,
      },
    );
  }
  const b = net.bias(0);
  if (b?.some((v) => v !== 0)) {
    throw new UnsupportedError(
      `the ${criterion} neuron scorer models zero first-layer biases; the network's are not zero`,
      {
        fix,
      },
    );
  }
}

/** Concatenated inputs and signals of several batches, each signal divided by the batch count. */
function concatSignals(parts: readonly { batch: Batch; r: Float32Array; u: Float32Array | null }[]): Signal {
  const d = parts[0].batch.features;
  const K = parts[0].r.length / parts[0].batch.count;
  const count = parts.reduce((s, p) => s + p.batch.count, 0);
  const x = new Float32Array(count * d);
  const r = new Float32Array(count * K);
  const u = parts[0].u ? new Float32Array(count * K) : null;
  let row = 0;
  for (const p of parts) {
    x.set(p.batch.inputs.subarray(0, p.batch.count * d), row * d);
    for (let q = 0; q < p.r.length; q++) r[row * K + q] = p.r[q] / parts.length;
    if (u && p.u) for (let q = 0; q < p.u.length; q++) u[row * K + q] = p.u[q] / parts.length;
    row += p.batch.count;
  }
  return { x, count, r, u };
}

/** r = ∂L/∂f and (GraSP) u = R{r} along the weight gradient, from the actual network. */
function readSignal(
  net: Mlp,
  batch: Batch,
  loss: 'cross-entropy' | 'mse',
  temperature: number,
  withU: boolean,
) {
  return tidy(() => {
    const tape = forwardTape(net, batch, { loss, temperature });
    const r = tape.result.outputGradient;
    if (!withU) return { r: r.dataSync() as Float32Array, u: null };
    const grads = backwardTape(tape);
    const [first, second] = net.layers;
    // q = R{f}: s_2 (σ'(z) ⊙ s_1 x G_0ᵀ) A ᵀ + s_2 σ(z) G_1ᵀ, the direction being the weight gradient.
    const rz = tf.mul(tf.matMul(tape.x, grads.effective[0], false, true), first.weightScale);
    const ra = tf.mul(tape.slopes[0]!, rz);
    const q = tf.mul(
      tf.add(
        tf.matMul(ra, tape.weights[1], false, true),
        tf.matMul(tape.a[0], grads.effective[1], false, true),
      ),
      second.weightScale,
    ) as tf.Tensor2D;
    const u = outputGradientDirectional(loss, tape.result, q, temperature);
    return { r: r.dataSync() as Float32Array, u: u.dataSync() as Float32Array };
  });
}

/** The scorer of `criterion` for the first layer of `ctx.network` (one hidden ReLU layer, no mask). */
export function neuronScorer(criterion: PluginCriterion, ctx: CriterionContext): NeuronScorer {
  if (!(PLUGIN_CRITERIA as readonly string[]).includes(criterion)) {
    throw new InvalidArgumentError('criterion', criterion, `one of ${PLUGIN_CRITERIA.join(', ')}`, {
      fix: 'criteria without a neuron scorer take the wide-mask fallback of pluginLimit',
    });
  }
  const net = checkContext(ctx, criterion);
  checkNetwork(net, criterion);
  if (ctx.mask && ctx.mask.size > 0) {
    throw new UnsupportedError(
      `the ${criterion} neuron scorer scores the dense network at initialisation; a mask was given`,
      {
        fix: 'score without a current mask (one-shot pruning at initialisation)',
      },
    );
  }
  const [first, second] = net.layers;
  const d = first.shape.cols;
  const K = second.shape.rows;
  const s1 = first.weightScale;
  const s2 = second.weightScale;
  const base = { criterion, inputs: d, outputs: K };
  if (criterion === 'random') {
    return {
      ...base,
      score(_w, _a, count, rng, out) {
        for (let q = 0; q < count * d; q++) out[q] = 1 - rng.uniform();
      },
    };
  }
  if (criterion === 'magnitude' || criterion === 'synflow') {
    const synflow = criterion === 'synflow';
    return {
      ...base,
      score(w, a, count, _rng, out) {
        for (let j = 0; j < count; j++) {
          let f = 1;
          if (synflow) {
            f = 0;
            for (let k = 0; k < K; k++) f += Math.abs(a[j * K + k]);
            f *= s1 * s2;
          }
          for (let i = 0; i < d; i++) out[j * d + i] = Math.abs(w[j * d + i]) * f;
        }
      },
    };
  }
  const loss = contextLoss(ctx);
  const grasp = criterion !== 'snip';
  let signal: Signal;
  let magnitude = criterion !== 'grasp';
  if (grasp) {
    const opts = readGraspOptions(ctx, criterion);
    magnitude = opts.variant === 'magnitude';
    const all = contextBatches(ctx, criterion);
    if (opts.samplesPerClass === 0 && all.length > 1) {
      throw new UnsupportedError('the GraSP neuron scorer takes one batch when samplesPerClass is 0', {
        fix: 'concatenate the batches, or keep the default class-balanced sample',
      });
    }
    const batch = opts.samplesPerClass > 0 ? classBalancedBatch(all, opts.samplesPerClass, K) : all[0];
    const temperature = loss === 'cross-entropy' ? opts.temperature : 1;
    signal = concatSignals([{ batch, ...readSignal(net, batch, loss, temperature, true) }]);
  } else {
    readSnipOptions(ctx, criterion);
    signal = concatSignals(
      contextBatches(ctx, criterion).map((batch) => ({ batch, ...readSignal(net, batch, loss, 1, false) })),
    );
  }
  const B = signal.count;
  let z = new Float32Array(0);
  let c = new Float32Array(0);
  let gamma = new Float32Array(0);
  return {
    ...base,
    score(w, a, count, _rng, out) {
      if (z.length < B * count) {
        z = new Float32Array(B * count);
        c = new Float32Array(B * count);
        gamma = new Float32Array(count * K);
      }
      const zc = z.subarray(0, B * count);
      const cc = c.subarray(0, B * count);
      const ac = a.subarray(0, count * K);
      gemm(false, true, B, count, d, s1, signal.x, w.subarray(0, count * d), 0, zc);
      if (grasp) {
        // c = s_2 (u aᵀ + r γᵀ) with γ = s_2 σ(z)ᵀ r.
        const gc = gamma.subarray(0, count * K);
        for (let q = 0; q < zc.length; q++) if (zc[q] < 0) zc[q] = 0;
        gemm(true, false, count, K, B, s2, zc, signal.r, 0, gc);
        gemm(false, true, B, count, K, s2, signal.u!, ac, 0, cc);
        gemm(false, true, B, count, K, s2, signal.r, gc, 1, cc);
      } else {
        // c = s_2 r aᵀ.
        gemm(false, true, B, count, K, s2, signal.r, ac, 0, cc);
      }
      for (let q = 0; q < cc.length; q++) if (!(zc[q] > 0)) cc[q] = 0;
      const g = out.subarray(0, count * d);
      gemm(true, false, count, d, B, s1, cc, signal.x, 0, g);
      for (let q = 0; q < g.length; q++) {
        const s = w[q] * g[q] + 0;
        g[q] = magnitude ? Math.abs(s) : s;
      }
    },
  };
}
