import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { BitMatrix, Rng } from '@graphon-pai/core';
import { ConvNet } from '../../src/conv/conv-net';
import {
  convEvaluateLoss,
  convHessianVectorProduct,
  convLossGradients,
  convPredict,
} from '../../src/conv/conv-passes';
import { maxRelError } from '../reference';
import { randomBatch, useCpu } from '../helpers';
import { fdGradient, flatten, refLogits, refLoss, refParams, unflatten, type RefParams } from './reference';

beforeAll(useCpu);

const NETS = {
  relu: 'input 2x7x6 | conv(3,3,stride=2x1,padding=1) relu maxpool(2) flatten linear(4)',
  tanh: 'input 1x8x8 | features: conv(4,3) tanh avgpool(2) conv(3,2x3,padding=1x0,bias=false) tanh | classifier: linear(5) tanh linear(3)',
  overlap:
    'input 2x9x9 | body: conv(3,3,padding=1) relu maxpool(3,stride=2) conv(2,2,stride=2) relu | head: linear(3)',
};

function randomMask(net: ConvNet, density: number, seed: number): Map<string, BitMatrix> {
  const rng = new Rng(seed);
  const mask = new Map<string, BitMatrix>();
  for (const l of net.layers) {
    const m = new BitMatrix(l.shape.rows, l.shape.cols);
    for (let r = 0; r < l.shape.rows; r++)
      for (let c = 0; c < l.shape.cols; c++) if (rng.uniform() < density) m.set(r, c, true);
    mask.set(l.weightName, m);
  }
  return mask;
}

const maskArrays = (net: ConvNet, mask?: Map<string, BitMatrix>) =>
  net.layers.map((l) =>
    mask?.get(l.weightName) ? Float64Array.from(mask.get(l.weightName)!.toDense()) : null,
  );

/** tfjs first-order autograd of the same network (NHWC kernels, transposed around each spatial op). */
function tfGradients(
  net: ConvNet,
  x: Float32Array,
  labels: Int32Array,
  loss: 'cross-entropy' | 'mse',
  T: number,
  mask?: Map<string, BitMatrix>,
) {
  return tf.tidy(() => {
    const count = labels.length;
    const params = net.layers.flatMap((l) => {
      const shape = l.shape.tensorShape ?? [l.shape.rows, l.shape.cols];
      const w = tf.tensor(net.weight(l.index), shape as number[]);
      const b = net.bias(l.index);
      return b ? [w, tf.tensor1d(b)] : [w];
    });
    const masks = maskArrays(net, mask);
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), net.outputSize), 'float32');
    const f = (...ps: tf.Tensor[]) => {
      let at = 0;
      let h: tf.Tensor = tf.tensor(x, [count, ...net.spec.input]);
      for (const m of net.modules) {
        if (m.kind === 'conv' || m.kind === 'dense') {
          const layer = net.layers[m.layer];
          let w = ps[at++];
          if (masks[m.layer]) w = tf.mul(w, tf.tensor(Float32Array.from(masks[m.layer]!), w.shape));
          const b = layer.biasName ? ps[at++] : null;
          if (m.kind === 'conv') {
            const g = layer.geometry!;
            const nhwc = tf.pad(tf.transpose(h, [0, 2, 3, 1]), [
              [0, 0],
              [g.paddingHeight, g.paddingHeight],
              [g.paddingWidth, g.paddingWidth],
              [0, 0],
            ]) as tf.Tensor4D;
            let z: tf.Tensor = tf.conv2d(
              nhwc,
              tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D,
              [g.strideHeight, g.strideWidth],
              'valid',
            );
            if (b) z = tf.add(z, b);
            h = tf.transpose(z, [0, 3, 1, 2]);
          } else {
            let z = tf.matMul(
              tf.reshape(h, [count, -1]) as tf.Tensor2D,
              w as tf.Tensor2D,
              false,
              true,
            ) as tf.Tensor;
            if (b) z = tf.add(z, b);
            h = z;
          }
        } else if (m.kind === 'activation') h = m.activation === 'relu' ? tf.relu(h) : tf.tanh(h);
        else if (m.kind === 'pool') {
          const g = m.geometry;
          const nhwc = tf.transpose(h, [0, 2, 3, 1]) as tf.Tensor4D;
          const k: [number, number] = [g.kernelHeight, g.kernelWidth];
          const s: [number, number] = [g.strideHeight, g.strideWidth];
          h = tf.transpose(
            g.kind === 'max' ? tf.maxPool(nhwc, k, s, 'valid') : tf.avgPool(nhwc, k, s, 'valid'),
            [0, 3, 1, 2],
          );
        } else h = tf.reshape(h, [count, -1]);
      }
      const z = tf.reshape(h, [count, net.outputSize]);
      if (loss === 'mse') return tf.mean(tf.square(tf.sub(z, y))) as tf.Scalar;
      return tf.neg(tf.div(tf.sum(tf.mul(y, tf.logSoftmax(tf.div(z, T)))), count)) as tf.Scalar;
    };
    const grads = tf.grads(f)(params);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function refLossAt(
  net: ConvNet,
  like: RefParams,
  x: Float64Array,
  labels: Int32Array,
  loss: 'cross-entropy' | 'mse',
  T: number,
  mask?: Map<string, BitMatrix>,
) {
  const masks = maskArrays(net, mask);
  return (theta: Float64Array) =>
    refLoss(refLogits(net, unflatten(theta, like), x, labels.length, masks), labels, net.outputSize, loss, T);
}

/** Our gradients as one flat vector in the reference's order. */
function flatOurs(g: { weights: Float32Array[]; biases: (Float32Array | null)[] }): Float64Array {
  return flatten({
    w: g.weights.map((w) => Float64Array.from(w)),
    b: g.biases.map((b) => (b ? Float64Array.from(b) : null)),
  });
}

const cases = [
  { net: 'relu' as const, loss: 'cross-entropy' as const, T: 1 },
  { net: 'tanh' as const, loss: 'cross-entropy' as const, T: 3 },
  { net: 'tanh' as const, loss: 'mse' as const, T: 1 },
  { net: 'overlap' as const, loss: 'cross-entropy' as const, T: 1 },
];

describe.each(cases)('conv passes: $net / $loss / T=$T', ({ net: key, loss, T }) => {
  const net = ConvNet.create({ spec: NETS[key], seed: 3 });
  const batch = randomBatch(5, net.inputSize, net.outputSize, 17);
  const x = Float64Array.from(batch.inputs);
  const like = refParams(net);

  test('logits and loss equal the float64 direct-convolution reference', () => {
    const ref = refLogits(net, like, x, batch.count);
    expect(maxRelError(convPredict(net, batch), ref)).toBeLessThan(1e-5);
    const l = refLoss(ref, batch.labels!, net.outputSize, loss, T);
    expect(Math.abs(convEvaluateLoss(net, batch, { loss, temperature: T }) - l) / l).toBeLessThan(1e-5);
  });

  test('gradients equal tfjs autograd and float64 finite differences, with and without a mask', () => {
    for (const mask of [undefined, randomMask(net, 0.6, 9)]) {
      const g = convLossGradients(net, batch, { loss, temperature: T, mask });
      const ours = flatOurs(g);
      const fd = fdGradient(refLossAt(net, like, x, batch.labels!, loss, T, mask), flatten(like));
      // Finite differences give ∂L/∂W of the masked network; ours is zero where masked out, as is fd.
      expect(maxRelError(ours, fd)).toBeLessThan(1e-4);
      const auto = tfGradients(net, batch.inputs, batch.labels!, loss, T, mask);
      expect(maxRelError(ours, Float64Array.from(auto.flatMap((a) => [...a])))).toBeLessThan(1e-5);
      // ∂L/∂M = ∂L/∂Ŵ ⊙ W: at M = 1 (no mask) it is ∂L/∂W ⊙ W.
      if (!mask)
        g.masks.forEach((m, l) =>
          expect(
            maxRelError(
              m,
              g.weights[l].map((v, i) => v * net.weight(l)[i]),
            ),
          ).toBeLessThan(1e-6),
        );
    }
  });

  test('Hessian-vector products equal float64 finite differences of the reference gradient and are symmetric', () => {
    const rng = new Rng(23);
    const mask = randomMask(net, 0.7, 4);
    const direction = () => ({
      weights: net.layers.map((l) =>
        rng.normalArray(l.shape.rows * l.shape.cols, 0, 1, new Float32Array(l.shape.rows * l.shape.cols)),
      ),
      biases: net.layers.map((l) =>
        l.biasName ? rng.normalArray(l.shape.rows, 0, 1, new Float32Array(l.shape.rows)) : null,
      ),
    });
    const u = direction();
    const v = direction();
    for (const m of [undefined, mask]) {
      const hv = convHessianVectorProduct(net, batch, v, { loss, temperature: T, mask: m });
      const f = refLossAt(net, like, x, batch.labels!, loss, T, m);
      const theta = flatten(like);
      const dir = flatOurs(v);
      const eps = 1e-4;
      const plus = fdGradient(
        f,
        theta.map((t, i) => t + eps * dir[i]),
      );
      const minus = fdGradient(
        f,
        theta.map((t, i) => t - eps * dir[i]),
      );
      // The reference differentiates the masked network in W: masked-out coordinates have zero rows and columns.
      const ref = plus.map((p, i) => (p - minus[i]) / (2 * eps));
      expect(maxRelError(flatOurs(hv), ref)).toBeLessThan(2e-3);
      const hu = convHessianVectorProduct(net, batch, u, { loss, temperature: T, mask: m });
      const a = flatOurs(hu).reduce((s, h, i) => s + h * dir[i], 0);
      const du = flatOurs(u);
      const b = flatOurs(hv).reduce((s, h, i) => s + h * du[i], 0);
      expect(Math.abs(a - b) / Math.max(Math.abs(a), 1e-3)).toBeLessThan(1e-4);
    }
  });
});
