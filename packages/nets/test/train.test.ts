import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BitMatrix, NumericalError, Rng, readNpy, writeNpy } from '@graphon-pai/core';
import { maxRelativeError as maxRelDiff } from '@graphon-pai/test-utils';
import { ConvNet } from '../src/conv/conv-net';
import { type Network, networkGradients } from '../src/network';
import { encodeMlpSafetensors } from '../src/safetensors';
import { ConvTrainer } from '../src/train/conv-trainer';
import { MaskedTrainer } from '../src/train/masked-trainer';
import type { OptimizerOptions } from '../src/train/optimizers';
import { learningRateAt } from '../src/train/schedules';
import { trainMlp } from '../src/train/train-mlp';
import type { Trainer } from '../src/train/trainer';
import type { TrainerOptions } from '../src/train/trainer-settings';
import { randomBatch, randomMask, smallNet, useCpu } from './helpers';
import { Mlp } from '../src/mlp';

beforeAll(useCpu);

const REFERENCE = path.join(__dirname, 'fixtures', 'train-step', 'reference_steps.py');
/** A small conv network: convolution, pooling, convolution and a linear layer. */
const CONV_SPEC = 'input 1x8x8 | f: conv(4,3,padding=1) relu maxpool(2) conv(6,3) relu | c: linear(3)';

describe('masked training step', () => {
  const trainers: [string, () => Network, (net: Network, o: TrainerOptions) => Trainer][] = [
    ['MaskedTrainer (MLP)', () => smallNet({ activation: 'relu' }), (n, o) => new MaskedTrainer(n as Mlp, o)],
    [
      'ConvTrainer',
      () => ConvNet.create({ spec: CONV_SPEC, seed: 1, init: 'pytorch-default' }),
      (n, o) => new ConvTrainer(n as ConvNet, o),
    ],
  ];
  test.each(trainers)(
    '%s: one plain SGD step is W ⊙ M − η · (exact masked gradient), biases likewise; no tensor leaks',
    (_, make, train) => {
      const net = make();
      const batch = randomBatch(11, net.inputSize, net.outputSize, 5);
      const mask = randomMask(net, 0.6, 9);
      const g = networkGradients(net, batch, { mask });
      const trainer = train(net, { learningRate: 0.05, optimizer: { kind: 'sgd', momentum: 0 }, mask });
      const before = tf.memory().numTensors;
      const { loss } = trainer.step(batch, 0.05);
      expect(tf.memory().numTensors).toBe(before);
      expect(loss).toBeCloseTo(g.loss, 6);
      trainer.parameters().forEach((p, l) => {
        const m = mask.get(net.layers[l].weightName)!.toDense();
        const w = net.weight(l);
        expect(
          maxRelDiff(
            p.weight,
            w.map((v, i) => m[i] * v - 0.05 * g.weights[l][i]),
          ),
        ).toBeLessThan(1e-6);
        const b = net.bias(l)!;
        expect(
          maxRelDiff(
            p.bias!,
            b.map((v, i) => v - 0.05 * g.biases[l]![i]),
          ),
        ).toBeLessThan(1e-6);
      });
      trainer.dispose();
      net.dispose();
    },
  );

  const optimizers: [string, OptimizerOptions][] = [
    ['sgd, momentum 0.9, weight decay 1e-2', { kind: 'sgd', momentum: 0.9, weightDecay: 1e-2 }],
    ['adam, weight decay 1e-3', { kind: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 1e-3 }],
  ];
  test.each(optimizers)('four masked %s steps match a float64 numpy reference', (_, optimizer) => {
    const net = Mlp.create({ widths: [12, 10, 8, 5], activation: 'relu', seed: 4 });
    const data = randomBatch(40, 12, 5, 6);
    const mask = randomMask(net, 0.5, 2);
    const lr = 0.03;
    const trainer = new MaskedTrainer(net, { learningRate: lr, optimizer, mask, batchSize: 16, seed: 3 });
    // The batches of epoch 0 (sizes 16, 16, 8) and the first of epoch 1, as the trainer draws them.
    const batches: number[][] = [];
    for (const epoch of [0, 1]) {
      const order = Array.from(new Rng(3).fork(`shuffle/${epoch}`).permutation(40));
      for (let s = 0; s < 40; s += 16) batches.push(order.slice(s, s + 16));
    }
    trainer.epoch(data, 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nets-train-'));
    try {
      writeNpy(path.join(dir, 'x.npy'), { dtype: 'F32', shape: [40, 12], data: data.inputs });
      writeNpy(path.join(dir, 'y.npy'), { dtype: 'I32', shape: [40], data: data.labels! });
      net.layers.forEach((layer, l) => {
        const { rows, cols } = layer.shape;
        writeNpy(path.join(dir, `w${l}.npy`), { dtype: 'F32', shape: [rows, cols], data: net.weight(l) });
        writeNpy(path.join(dir, `b${l}.npy`), { dtype: 'F32', shape: [rows], data: net.bias(l)! });
        writeNpy(path.join(dir, `m${l}.npy`), {
          dtype: 'U8',
          shape: [rows, cols],
          data: mask.get(layer.weightName)!.toDense(),
        });
      });
      // Epoch 1's first step, on its own: the trainer runs a full epoch, so take its batch by hand.
      const rows = batches[3];
      const first = {
        inputs: new Float32Array(rows.flatMap((r) => Array.from(data.inputs.subarray(r * 12, (r + 1) * 12)))),
        count: rows.length,
        features: 12,
        labels: Int32Array.from(rows, (r) => data.labels![r]),
        classes: 5,
      };
      trainer.step(first, lr);
      const spec = {
        layers: 3,
        lr,
        momentum: 0,
        weightDecay: 0,
        beta1: 0,
        beta2: 0,
        epsilon: 0,
        ...optimizer,
        optimizer: optimizer.kind,
        batches: batches.slice(0, 4),
      };
      fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
      execFileSync('python3', [REFERENCE, dir], { encoding: 'utf8' });
      const ours = trainer.parameters();
      net.layers.forEach((layer, l) => {
        const w = readNpy(path.join(dir, `w${l}_out.npy`)).data as Float64Array;
        const b = readNpy(path.join(dir, `b${l}_out.npy`)).data as Float64Array;
        expect(maxRelDiff(ours[l].weight, w)).toBeLessThan(2e-5);
        expect(maxRelDiff(ours[l].bias!, b)).toBeLessThan(2e-5);
        const m = mask.get(layer.weightName)!.toDense();
        let prunedNonZero = 0;
        for (let i = 0; i < m.length; i++) if (!m[i] && ours[l].weight[i] !== 0) prunedNonZero++;
        expect(prunedNonZero).toBe(0);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      trainer.dispose();
      net.dispose();
    }
  });
});

describe('trainMlp', () => {
  const data = randomBatch(200, 12, 3, 1);
  const held = randomBatch(50, 12, 3, 2);

  test.each(['sgd', 'adam'] as const)(
    '%s: pruned weights exactly zero after training; no tensor leaks',
    (kind) => {
      const before = tf.memory().numTensors;
      const net = Mlp.create({ widths: [12, 16, 16, 3], seed: 1 });
      const mask = randomMask(net, 0.3, 4);
      mask.delete('4.weight'); // a dense layer among masked ones
      const { net: trained, history } = trainMlp(net, data, {
        epochs: 3,
        learningRate: kind === 'sgd' ? 0.05 : 0.01,
        optimizer: { kind, weightDecay: 1e-3 },
        schedule: 'cosine',
        batchSize: 32,
        mask,
        test: held,
      });
      expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(history[2].trainLoss).toBeLessThan(history[0].trainLoss);
      for (const layer of net.layers) {
        const m = mask.get(layer.weightName)?.toDense();
        const w = trained.weight(layer.index);
        let pruned = 0;
        let zero = 0;
        let keptChanged = 0;
        for (let i = 0; i < w.length; i++) {
          if (m && !m[i]) {
            pruned++;
            if (w[i] === 0) zero++;
          } else if (w[i] !== net.weight(layer.index)[i]) keptChanged++;
        }
        expect(zero).toBe(pruned);
        expect(keptChanged).toBeGreaterThan(0.9 * (w.length - pruned));
      }
      trained.dispose();
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  test('same seed gives bit-identical checkpoints; another seed does not', () => {
    const net = Mlp.create({ widths: [12, 16, 3], seed: 1 });
    const mask = randomMask(net, 0.5, 4);
    const run = (seed: number) => {
      const { net: trained } = trainMlp(net, data, {
        epochs: 2,
        learningRate: 0.01,
        optimizer: 'adam',
        batchSize: 30,
        mask,
        seed,
      });
      const bytes = encodeMlpSafetensors(trained);
      trained.dispose();
      return Buffer.from(bytes);
    };
    const a = run(7);
    expect(a.equals(run(7))).toBe(true);
    expect(a.equals(run(8))).toBe(false);
    net.dispose();
  });

  test('a diverging learning rate stops with the epoch and step; the epochs before it were reported', () => {
    const net = Mlp.create({ widths: [12, 16, 3], seed: 1 });
    const big = { ...data, inputs: data.inputs.map((v) => v * 1e3) };
    const seen: number[] = [];
    let error: unknown;
    try {
      trainMlp(net, big, {
        epochs: 5,
        learningRate: 1e6,
        optimizer: { kind: 'sgd', momentum: 0.9 },
        batchSize: 50,
        onEpoch: (r) => seen.push(r.epoch),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NumericalError);
    expect((error as Error).message).toMatch(
      /training diverged at epoch \d+, step \d+ of 4: the loss is (NaN|Infinity)/,
    );
    expect(seen.length).toBe(Number(/epoch (\d+)/.exec((error as Error).message)![1]) - 1);
    net.dispose();
  });

  test('bad input: mask shapes, labels outside the classes, options', () => {
    const net = Mlp.create({ widths: [12, 16, 3], seed: 1 });
    const wrong = new Map([['0.weight', BitMatrix.from(16, 11, () => true)]]);
    expect(() => new MaskedTrainer(net, { learningRate: 0.1, mask: wrong })).toThrow(
      /mask\['0.weight'\] must be a 16 × 12 mask; got "16 × 11"/,
    );
    const unknown = new Map([['9.weight', BitMatrix.from(16, 12, () => true)]]);
    expect(() => new MaskedTrainer(net, { learningRate: 0.1, mask: unknown })).toThrow(/9.weight/);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
      const inputs = data.inputs.slice();
      inputs[7] = bad;
      expect(() => trainMlp(net, { ...data, inputs }, { epochs: 1, learningRate: 0.1 })).toThrow(
        /data\.inputs\[7\] must be a finite number/,
      );
    }
    const labels = data.labels!.slice();
    labels[17] = 3;
    expect(() => trainMlp(net, { ...data, labels }, { epochs: 1, learningRate: 0.1 })).toThrow(
      /data.labels\[17\].*\[0, 3\)/,
    );
    expect(() => trainMlp(net, data, { epochs: 1, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => trainMlp(net, data, { epochs: 0, learningRate: 0.1 })).toThrow(/epochs/);
    expect(() =>
      trainMlp(net, data, { epochs: 1, learningRate: 0.1, optimizer: { kind: 'sgd', momentum: 1 } }),
    ).toThrow(/momentum/);
    expect(() => trainMlp(net, data, { epochs: 1, learningRate: 0.1, batchSize: 0 })).toThrow(/batchSize/);
    net.dispose();
  });
});

describe('learning-rate schedules', () => {
  const at = (epoch: number, step: number) => ({ epoch, step, stepsPerEpoch: 10, epochs: 4 });
  test('constant, step and cosine follow their closed forms', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, at(3, 9))).toBe(0.1);
    const step = { kind: 'step' as const, every: 2, gamma: 0.5 };
    expect([0, 1, 2, 3, 4].map((e) => learningRateAt(0.1, step, at(e, 5)))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
    const cosine = { kind: 'cosine' as const, minLearningRate: 0.01 };
    expect(learningRateAt(0.1, cosine, at(0, 0))).toBeCloseTo(0.1, 15);
    expect(learningRateAt(0.1, cosine, at(2, 0))).toBeCloseTo(0.055, 15);
    expect(learningRateAt(0.1, cosine, at(1, 0))).toBeCloseTo(0.01 + (0.09 * (1 + Math.SQRT1_2)) / 2, 15);
  });
});
