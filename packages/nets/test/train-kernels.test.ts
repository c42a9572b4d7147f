/**
 * The host kernels of training against independent references: the element-wise kernels and the fused
 * optimiser update (WebAssembly SIMD and JavaScript) against slow float64 implementations (the torch.optim
 * formulas for the update), the host loss against tfjs's `lossAndOutputGradient`, and the MLP training
 * passes against the exact tfjs passes (`lossGradients`).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@graphon-pai/core';
import { expectGeneratorCheck, maxRelativeError } from '@graphon-pai/test-utils';
import type { Batch } from '../src/data/batch';
import { lossAndOutputGradient, type LossName, targetTensor } from '../src/losses';
import { Mlp, type MlpOptions } from '../src/mlp';
import { lossGradients } from '../src/passes';
import { hostLoss } from '../src/train/host-loss';
import { MlpTrainingPasses } from '../src/train/mlp-training-passes';
import {
  type OptimizerOptions,
  optimizerStep,
  parameterStates,
  type ResolvedOptimizer,
  resolveOptimizer,
} from '../src/train/optimizers';
import { createKernelArena } from '../src/train/train-kernels';
import { randomBatch, randomMask, useCpu } from './helpers';

beforeAll(useCpu);

/** torch.optim's SGD / Adam with L2 weight decay and a masked direction, densely in float64. */
function referenceSteps(
  opt: ResolvedOptimizer,
  w0: Float32Array,
  mask: Uint8Array | null,
  gradients: Float32Array[],
  lr: number,
): { w: Float64Array; buffers: Float64Array[] } {
  const w = Float64Array.from(w0, (v, i) => (mask && !mask[i] ? 0 : v));
  const b = [new Float64Array(w.length), new Float64Array(w.length)];
  gradients.forEach((g, s) => {
    const t = s + 1;
    for (let i = 0; i < w.length; i++) {
      const d = (g[i] + opt.weightDecay * w[i]) * (mask ? mask[i] : 1);
      if (opt.kind === 'sgd') {
        b[0][i] = opt.momentum * b[0][i] + d;
        w[i] -= lr * (opt.momentum > 0 ? b[0][i] : d);
      } else {
        b[0][i] = opt.beta1 * b[0][i] + (1 - opt.beta1) * d;
        b[1][i] = opt.beta2 * b[1][i] + (1 - opt.beta2) * d * d;
        const mHat = b[0][i] / (1 - opt.beta1 ** t);
        const vHat = b[1][i] / (1 - opt.beta2 ** t);
        w[i] -= (lr * mHat) / (Math.sqrt(vHat) + opt.epsilon);
      }
    }
  });
  return { w, buffers: b };
}

const arenas = [
  ['WebAssembly SIMD', createKernelArena()],
  ['JavaScript', createKernelArena({ simd: false })],
] as const;

test('WebAssembly SIMD runs here; the committed binary is what scripts/train-kernels-wasm.mjs makes', () => {
  expect(arenas[0][1].simd).toBe(true);
  expect(createKernelArena({ bytes: 2 ** 32 }).simd).toBe(false); // beyond one WebAssembly memory
  expectGeneratorCheck(join(__dirname, '..', 'scripts', 'train-kernels-wasm.mjs'));
});

describe.each(arenas)('element-wise kernels (%s)', (_, arena) => {
  const rng = new Rng('kernels');
  // Widths with and without a scalar tail after the 4-wide vectors.
  test.each([
    [5, 12],
    [3, 7],
  ])('bias (+ ReLU), ReLU slope, column sums on %i × %i', (rows, width) => {
    const z0 = rng.normalArray(rows * width, 0, 1, new Float32Array(rows * width));
    z0[1] = Number.NaN;
    const b0 = rng.normalArray(width, 0, 1, new Float32Array(width));
    const g0 = rng.normalArray(rows * width, 0, 1, new Float32Array(rows * width));
    for (const relu of [false, true]) {
      const [z, b, g, sums] = arena.allocate([rows * width, width, rows * width, width]);
      z.set(z0);
      b.set(b0);
      g.set(g0);
      arena.biasAdd(z, rows, width, b, relu);
      const expected = z0.map((v, i) => {
        const s = Math.fround(v + b0[i % width]);
        return relu ? (Number.isNaN(s) ? s : Math.max(s, 0)) : s;
      });
      expect(Array.from(z)).toEqual(Array.from(expected));
      arena.reluSlope(g, z);
      expect(Array.from(g)).toEqual(Array.from(g0, (v, i) => (z[i] > 0 ? v : 0)));
      arena.columnSums(g, rows, width, sums);
      for (let j = 0; j < width; j++) {
        let exact = 0;
        for (let r = 0; r < rows; r++) exact += g[r * width + j];
        expect(Math.abs(sums[j] - exact)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(exact)));
      }
    }
  });
});

describe.each(arenas)('optimizerStep, fused masked update (%s)', (_, arena) => {
  const cases: [string, OptimizerOptions][] = [
    ['plain SGD', { kind: 'sgd', momentum: 0 }],
    ['SGD, momentum 0.9, weight decay 1e-2', { kind: 'sgd', momentum: 0.9, weightDecay: 1e-2 }],
    ['Adam, weight decay 1e-3', { kind: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 1e-3 }],
  ];
  test.each(cases)('%s: five steps match float64 torch.optim; pruned entries stay exactly zero', (_, o) => {
    const opt = resolveOptimizer(o);
    const rng = new Rng(`optimizer/${o.kind}`);
    const n = 4003;
    const w0 = rng.normalArray(n, 0, 1, new Float32Array(n));
    const initial = w0.slice();
    const mask = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const gradients = Array.from({ length: 5 }, () => rng.normalArray(n, 0, 1, new Float32Array(n)));
    const states = parameterStates(
      opt,
      [
        { initial: w0, mask },
        { initial: w0, mask: null },
      ],
      arena,
    );
    states.forEach((p, k) => {
      const m = k === 0 ? mask : null;
      expect(p.kept?.length ?? n).toBe(m ? mask.reduce((s, v) => s + v, 0) : n);
      gradients.forEach((g, s) => {
        p.gradient.set(g);
        optimizerStep(opt, p, 0.05, s + 1, arena);
      });
      const ref = referenceSteps(opt, w0, m, gradients, 0.05);
      expect(maxRelativeError(p.value, ref.w)).toBeLessThan(2e-6);
      p.buffers.forEach((b, j) => expect(maxRelativeError(b, ref.buffers[j])).toBeLessThan(2e-6));
      let prunedNotPlusZero = 0;
      for (let i = 0; i < n; i++) {
        if (m && !m[i] && [p.value, ...p.buffers].some((a) => !Object.is(a[i], 0))) prunedNotPlusZero++;
      }
      expect(prunedNotPlusZero).toBe(0);
    });
    expect(w0).toEqual(initial); // copied, not updated
  });
});

describe('hostLoss', () => {
  test('the worked example', () => {
    const grad = new Float32Array(6);
    const loss = hostLoss(
      'cross-entropy',
      Float32Array.of(0, 0, 0, 1, 2, 3),
      { labels: Int32Array.of(0, 2), count: 2 },
      3,
      grad,
    );
    expect(loss).toBeCloseTo((Math.log(3) + Math.log(1 + Math.exp(-1) + Math.exp(-2))) / 2, 12);
    expect(grad[0]).toBeCloseTo((1 / 3 - 1) / 2, 7);
  });

  const cases: [LossName, boolean][] = [
    ['cross-entropy', false],
    ['mse', false],
    ['mse', true],
  ];
  test.each(cases)('%s (targets: %s) equals tfjs lossAndOutputGradient', (loss, withTargets) => {
    const rng = new Rng(`loss/${loss}/${withTargets}`);
    const count = 37;
    const outputs = 7;
    const logits = rng.normalArray(count * outputs, 0, 3, new Float32Array(count * outputs));
    const batch = {
      ...randomBatch(count, 1, outputs, 5),
      targets: withTargets
        ? rng.normalArray(count * outputs, 0, 1, new Float32Array(count * outputs))
        : undefined,
    };
    const grad = new Float32Array(count * outputs);
    const ours = hostLoss(loss, logits, batch, outputs, grad);
    const ref = tf.tidy(() => {
      const r = lossAndOutputGradient(
        loss,
        tf.tensor2d(logits, [count, outputs]),
        targetTensor(loss, batch, outputs),
        1,
      );
      return { loss: r.loss.dataSync()[0], grad: r.outputGradient.dataSync() as Float32Array };
    });
    expect(Math.abs(ours - ref.loss)).toBeLessThan(1e-5 * Math.abs(ref.loss));
    expect(maxRelativeError(grad, ref.grad)).toBeLessThan(1e-5);
  });

  test('bad input: no labels for cross-entropy, targets of the wrong size', () => {
    const logits = new Float32Array(6);
    expect(() => hostLoss('cross-entropy', logits, { count: 2 }, 3, null)).toThrow(/labels/);
    expect(() => hostLoss('mse', logits, { count: 2, targets: new Float32Array(5) }, 3, null)).toThrow(
      /2 × 3/,
    );
  });
});

describe('MlpTrainingPasses', () => {
  const nets: [string, MlpOptions, LossName][] = [
    [
      'ReLU, biases, cross-entropy',
      { widths: [13, 17, 11, 4], activation: 'relu', seed: 1 },
      'cross-entropy',
    ],
    [
      'tanh, NTK, cross-entropy',
      { widths: [13, 17, 11, 4], activation: 'tanh', parametrization: 'ntk', seed: 2 },
      'cross-entropy',
    ],
    [
      'linear hidden layer, no biases, mse',
      { widths: [13, 9, 4], activation: 'linear', bias: false, seed: 3 },
      'mse',
    ],
  ];
  test.each(nets)('%s: loss, logits and gradients equal the exact tfjs passes', (_, options, loss) => {
    const net = Mlp.create(options);
    const mask = randomMask(net, 0.5, 4);
    const weights = net.layers.map((l) => {
      const m = mask.get(l.weightName)!.toDense();
      return net.weight(l.index).map((v, i) => (m[i] ? v : 0));
    });
    const masked = Mlp.fromParameters(
      net.config,
      weights.map((w, l) => ({ weight: w, bias: net.bias(l) })),
    );
    const passes = new MlpTrainingPasses(net);
    const params = { weights, biases: net.layers.map((l) => net.bias(l.index)) };
    const grads = {
      weights: net.layers.map((l) => new Float32Array(l.shape.rows * l.shape.cols)),
      biases: net.layers.map((l) => (l.biasName ? new Float32Array(l.shape.rows) : null)),
    };
    // A large batch first, then a smaller one: the workspace is reused.
    for (const [count, seed] of [
      [40, 6],
      [9, 7],
    ]) {
      const batch: Batch = randomBatch(count, 13, 4, seed);
      const ours = passes.forward(params, batch, loss);
      passes.backward(grads);
      const ref = lossGradients(masked, batch, { loss });
      expect(Math.abs(ours.loss - ref.loss)).toBeLessThan(1e-5 * Math.abs(ref.loss));
      expect(ours.logits.length).toBe(count * 4);
      net.layers.forEach((layer, l) => {
        expect(maxRelativeError(grads.weights[l], ref.weights[l])).toBeLessThan(1e-5);
        if (layer.biasName) expect(maxRelativeError(grads.biases[l]!, ref.biases[l]!)).toBeLessThan(1e-5);
        else expect(grads.biases[l]).toBeNull();
      });
    }
    masked.dispose();
    net.dispose();
  });
});
