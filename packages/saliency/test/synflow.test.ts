import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Mlp } from '@graphon-pai/nets';
import { synflowDetailed, synflowScores } from '../src';
import { randomMask, useCpu } from './helpers';

beforeAll(useCpu);

test('SynFlow closed form equals tfjs autograd of R = 1ᵀ Π|W_l| 1 (with a mask and NTK scales)', () => {
  for (const parametrization of ['standard', 'ntk'] as const) {
    const net = Mlp.create({ widths: [5, 6, 4, 3], parametrization, seed: 7 });
    const mask = randomMask(net, 0.6, 3);
    const ours = synflowScores(net, { mask });
    const grads = tf.tidy(() => {
      const masks = net.layers.map((l) =>
        tf.tensor2d(Float32Array.from(mask.get(l.weightName)!.toDense()), [l.shape.rows, l.shape.cols]),
      );
      const R = (...ws: tf.Tensor[]) => {
        let h: tf.Tensor = tf.ones([1, net.inputSize]);
        net.layers.forEach((l, i) => {
          h = tf.matMul(h, tf.abs(tf.mul(tf.mul(ws[i], masks[i]), l.weightScale)), false, true);
        });
        return tf.sum(h) as tf.Scalar;
      };
      const g = tf.grads(R)(net.layers.map((l) => net.weightTensor(l.index)));
      return g.map((gi, i) => tf.abs(tf.mul(tf.mul(gi, net.weightTensor(i)), masks[i])));
    });
    net.layers.forEach((l, i) => {
      const ref = grads[i].dataSync();
      const got = ours.get(l.weightName)!.scores;
      for (let q = 0; q < ref.length; q++)
        expect(Math.abs(got[q] - ref[q])).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(ref[q]), 1e-3));
    });
    tf.dispose(grads);
    net.dispose();
  }
});

test.each(['host', 'tensor'] as const)(
  '%s engine: every layer sums to R (no overflow in deep nets: 120 layers, R ≈ e^±300 and beyond float64)',
  (engine) => {
    for (const std of [8, 0.001]) {
      const widths = [16, ...new Array(119).fill(24), 4];
      const net = Mlp.create({ widths, init: { kind: 'gaussian', std }, bias: false, seed: 1 });
      const { scores, logScale, logR } = synflowDetailed(net, { engine });
      expect(Number.isFinite(logR)).toBe(true);
      expect(Math.abs(logR)).toBeGreaterThan(300); // the plain product would overflow/underflow float32 (and float64 for std=8)
      expect(logScale).not.toBe(0);
      for (const { scores: s } of scores.values()) {
        let sum = 0;
        let positive = 0;
        let finite = true;
        for (const v of s) {
          finite &&= Number.isFinite(v);
          sum += v;
          if (v > 0) positive++;
        }
        expect(finite).toBe(true);
        expect(positive).toBeGreaterThan(s.length * 0.99);
        // Σ_ji |w_ji ∂R/∂w_ji| = R for every layer: after the common shift, log Σ s = log R − logScale.
        expect(Math.abs(Math.log(sum) - (logR - logScale))).toBeLessThan(1e-4);
      }
      net.dispose();
    }
  },
);

test.each(['host', 'tensor'] as const)(
  '%s engine: a moderate net is scored with the plain formula (logScale 0)',
  (engine) => {
    const net = Mlp.create({ widths: [10, 12, 3], seed: 2 });
    const before = tf.memory().numTensors;
    const { logScale, logR, scores } = synflowDetailed(net, { engine });
    expect(tf.memory().numTensors).toBe(before);
    expect(logScale).toBe(0);
    for (const { scores: s } of scores.values()) {
      const sum = s.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - Math.exp(logR)) / Math.exp(logR)).toBeLessThan(1e-5);
    }
    net.dispose();
  },
);
