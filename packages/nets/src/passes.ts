/**
 * Exact forward, backward and Hessian-vector passes of an MLP, written explicitly with `tf.matMul`.
 *
 * Notation (layer `l = 0…L−1`, see `mlp.ts`): `Ŵ_l = W_l ⊙ M_l`, `z_l = s_l a_{l−1} Ŵ_lᵀ + β_l b_l`,
 * `a_l = σ(z_l)`, `a_{−1} = x`, output `z_{L−1}`.
 *
 * **Backward** (exact gradients): `δ_{L−1} = ∂L/∂z_{L−1}` (see `losses.ts`), then for each layer
 *
 *     ∂L/∂Ŵ_l = s_l δ_lᵀ a_{l−1}        ∂L/∂b_l = β_l 1ᵀ δ_l
 *     g_{l−1} = ∂L/∂a_{l−1} = s_l δ_l Ŵ_l,     δ_{l−1} = g_{l−1} ⊙ σ'(z_{l−1})
 *
 * and with respect to the raw weights and the mask: `∂L/∂W = ∂L/∂Ŵ ⊙ M`, `∂L/∂M = ∂L/∂Ŵ ⊙ W`.
 *
 * **Hessian-vector product** `H v` by Pearlmutter's R-operator (`R{·}` = derivative along `v = (V_l, v_b,l)`;
 * `R{Ŵ_l} = V_l ⊙ M_l`):
 *
 *     R{z_l} = s_l (R{a_{l−1}} Ŵ_lᵀ + a_{l−1} R{Ŵ_l}ᵀ) + β_l v_b,l,      R{a_l} = σ'(z_l) ⊙ R{z_l}
 *     R{δ_{L−1}} = R{∂L/∂z}(R{z_{L−1}})
 *     R{∂L/∂Ŵ_l} = s_l (R{δ_l}ᵀ a_{l−1} + δ_lᵀ R{a_{l−1}}),     R{∂L/∂b_l} = β_l 1ᵀ R{δ_l}
 *     R{g_{l−1}} = s_l (R{δ_l} Ŵ_l + δ_l R{Ŵ_l}),   R{δ_{l−1}} = R{g_{l−1}} ⊙ σ'(z_{l−1}) + g_{l−1} ⊙ σ''(z_{l−1}) ⊙ R{z_{l−1}}
 *
 * giving `(H v)_W = R{∂L/∂Ŵ} ⊙ M` and `(H v)_b = R{∂L/∂b}` exactly (no nested autodiff: tfjs's nested
 * gradients through softmax/tanh are missing or silently zero). Verified in the tests against
 * tfjs first-order autograd, a float64 reference and central finite differences.
 *
 * Complexity per batch of `m`: forward `Σ m·out·in` multiply-adds, backward 2×, HVP ≈ 4× (one matmul fewer
 * for the first layer, whose input direction is zero).
 *
 * @example
 * const g = lossGradients(net, batch, { loss: 'cross-entropy' });   // g.weights[l]: rows × cols
 * const hv = hessianVectorProduct(net, batch, { weights: g.weights });
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type NetworkMask } from '@graphon-pai/core';
import { activate, activationDerivative, activationSecondDerivative } from './activations';
import { type Batch, checkBatch } from './data/batch';
import {
  checkLoss,
  type LossName,
  type LossResult,
  lossAndOutputGradient,
  outputGradientDirectional,
  targetTensor,
} from './losses';
import type { Mlp } from './mlp';
import { tidy } from './tidy';
import { checkDirection } from './weighted-layers';

/**
 * What the passes read from a network: its layers and parameter tensors. An `Mlp` is one; a trainer's
 * mutable parameters ({@link MaskedTrainer}) are another.
 */
export type PassNetwork = Pick<
  Mlp,
  'layers' | 'inputSize' | 'outputSize' | 'weightTensor' | 'biasTensor' | 'checkMask'
>;

const mul = (a: tf.Tensor, b: tf.Tensor | number) => tf.mul(a, b) as tf.Tensor2D;
const add = (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b) as tf.Tensor2D;
const matMul = (a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false) =>
  tf.matMul(a, b, transposeA, transposeB) as tf.Tensor2D;

export interface PassOptions {
  /** Mask applied to the weights (layers missing from the map are dense). */
  mask?: NetworkMask;
  /** Loss (default `'cross-entropy'`). */
  loss?: LossName;
  /** Softmax temperature of the cross-entropy (default 1). */
  temperature?: number;
}

/** Everything a forward pass keeps for the backward and R passes (tensors live in the caller's tidy scope). */
export interface Tape {
  readonly net: PassNetwork;
  readonly loss: LossName;
  readonly temperature: number;
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  /** Dense 0/1 masks per layer, or null for a dense layer. */
  readonly masks: (tf.Tensor2D | null)[];
  /** Ŵ_l = W_l ⊙ M_l. */
  readonly weights: tf.Tensor2D[];
  readonly z: tf.Tensor2D[];
  /** a_l = σ(z_l) (equal to z for the output layer). */
  readonly a: tf.Tensor2D[];
  /** σ'(z_l) for hidden layers (null for the output). */
  readonly slopes: (tf.Tensor2D | null)[];
  readonly result: LossResult;
}

/** Tensors of one backward pass. */
export interface GradientTape {
  readonly loss: tf.Scalar;
  /** ∂L/∂Ŵ_l (gradient with respect to the effective, masked weight). */
  readonly effective: tf.Tensor2D[];
  readonly bias: (tf.Tensor1D | null)[];
  /** δ_l = ∂L/∂z_l. */
  readonly deltas: tf.Tensor2D[];
  /** g_l = ∂L/∂a_l for hidden layers l < L−1 (index l). */
  readonly activationGrads: tf.Tensor2D[];
}

export function resolvePassOptions(
  options: PassOptions = {},
): Required<Omit<PassOptions, 'mask'>> & { mask?: NetworkMask } {
  const loss = checkLoss(options.loss ?? 'cross-entropy', 'options.loss');
  const temperature = options.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new InvalidArgumentError('options.temperature', temperature, 'a finite positive number');
  }
  return { loss, temperature, mask: options.mask };
}

/** Validates a batch against a network's input width and output classes. */
export function checkBatchForNetwork(net: PassNetwork, batch: Batch, argument = 'batch'): Batch {
  checkBatch(batch, argument);
  if (batch.features !== net.inputSize) {
    throw new InvalidArgumentError(
      `${argument}.features`,
      batch.features,
      `the network's input width ${net.inputSize}`,
      {
        fix: 'flatten the inputs to the first layer width, or build the network with widths[0] = features',
      },
    );
  }
  return batch;
}

function maskTensor(net: PassNetwork, mask: NetworkMask | undefined, l: number): tf.Tensor2D | null {
  const layer = net.layers[l];
  const m = mask?.get(layer.weightName);
  if (!m) return null;
  const dense = m.toDense();
  const f = new Float32Array(dense.length);
  for (let i = 0; i < dense.length; i++) f[i] = dense[i];
  return tf.tensor2d(f, [layer.shape.rows, layer.shape.cols]);
}

function scaled<T extends tf.Tensor>(t: T, s: number): T {
  return s === 1 ? t : (mul(t, s) as T);
}

/** Forward pass that records what backward and R passes need. Call inside `tf.tidy`. */
export function forwardTape(net: PassNetwork, batch: Batch, options: PassOptions = {}): Tape {
  const opts = resolvePassOptions(options);
  checkBatchForNetwork(net, batch);
  if (opts.mask) net.checkMask(opts.mask, 'options.mask');
  return recordForward(net, batch, opts);
}

/**
 * {@link forwardTape} for a batch and mask the caller has already validated (a trainer checks its data set
 * once, not each of its thousands of batches). Call inside `tf.tidy`.
 */
export function forwardTapeUnchecked(net: PassNetwork, batch: Batch, options: PassOptions = {}): Tape {
  return recordForward(net, batch, resolvePassOptions(options));
}

function recordForward(net: PassNetwork, batch: Batch, opts: ReturnType<typeof resolvePassOptions>): Tape {
  const y = targetTensor(opts.loss, batch, net.outputSize);
  const x = tf.tensor2d(batch.inputs, [batch.count, batch.features]);
  const L = net.layers.length;
  const masks: (tf.Tensor2D | null)[] = [];
  const weights: tf.Tensor2D[] = [];
  const z: tf.Tensor2D[] = [];
  const a: tf.Tensor2D[] = [];
  const slopes: (tf.Tensor2D | null)[] = [];
  let input = x;
  for (let l = 0; l < L; l++) {
    const layer = net.layers[l];
    const m = maskTensor(net, opts.mask, l);
    masks.push(m);
    const w = m ? mul(net.weightTensor(l), m) : net.weightTensor(l);
    weights.push(w);
    let zl = scaled(matMul(input, w, false, true), layer.weightScale);
    const b = net.biasTensor(l);
    if (b) zl = add(zl, scaled(b, layer.biasScale));
    z.push(zl);
    if (l < L - 1) {
      const al = activate(tf, layer.activation, zl);
      a.push(al);
      slopes.push(activationDerivative(tf, layer.activation, zl, al));
      input = al;
    } else {
      a.push(zl);
      slopes.push(null);
    }
  }
  const result = lossAndOutputGradient(opts.loss, z[L - 1], y, opts.temperature);
  return { net, loss: opts.loss, temperature: opts.temperature, x, y, masks, weights, z, a, slopes, result };
}

/** Backward pass over a tape. Call inside `tf.tidy`. */
export function backwardTape(tape: Tape): GradientTape {
  const { net } = tape;
  const L = net.layers.length;
  const effective: tf.Tensor2D[] = new Array(L);
  const bias: (tf.Tensor1D | null)[] = new Array(L);
  const deltas: tf.Tensor2D[] = new Array(L);
  const activationGrads: tf.Tensor2D[] = new Array(Math.max(0, L - 1));
  let delta = tape.result.outputGradient;
  for (let l = L - 1; l >= 0; l--) {
    const layer = net.layers[l];
    deltas[l] = delta;
    const input = l === 0 ? tape.x : tape.a[l - 1];
    effective[l] = scaled(matMul(delta, input, true, false), layer.weightScale);
    bias[l] = layer.biasName ? scaled(tf.sum(delta, 0) as tf.Tensor1D, layer.biasScale) : null;
    if (l > 0) {
      const g = scaled(matMul(delta, tape.weights[l]), layer.weightScale);
      activationGrads[l - 1] = g;
      delta = mul(g, tape.slopes[l - 1]!);
    }
  }
  return { loss: tape.result.loss, effective, bias, deltas, activationGrads };
}

/** (H v) over a tape and its backward pass; `v` on the raw weights (and biases). Call inside `tf.tidy`. */
export function hvpTape(
  tape: Tape,
  grads: GradientTape,
  direction: { weights: readonly tf.Tensor2D[]; biases?: readonly (tf.Tensor1D | null)[] | null },
): { weights: tf.Tensor2D[]; biases: (tf.Tensor1D | null)[] } {
  const { net } = tape;
  const L = net.layers.length;
  const vHat = direction.weights.map((v, l) => (tape.masks[l] ? mul(v, tape.masks[l]!) : v));
  // R-forward.
  const rz: tf.Tensor2D[] = new Array(L);
  let rInput: tf.Tensor2D | null = null;
  for (let l = 0; l < L; l++) {
    const layer = net.layers[l];
    const input = l === 0 ? tape.x : tape.a[l - 1];
    let r = matMul(input, vHat[l], false, true);
    if (rInput) r = add(r, matMul(rInput, tape.weights[l], false, true));
    r = scaled(r, layer.weightScale);
    const vb = direction.biases?.[l];
    if (vb && layer.biasName) r = add(r, scaled(vb, layer.biasScale));
    rz[l] = r;
    rInput = l < L - 1 ? mul(tape.slopes[l]!, r) : null;
  }
  // R-backward.
  const outW: tf.Tensor2D[] = new Array(L);
  const outB: (tf.Tensor1D | null)[] = new Array(L);
  let rDelta = outputGradientDirectional(tape.loss, tape.result, rz[L - 1], tape.temperature);
  for (let l = L - 1; l >= 0; l--) {
    const layer = net.layers[l];
    const input = l === 0 ? tape.x : tape.a[l - 1];
    let rdw = matMul(rDelta, input, true, false);
    if (l > 0) rdw = add(rdw, matMul(grads.deltas[l], mul(tape.slopes[l - 1]!, rz[l - 1]), true, false));
    rdw = scaled(rdw, layer.weightScale);
    outW[l] = tape.masks[l] ? mul(rdw, tape.masks[l]!) : rdw;
    outB[l] = layer.biasName ? scaled(tf.sum(rDelta, 0) as tf.Tensor1D, layer.biasScale) : null;
    if (l > 0) {
      const rg = scaled(
        add(matMul(rDelta, tape.weights[l]), matMul(grads.deltas[l], vHat[l])),
        layer.weightScale,
      );
      let next = mul(rg, tape.slopes[l - 1]!);
      const curv = activationSecondDerivative(tf, net.layers[l - 1].activation, tape.a[l - 1]);
      if (curv) next = add(next, mul(mul(grads.activationGrads[l - 1], curv), rz[l - 1]));
      rDelta = next;
    }
  }
  return { weights: outW, biases: outB };
}

/** Network outputs (logits) for a batch, `count × outputs` row-major. */
export function predict(net: Mlp, batch: Batch, options: { mask?: NetworkMask } = {}): Float32Array {
  checkBatchForNetwork(net, batch);
  if (options.mask) net.checkMask(options.mask, 'options.mask');
  const out = tf.tidy(() => {
    let h = tf.tensor2d(batch.inputs, [batch.count, batch.features]);
    net.layers.forEach((layer, l) => {
      const m = maskTensor(net, options.mask, l);
      const w = m ? mul(net.weightTensor(l), m) : net.weightTensor(l);
      let z = scaled(matMul(h, w, false, true), layer.weightScale);
      const b = net.biasTensor(l);
      if (b) z = add(z, scaled(b, layer.biasScale));
      h = activate(tf, layer.activation, z);
    });
    return h;
  });
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/** The loss value on a batch. */
export function evaluateLoss(net: Mlp, batch: Batch, options: PassOptions = {}): number {
  const t = tf.tidy(() => forwardTape(net, batch, options).result.loss);
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

export interface Gradients {
  loss: number;
  /** ∂L/∂W_l, rows × cols row-major, per layer (zero where masked out). */
  weights: Float32Array[];
  /** ∂L/∂b_l per layer (null without bias). */
  biases: (Float32Array | null)[];
  /** ∂L/∂M_l = ∂L/∂Ŵ_l ⊙ W_l: the gradient with respect to a (relaxed) mask entry at its current value. */
  masks: Float32Array[];
}

/** Exact gradients of the loss with respect to weights, biases and masks. */
export function lossGradients(net: Mlp, batch: Batch, options: PassOptions = {}): Gradients {
  const tensors = tidy(() => {
    const tape = forwardTape(net, batch, options);
    const g = backwardTape(tape);
    return {
      loss: g.loss,
      weights: g.effective.map((e, l) => (tape.masks[l] ? mul(e, tape.masks[l]!) : e)),
      biases: g.bias,
      masks: g.effective.map((e, l) => mul(e, net.weightTensor(l))),
    };
  });
  const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
  const out: Gradients = {
    loss: read(tensors.loss)[0],
    weights: tensors.weights.map(read),
    biases: tensors.biases.map((b) => (b ? read(b) : null)),
    masks: tensors.masks.map(read),
  };
  tf.dispose([
    tensors.loss,
    ...tensors.weights,
    ...tensors.masks,
    ...tensors.biases.filter((b) => b !== null),
  ]);
  return out;
}

export interface ParameterDirection {
  /** One rows × cols array per layer. */
  weights: readonly Float32Array[];
  /** One array per layer with a bias (null/absent = 0). */
  biases?: readonly (Float32Array | null)[];
}

/** Exact Hessian-vector product `H v` of the loss with respect to (weights, biases). */
export function hessianVectorProduct(
  net: Mlp,
  batch: Batch,
  direction: ParameterDirection,
  options: PassOptions = {},
): { weights: Float32Array[]; biases: (Float32Array | null)[] } {
  checkDirection(net.layers, direction);
  const tensors = tidy(() => {
    const tape = forwardTape(net, batch, options);
    const g = backwardTape(tape);
    const vW = direction.weights.map((v, l) =>
      tf.tensor2d(v, [net.layers[l].shape.rows, net.layers[l].shape.cols]),
    );
    const vB = net.layers.map((_, l) => (direction.biases?.[l] ? tf.tensor1d(direction.biases[l]!) : null));
    return hvpTape(tape, g, { weights: vW, biases: vB });
  });
  const out = {
    weights: tensors.weights.map((t) => t.dataSync() as Float32Array),
    biases: tensors.biases.map((t) => (t ? (t.dataSync() as Float32Array) : null)),
  };
  tf.dispose([...tensors.weights, ...tensors.biases.filter((b) => b !== null)]);
  return out;
}
