/**
 * Exact forward, backward and Hessian-vector passes of a {@link ConvNet}, on host float32 arrays with every
 * product on the fast GEMM (`conv2d.ts` for convolutions, `gemm` for linear layers).
 *
 * Notation: modules `m = 0…M−1` map `h_{m−1}` to `h_m` (`h_{−1} = x`, logits `h_{M−1}`); a weighted module
 * computes `h_m = Ŵ ∗ h_{m−1} + b` with `Ŵ = W ⊙ M` (convolution `conv2d.ts`, or `h Ŵᵀ`), an activation
 * `h_m = σ(h_{m−1})`, pooling and flatten are linear maps `P_m` (max pooling with its argmax fixed).
 *
 * **Backward**: `g_{M−1} = ∂L/∂h_{M−1}` (`losses.ts`), then `g_{m−1} = J_mᵀ g_m` with `J_m` = the transposed
 * convolution (col2im of `Ŵᵀ G'`), `Ŵ`, `diag σ'(h_{m−1})` or `P_mᵀ`; `∂L/∂Ŵ = g_m ⋆ h_{m−1}` (im2col product),
 * `∂L/∂b = Σ g_m` over samples and positions; `∂L/∂W = ∂L/∂Ŵ ⊙ M`, `∂L/∂M = ∂L/∂Ŵ ⊙ W`.
 *
 * **Hessian-vector product** by Pearlmutter's R-operator along `v = (V_l, v_b,l)` (`V̂ = V ⊙ M`):
 *
 *     R{h_m} = Ŵ ∗ R{h_{m−1}} + V̂ ∗ h_{m−1} + v_b     (weighted),   σ'(h_{m−1}) ⊙ R{h_{m−1}}  (activation),
 *              P_m R{h_{m−1}}                          (pooling, flatten)
 *     R{g_{M−1}} = R{∂L/∂z}(R{h_{M−1}})
 *     R{∂L/∂Ŵ} = R{g_m} ⋆ h_{m−1} + g_m ⋆ R{h_{m−1}},      R{∂L/∂b} = Σ R{g_m}
 *     R{g_{m−1}} = J_mᵀ R{g_m} + (V̂-transposed-conv) g_m  (weighted),
 *                  σ'(h_{m−1}) ⊙ R{g_m} + σ''(h_{m−1}) ⊙ g_m ⊙ R{h_{m−1}}   (activation),   P_mᵀ R{g_m}
 *
 * giving `(H v)_W = R{∂L/∂Ŵ} ⊙ M`, `(H v)_b = R{∂L/∂b}` exactly (no nested autodiff). Max pooling is piecewise
 * linear, so the Hessian is exact away from ties. Verified in the tests against tfjs first-order autograd
 * (`tf.conv2d`, `tf.maxPool`), a float64 direct-convolution reference and central finite differences.
 *
 * Complexity per batch: forward ≈ `Σ_conv count·O·K·L + Σ_dense count·out·in`, backward 2×, HVP ≈ 4×.
 *
 * @example
 * const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
 * const g = convLossGradients(net, batch);                  // g.weights[l]: [out, in, kh, kw] row-major
 * const hv = convHessianVectorProduct(net, batch, { weights: g.weights });
 */

import { InvalidArgumentError, type NetworkMask } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, checkBatch } from '../data/batch';
import { type LossName, lossAndOutputGradient, outputGradientDirectional, targetTensor } from '../losses';
import { type Gradients, type ParameterDirection, type PassOptions, resolvePassOptions } from '../passes';
import { tidy } from '../tidy';
import { checkDirection } from '../weighted-layers';
import type { ConvNet, ConvNetLayer, ConvNetModule } from './conv-net';
import { conv2dBackward, conv2dForward, conv2dInputGradient, conv2dWeightGradient } from './conv2d';
import { pool2dApply, pool2dBackward, pool2dForward } from './pool2d';

// A module-local alias: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { tanh } = Math;

/** What the forward pass keeps for the backward and R passes. */
export interface ConvTape extends ConvSweep {
  readonly net: ConvNet;
  readonly loss: LossName;
  readonly temperature: number;
  readonly count: number;
  /** 0/1 masks per weighted layer (null = dense). */
  readonly masks: (Float32Array | null)[];
  /** Ŵ = W ⊙ M per weighted layer. */
  readonly weights: Float32Array[];
  readonly lossValue: number;
  /** ∂L/∂logits. */
  readonly outputGradient: Float32Array;
  /** Softmax probabilities (cross-entropy) for the R-operator. */
  readonly probabilities: Float32Array | null;
}

export interface ConvGradientTape {
  readonly loss: number;
  /** ∂L/∂Ŵ per weighted layer. */
  readonly effective: Float32Array[];
  readonly biases: (Float32Array | null)[];
  /** `g_m = ∂L/∂h_m` per module. */
  readonly moduleGradients: Float32Array[];
}

function checkConvBatch(net: ConvNet, batch: Batch): void {
  checkBatch(batch, 'batch');
  if (batch.features !== net.inputSize) {
    throw new InvalidArgumentError(
      'batch.features',
      batch.features,
      `the network's input size ${net.spec.input.join(' × ')} = ${net.inputSize}`,
      {
        fix: 'give images flattened in C × H × W order (PyTorch NCHW)',
      },
    );
  }
}

function maskArray(mask: NetworkMask | undefined, layer: ConvNetLayer): Float32Array | null {
  const m = mask?.get(layer.weightName);
  if (!m) return null;
  const dense = m.toDense();
  const out = new Float32Array(dense.length);
  for (let i = 0; i < dense.length; i++) out[i] = dense[i];
  return out;
}

function hadamard(a: Float32Array, b: Float32Array | null): Float32Array {
  if (!b) return a;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

/** Weighted layer applied without bias: `Ŵ ∗ x`; `accumulate` adds into `out`. */
function weightedForward(
  layer: ConvNetLayer,
  x: Float32Array,
  count: number,
  w: Float32Array,
  out?: Float32Array,
  accumulate = false,
): Float32Array {
  if (layer.geometry) return conv2dForward(x, count, w, layer.geometry, out, accumulate);
  const { rows, cols } = layer.shape;
  const z = out ?? new Float32Array(count * rows);
  gemm(false, true, count, rows, cols, 1, x, w, accumulate ? 1 : 0, z);
  return z;
}

function weightedWeightGradient(
  layer: ConvNetLayer,
  g: Float32Array,
  x: Float32Array,
  count: number,
  dw?: Float32Array,
  accumulate = false,
): Float32Array {
  if (layer.geometry) return conv2dWeightGradient(g, x, count, layer.geometry, dw, accumulate);
  const { rows, cols } = layer.shape;
  const out = dw ?? new Float32Array(rows * cols);
  gemm(true, false, rows, cols, count, 1, g, x, accumulate ? 1 : 0, out);
  return out;
}

function weightedInputGradient(
  layer: ConvNetLayer,
  g: Float32Array,
  w: Float32Array,
  count: number,
  dx?: Float32Array,
  accumulate = false,
): Float32Array {
  if (layer.geometry) return conv2dInputGradient(g, w, count, layer.geometry, dx, accumulate);
  const { rows, cols } = layer.shape;
  const out = dx ?? new Float32Array(count * cols);
  gemm(false, false, count, cols, rows, 1, g, w, accumulate ? 1 : 0, out);
  return out;
}

/** Both gradients of a weighted layer: `∂L/∂Ŵ` and, when `inputGradient`, `∂L/∂x` (one pass for a conv). */
function weightedBackward(
  layer: ConvNetLayer,
  g: Float32Array,
  x: Float32Array,
  w: Float32Array,
  count: number,
  inputGradient: boolean,
): { weight: Float32Array; input: Float32Array | null } {
  if (layer.geometry) return conv2dBackward(g, x, w, count, layer.geometry, { inputGradient });
  return {
    weight: weightedWeightGradient(layer, g, x, count),
    input: inputGradient ? weightedInputGradient(layer, g, w, count) : null,
  };
}

/** Positions per output channel: `Ho·Wo` for a convolution, 1 for a linear layer. */
const positions = (layer: ConvNetLayer) =>
  layer.geometry ? layer.geometry.outHeight * layer.geometry.outWidth : 1;

function addBias(layer: ConvNetLayer, z: Float32Array, b: Float32Array, count: number): void {
  const O = layer.shape.rows;
  const L = positions(layer);
  for (let n = 0; n < count; n++) {
    for (let o = 0; o < O; o++) {
      const v = b[o];
      const base = (n * O + o) * L;
      for (let t = 0; t < L; t++) z[base + t] += v;
    }
  }
}

function biasGradient(layer: ConvNetLayer, g: Float32Array, count: number): Float32Array {
  const O = layer.shape.rows;
  const L = positions(layer);
  const acc = new Float64Array(O);
  for (let n = 0; n < count; n++) {
    for (let o = 0; o < O; o++) {
      const base = (n * O + o) * L;
      let s = 0;
      for (let t = 0; t < L; t++) s += g[base + t];
      acc[o] += s;
    }
  }
  return Float32Array.from(acc);
}

function activationForward(a: 'relu' | 'tanh', x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  if (a === 'relu') {
    // max(v, 0) with NaN kept, without a per-element call (global lookups are slow in vm contexts).
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      // biome-ignore lint/suspicious/noSelfCompare: v !== v is the NaN test without a global lookup
      out[i] = v > 0 || v !== v ? v : 0;
    }
  } else for (let i = 0; i < x.length; i++) out[i] = tanh(x[i]);
  return out;
}

/** `s ⊙ σ'(x)` (+ `t ⊙ σ''(x) ⊙ u` when given: the R-operator's curvature term). */
function activationBackward(
  a: 'relu' | 'tanh',
  x: Float32Array,
  s: Float32Array,
  curvature?: { t: Float32Array; u: Float32Array },
): Float32Array {
  const out = new Float32Array(x.length);
  if (a === 'relu') {
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? s[i] : 0;
    return out;
  }
  for (let i = 0; i < x.length; i++) {
    const th = tanh(x[i]);
    const d1 = 1 - th * th;
    out[i] = s[i] * d1 + (curvature ? curvature.t[i] * -2 * th * d1 * curvature.u[i] : 0);
  }
  return out;
}

/** The linear map of a pooling / flatten module (forward direction). */
function linearModule(
  module: ConvNetModule,
  x: Float32Array,
  count: number,
  argmax: Int32Array | null,
): Float32Array {
  return module.kind === 'pool' ? pool2dApply(x, count, module.geometry, argmax) : x;
}

function linearModuleTranspose(
  module: ConvNetModule,
  g: Float32Array,
  count: number,
  argmax: Int32Array | null,
): Float32Array {
  return module.kind === 'pool' ? pool2dBackward(g, count, module.geometry, argmax) : g;
}

function hostLoss(loss: LossName, logits: Float32Array, batch: Batch, outputs: number, temperature: number) {
  return tidy(() => {
    const z = tf.tensor2d(logits, [batch.count, outputs]);
    const r = lossAndOutputGradient(loss, z, targetTensor(loss, batch, outputs), temperature);
    return {
      loss: r.loss.dataSync()[0],
      gradient: r.outputGradient.dataSync() as Float32Array,
      probabilities: r.probabilities ? (r.probabilities.dataSync() as Float32Array) : null,
    };
  });
}

/** The activations and max-pooling choices of one forward sweep. */
export interface ConvSweep {
  /** `h_{m−1}`, the input of module m (index M: the output). */
  readonly activations: Float32Array[];
  /** Max-pooling argmax per module (null elsewhere). */
  readonly argmax: (Int32Array | null)[];
}

export interface SweepOptions {
  /**
   * Replace every activation by the identity (the "linearised" network of SynFlow, whose activations are
   * identities on its non-negative values); pooling is kept.
   */
  linearised?: boolean;
}

/**
 * A forward sweep with explicit effective weights `Ŵ` and biases (null = none), e.g. SynFlow's `|Ŵ|` on an
 * all-ones input. `inputs` is `count × inputSize` (NCHW per sample).
 */
export function convForwardSweep(
  net: ConvNet,
  inputs: Float32Array,
  count: number,
  weights: readonly Float32Array[],
  biases: readonly (Float32Array | null)[],
  options: SweepOptions = {},
): ConvSweep {
  const activations: Float32Array[] = [inputs];
  const argmax: (Int32Array | null)[] = [];
  let h = inputs;
  for (const m of net.modules) {
    let next: Float32Array;
    let am: Int32Array | null = null;
    if (m.kind === 'conv' || m.kind === 'dense') {
      const layer = net.layers[m.layer];
      next = weightedForward(layer, h, count, weights[m.layer]);
      const b = biases[m.layer];
      if (b) addBias(layer, next, b, count);
    } else if (m.kind === 'activation') next = options.linearised ? h : activationForward(m.activation, h);
    else if (m.kind === 'pool') {
      const r = pool2dForward(h, count, m.geometry);
      next = r.output;
      am = r.argmax;
    } else next = h;
    argmax.push(am);
    activations.push(next);
    h = next;
  }
  return { activations, argmax };
}

/**
 * The backward sweep from `∂/∂output` over a forward sweep with the same weights: weight gradients (with
 * respect to `Ŵ`), bias gradients and the gradient at every module's output.
 */
export function convBackwardSweep(
  net: ConvNet,
  sweep: ConvSweep,
  weights: readonly Float32Array[],
  count: number,
  outputGradient: Float32Array,
  options: SweepOptions = {},
): Omit<ConvGradientTape, 'loss'> {
  const M = net.modules.length;
  const effective: Float32Array[] = new Array(net.layers.length);
  const biases: (Float32Array | null)[] = new Array(net.layers.length);
  const moduleGradients: Float32Array[] = new Array(M);
  let g = outputGradient;
  for (let m = M - 1; m >= 0; m--) {
    const module = net.modules[m];
    moduleGradients[m] = g;
    const input = sweep.activations[m];
    if (module.kind === 'conv' || module.kind === 'dense') {
      const layer = net.layers[module.layer];
      const back = weightedBackward(layer, g, input, weights[module.layer], count, m > 0);
      effective[module.layer] = back.weight;
      biases[module.layer] = layer.biasName ? biasGradient(layer, g, count) : null;
      if (back.input) g = back.input;
    } else if (module.kind === 'activation') {
      if (!options.linearised) g = activationBackward(module.activation, input, g);
    } else g = linearModuleTranspose(module, g, count, sweep.argmax[m]);
  }
  return { effective, biases, moduleGradients };
}

/** Forward pass that records what the backward and R passes need. */
export function convForwardTape(net: ConvNet, batch: Batch, options: PassOptions = {}): ConvTape {
  const opts = resolvePassOptions(options);
  checkConvBatch(net, batch);
  if (opts.mask) net.checkMask(opts.mask, 'options.mask');
  const count = batch.count;
  const masks = net.layers.map((l) => maskArray(opts.mask, l));
  const weights = net.layers.map((l, i) => hadamard(net.weight(l.index), masks[i]));
  const sweep = convForwardSweep(
    net,
    batch.inputs,
    count,
    weights,
    net.layers.map((l) => net.bias(l.index)),
  );
  const r = hostLoss(
    opts.loss,
    sweep.activations[net.modules.length],
    batch,
    net.outputSize,
    opts.temperature,
  );
  return {
    net,
    loss: opts.loss,
    temperature: opts.temperature,
    count,
    masks,
    weights,
    ...sweep,
    lossValue: r.loss,
    outputGradient: r.gradient,
    probabilities: r.probabilities,
  };
}

/** Backward pass over a tape. */
export function convBackwardTape(tape: ConvTape): ConvGradientTape {
  return {
    loss: tape.lossValue,
    ...convBackwardSweep(tape.net, tape, tape.weights, tape.count, tape.outputGradient),
  };
}

/** `H v` over a tape and its backward pass; `v` on the raw weights (and biases). */
export function convHvpTape(
  tape: ConvTape,
  grads: ConvGradientTape,
  direction: { weights: readonly Float32Array[]; biases?: readonly (Float32Array | null)[] | null },
): { weights: Float32Array[]; biases: (Float32Array | null)[] } {
  const { net, count } = tape;
  const M = net.modules.length;
  const vHat = direction.weights.map((v, l) => hadamard(v, tape.masks[l]));
  // R-forward: rh[m] = R{h_{m−1}} (null = 0).
  const rh: (Float32Array | null)[] = [null];
  for (let m = 0; m < M; m++) {
    const module = net.modules[m];
    const rin = rh[m];
    const input = tape.activations[m];
    let r: Float32Array | null;
    if (module.kind === 'conv' || module.kind === 'dense') {
      const layer = net.layers[module.layer];
      r = weightedForward(layer, input, count, vHat[module.layer]);
      if (rin) weightedForward(layer, rin, count, tape.weights[module.layer], r, true);
      const vb = direction.biases?.[module.layer];
      if (vb && layer.biasName) addBias(layer, r, vb, count);
    } else if (!rin) r = null;
    else if (module.kind === 'activation') r = activationBackward(module.activation, input, rin);
    else r = linearModule(module, rin, count, tape.argmax[m]);
    rh.push(r);
  }
  const rOut = rh[M] ?? new Float32Array(tape.outputGradient.length);
  // R-backward.
  const outW: Float32Array[] = new Array(net.layers.length);
  const outB: (Float32Array | null)[] = new Array(net.layers.length);
  let rg = outputDirectional(tape, rOut);
  for (let m = M - 1; m >= 0; m--) {
    const module = net.modules[m];
    const input = tape.activations[m];
    const rin = rh[m];
    const g = grads.moduleGradients[m];
    if (module.kind === 'conv' || module.kind === 'dense') {
      const l = module.layer;
      const layer = net.layers[l];
      const rdw = weightedWeightGradient(layer, rg, input, count);
      if (rin) weightedWeightGradient(layer, g, rin, count, rdw, true);
      outW[l] = hadamard(rdw, tape.masks[l]);
      outB[l] = layer.biasName ? biasGradient(layer, rg, count) : null;
      if (m > 0) {
        const next = weightedInputGradient(layer, rg, tape.weights[l], count);
        rg = weightedInputGradient(layer, g, vHat[l], count, next, true);
      }
    } else if (module.kind === 'activation') {
      rg = activationBackward(module.activation, input, rg, rin ? { t: g, u: rin } : undefined);
    } else rg = linearModuleTranspose(module, rg, count, tape.argmax[m]);
  }
  return { weights: outW, biases: outB };
}

function outputDirectional(tape: ConvTape, zDot: Float32Array): Float32Array {
  const outputs = tape.net.outputSize;
  return tidy(() => {
    const shape: [number, number] = [tape.count, outputs];
    const result = {
      loss: tf.scalar(tape.lossValue),
      outputGradient: tf.tensor2d(tape.outputGradient, shape),
      probabilities: tape.probabilities ? tf.tensor2d(tape.probabilities, shape) : null,
    };
    return outputGradientDirectional(
      tape.loss,
      result,
      tf.tensor2d(zDot, shape),
      tape.temperature,
    ).dataSync() as Float32Array;
  });
}

/** Exact gradients of the loss with respect to weights, biases and masks (`[out, in, kh, kw]` row-major). */
export function convLossGradients(net: ConvNet, batch: Batch, options: PassOptions = {}): Gradients {
  const tape = convForwardTape(net, batch, options);
  const g = convBackwardTape(tape);
  return {
    loss: g.loss,
    weights: g.effective.map((e, l) => hadamard(e, tape.masks[l])),
    biases: g.biases,
    masks: g.effective.map((e, l) => hadamard(e, net.weight(l))),
  };
}

/** Exact Hessian-vector product `H v` with respect to (weights, biases). */
export function convHessianVectorProduct(
  net: ConvNet,
  batch: Batch,
  direction: ParameterDirection,
  options: PassOptions = {},
): { weights: Float32Array[]; biases: (Float32Array | null)[] } {
  checkDirection(net.layers, direction);
  const tape = convForwardTape(net, batch, options);
  return convHvpTape(tape, convBackwardTape(tape), { weights: direction.weights, biases: direction.biases });
}

/** Network outputs (logits), `count × outputs` row-major. */
export function convPredict(net: ConvNet, batch: Batch, options: { mask?: NetworkMask } = {}): Float32Array {
  checkConvBatch(net, batch);
  if (options.mask) net.checkMask(options.mask, 'options.mask');
  let h = batch.inputs;
  for (const m of net.modules) {
    if (m.kind === 'conv' || m.kind === 'dense') {
      const layer = net.layers[m.layer];
      const z = weightedForward(
        layer,
        h,
        batch.count,
        hadamard(net.weight(m.layer), maskArray(options.mask, layer)),
      );
      const b = net.bias(m.layer);
      if (b) addBias(layer, z, b, batch.count);
      h = z;
    } else if (m.kind === 'activation') h = activationForward(m.activation, h);
    else if (m.kind === 'pool') h = pool2dForward(h, batch.count, m.geometry).output;
  }
  return h;
}

/** The loss value on a batch. */
export function convEvaluateLoss(net: ConvNet, batch: Batch, options: PassOptions = {}): number {
  return convForwardTape(net, batch, options).lossValue;
}
