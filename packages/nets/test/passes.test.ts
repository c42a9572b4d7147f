import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Rng } from '@graphon-pai/core';
import { evaluateLoss, hessianVectorProduct, lossGradients, predict } from '../src/passes';
import { randomBatch, randomMask, smallNet, toRef, useCpu } from './helpers';
import { fdHvp, maxRelError, refForward, refGradient, refLoss } from './reference';

beforeAll(useCpu);

const cases = [
  {
    name: 'tanh / cross-entropy',
    net: { activation: 'tanh' as const },
    loss: 'cross-entropy' as const,
    T: 1,
  },
  {
    name: 'relu / cross-entropy / T=5',
    net: { activation: 'relu' as const },
    loss: 'cross-entropy' as const,
    T: 5,
  },
  { name: 'tanh / mse', net: { activation: 'tanh' as const }, loss: 'mse' as const, T: 1 },
  {
    name: 'linear / mse / no bias',
    net: { activation: 'linear' as const, bias: false },
    loss: 'mse' as const,
    T: 1,
  },
  {
    name: 'relu / ntk / cross-entropy',
    net: { activation: 'relu' as const, parametrization: 'ntk' as const },
    loss: 'cross-entropy' as const,
    T: 1,
  },
];

describe.each(cases)('exact passes: $name', ({ net: netOptions, loss, T }) => {
  const batch = randomBatch(9, 7, 4, 11);

  test('forward and loss equal the float64 reference', () => {
    const net = smallNet(netOptions);
    const ref = toRef(net, batch, loss, T);
    const { zs } = refForward(ref);
    expect(maxRelError(predict(net, batch), zs[zs.length - 1])).toBeLessThan(1e-5);
    expect(
      Math.abs(evaluateLoss(net, batch, { loss, temperature: T }) - refLoss(ref)) / refLoss(ref),
    ).toBeLessThan(1e-5);
    net.dispose();
  });

  test('gradients equal the float64 reference, with and without a mask', () => {
    const net = smallNet(netOptions);
    for (const mask of [undefined, randomMask(net, 0.6, 5)]) {
      const g = lossGradients(net, batch, { loss, temperature: T, mask });
      const ref = refGradient(toRef(net, batch, loss, T, mask));
      for (const [l, w] of g.weights.entries()) expect(maxRelError(w, ref.w[l])).toBeLessThan(1e-4);
      for (const [l, b] of g.biases.entries()) {
        if (b) expect(maxRelError(b, ref.b[l]!)).toBeLessThan(1e-4);
        else expect(ref.b[l]).toBeNull();
      }
      // ∂L/∂M = ∂L/∂Ŵ ⊙ W; where the mask keeps a weight ∂L/∂Ŵ = ∂L/∂W.
      g.masks.forEach((gm, l) => {
        const w = net.weight(l);
        const m = mask?.get(net.layers[l].weightName);
        for (let q = 0; q < gm.length; q++) {
          if (!m || m.get(Math.floor(q / net.layers[l].shape.cols), q % net.layers[l].shape.cols)) {
            expect(gm[q]).toBeCloseTo(g.weights[l][q] * w[q], 6);
          }
        }
      });
    }
    net.dispose();
  });

  test('float64 reference gradient equals central finite differences of the loss', () => {
    const net = smallNet(netOptions);
    const ref = toRef(net, batch, loss, T);
    const g = refGradient(ref);
    const rng = new Rng(2);
    for (let probe = 0; probe < 6; probe++) {
      const l = rng.int(ref.layers.length);
      const q = rng.int(ref.layers[l].w.length);
      const h = 1e-6;
      const save = ref.layers[l].w[q];
      ref.layers[l].w[q] = save + h;
      const up = refLoss(ref);
      ref.layers[l].w[q] = save - h;
      const down = refLoss(ref);
      ref.layers[l].w[q] = save;
      expect(Math.abs((up - down) / (2 * h) - g.w[l][q])).toBeLessThan(1e-7 + 1e-5 * Math.abs(g.w[l][q]));
    }
    net.dispose();
  });

  test('Hessian-vector product equals central differences of the exact gradient, with O(ε²) error', () => {
    const net = smallNet(netOptions);
    const mask = randomMask(net, 0.7, 9);
    const rng = new Rng(4);
    const vw = net.layers.map((l) =>
      rng.normalArray(l.shape.rows * l.shape.cols, 0, 1, new Float32Array(l.shape.rows * l.shape.cols)),
    );
    const vb = net.layers.map((l) =>
      l.biasName ? rng.normalArray(l.shape.rows, 0, 1, new Float32Array(l.shape.rows)) : null,
    );
    for (const m of [undefined, mask]) {
      const hv = hessianVectorProduct(
        net,
        batch,
        { weights: vw, biases: vb },
        { loss, temperature: T, mask: m },
      );
      const ref = toRef(net, batch, loss, T, m);
      const fd = fdHvp(ref, vw, vb, 1e-4);
      const flat = (ws: ArrayLike<number>[], bs: (ArrayLike<number> | null)[]) => [
        ...ws.flatMap((w) => Array.from(w)),
        ...bs.flatMap((b) => (b ? Array.from(b) : [])),
      ];
      const ours = flat(hv.weights, hv.biases);
      expect(maxRelError(ours, flat(fd.w, fd.b))).toBeLessThan(2e-4);
      if (activationIsSmooth(netOptions.activation)) {
        // Truncation error of the central difference is O(ε²): halving ε divides it by ≈ 4.
        const e1 = maxRelError(flat(fdHvp(ref, vw, vb, 0.04).w, fdHvp(ref, vw, vb, 0.04).b), ours);
        const e2 = maxRelError(flat(fdHvp(ref, vw, vb, 0.02).w, fdHvp(ref, vw, vb, 0.02).b), ours);
        expect(e1).toBeGreaterThan(1e-4);
        expect(e1 / e2).toBeGreaterThan(3);
        expect(e1 / e2).toBeLessThan(5.3);
      }
    }
    net.dispose();
  });
});

function activationIsSmooth(a: string | undefined): boolean {
  return a === 'tanh';
}

test('gradients equal tfjs first-order autograd', () => {
  const net = smallNet({ activation: 'relu' });
  const batch = randomBatch(8, 7, 4, 1);
  const ours = lossGradients(net, batch);
  const x = tf.tensor2d(batch.inputs, [8, 7]);
  const y = tf.oneHot(tf.tensor1d(batch.labels!, 'int32'), 4);
  const params = net.layers.flatMap((l) => [net.weightTensor(l.index), net.biasTensor(l.index)!]);
  const f = (...ps: tf.Tensor[]) => {
    let h: tf.Tensor = x;
    net.layers.forEach((_, i) => {
      h = tf.add(tf.matMul(h, ps[2 * i], false, true), ps[2 * i + 1]);
      if (i < net.layers.length - 1) h = tf.relu(h);
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  const grads = tf.grads(f)(params);
  net.layers.forEach((_, i) => {
    expect(maxRelError(ours.weights[i], grads[2 * i].dataSync())).toBeLessThan(1e-5);
    expect(maxRelError(ours.biases[i]!, grads[2 * i + 1].dataSync())).toBeLessThan(1e-5);
  });
  tf.dispose([x, y, ...grads]);
  net.dispose();
});

test('Hessian-vector products are symmetric: uᵀHv = vᵀHu', () => {
  const net = smallNet({ activation: 'tanh' });
  const batch = randomBatch(10, 7, 4, 2);
  const rng = new Rng(8);
  const dir = () => ({
    weights: net.layers.map((l) =>
      rng.normalArray(l.shape.rows * l.shape.cols, 0, 1, new Float32Array(l.shape.rows * l.shape.cols)),
    ),
  });
  const u = dir();
  const v = dir();
  const hu = hessianVectorProduct(net, batch, u);
  const hv = hessianVectorProduct(net, batch, v);
  const dot = (a: Float32Array[], b: Float32Array[]) =>
    a.reduce((s, x, l) => s + x.reduce((t, y, q) => t + y * b[l][q], 0), 0);
  const a = dot(u.weights, hv.weights);
  const b = dot(v.weights, hu.weights);
  expect(Math.abs(a - b)).toBeLessThan(1e-4 * Math.max(Math.abs(a), 1e-3));
  net.dispose();
});

test('passes leak no tensors', () => {
  const net = smallNet();
  const batch = randomBatch(5, 7, 4, 3);
  const before = tf.memory().numTensors;
  const g = lossGradients(net, batch, { mask: randomMask(net, 0.5, 1) });
  hessianVectorProduct(net, batch, { weights: g.weights });
  predict(net, batch);
  evaluateLoss(net, batch, { loss: 'mse' });
  expect(tf.memory().numTensors).toBe(before);
  net.dispose();
});
