import { BitMatrix, NumericalError } from '@graphon-pai/core';
import { ConvNet } from '../src/conv/conv-net';
import { Mlp } from '../src/mlp';
import type { Network } from '../src/network';
import { networkDensity, trainNetwork } from '../src/train-network';
import { trainConvNet } from '../src/train/conv-trainer';
import { trainMlp } from '../src/train/train-mlp';
import { randomBatch, randomMask, useCpu } from './helpers';

beforeAll(useCpu);

const options = { epochs: 2, learningRate: 0.05, batchSize: 16, seed: 4 } as const;

/** Expects two networks of the same architecture to hold equal weights, then disposes of every network given. */
function expectSameWeights(a: Network, b: Network, ...others: Network[]): void {
  for (const l of a.layers) expect(a.weight(l.index)).toEqual(b.weight(l.index));
  for (const n of [a, b, ...others]) n.dispose();
}

describe('trainNetwork', () => {
  test('an MLP trains exactly as trainMlp (history and parameters), the input network unchanged', () => {
    const net = Mlp.create({ widths: [12, 10, 3], seed: 1 });
    const data = randomBatch(40, 12, 3, 2);
    const mask = randomMask(net, 0.5, 3);
    const before = net.weight(0).slice();
    const ours = trainNetwork(net, data, { ...options, mask });
    const reference = trainMlp(net, data, { ...options, mask });
    expect(ours.diverged).toBeNull();
    expect(ours.history.map((r) => r.trainLoss)).toEqual(reference.history.map((r) => r.trainLoss));
    expect(net.weight(0)).toEqual(before);
    expectSameWeights(ours.net as Mlp, reference.net, net);
  });

  test('a conv network trains exactly as trainConvNet', () => {
    const net = ConvNet.create({ spec: 'input 1x6x6 | f: conv(2,3) relu | c: linear(3)', seed: 1 });
    const data = randomBatch(24, 36, 3, 5);
    const ours = trainNetwork(net, data, options);
    const reference = trainConvNet(net, data, options);
    expect(ours.history.map((r) => r.trainLoss)).toEqual(reference.history.map((r) => r.trainLoss));
    expectSameWeights(ours.net as ConvNet, reference.net, net);
  });

  test('a run that diverges keeps the network of its last completed epoch (equal to a run stopped there)', () => {
    const net = Mlp.create({ widths: [12, 16, 3], seed: 1 });
    const data = randomBatch(40, 12, 3, 7);
    // The learning rate grows ×1e4 every epoch: the first epochs complete, a later one diverges.
    const growing = {
      ...options,
      epochs: 6,
      learningRate: 1e-3,
      schedule: { kind: 'step', every: 1, gamma: 1e4 },
    } as const;
    const run = trainNetwork(net, data, growing);
    expect(run.diverged).toBeInstanceOf(NumericalError);
    expect(run.diverged?.message).toMatch(/diverged at epoch \d+/);
    const completed = run.history.length;
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(completed).toBe(Number(/epoch (\d+)/.exec(run.diverged?.message ?? '')?.[1]) - 1);
    expectSameWeights(run.net as Mlp, trainMlp(net, data, { ...growing, epochs: completed }).net, net);
  });

  test('a run that diverges in its first epoch has no network to keep', () => {
    const net = Mlp.create({ widths: [12, 16, 3], seed: 1 });
    const data = randomBatch(40, 12, 3, 7);
    const big = { ...data, inputs: data.inputs.map((v) => v * 1e3) };
    const run = trainNetwork(net, big, {
      ...options,
      learningRate: 1e8,
      optimizer: { kind: 'sgd', momentum: 0.9 },
    });
    expect(run.diverged).toBeInstanceOf(NumericalError);
    expect(run.history.length === 0).toBe(run.net === null);
    run.net?.dispose();
    net.dispose();
  });
});

test('networkDensity: kept over all weights, layers absent from the mask dense', () => {
  const net = Mlp.create({ widths: [12, 10, 3], seed: 1 });
  const half = BitMatrix.from(10, 12, (i, j) => (i + j) % 2 === 0);
  expect(networkDensity(net, new Map([['0.weight', half]]))).toBeCloseTo((60 + 30) / (120 + 30), 15);
  expect(networkDensity(net, new Map())).toBe(1);
  net.dispose();
});
