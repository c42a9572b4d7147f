/** What the conv trainer adds to the shared trainer tests (`test/train.test.ts`): learning and bad input. */
import { NumericalError } from '@graphon-pai/core';
import { brightThirdBatch } from '@graphon-pai/test-utils';
import { ConvNet } from '../../src/conv/conv-net';
import { ConvTrainer } from '../../src/train/conv-trainer';
import { randomBatch, randomMask, useCpu } from '../helpers';

beforeAll(useCpu);

const SPEC = 'input 1x8x8 | f: conv(4,3,padding=1) relu maxpool(2) conv(6,3) relu | c: linear(3)';

describe('ConvTrainer', () => {
  test('epochs learn a separable task; pruned weights stay exactly zero; same seed, same parameters', () => {
    const net = ConvNet.create({ spec: SPEC, seed: 2 });
    const data = brightThirdBatch(240, 'conv-task');
    const mask = randomMask(net, 0.7, 5);
    const run = () => {
      const trainer = new ConvTrainer(net, {
        learningRate: 0.05,
        optimizer: { kind: 'sgd', momentum: 0.9 },
        batchSize: 32,
        mask,
        seed: 7,
      });
      for (let e = 0; e < 4; e++) trainer.epoch(data, e);
      const result = { evaluation: trainer.evaluate(data), params: trainer.parameters() };
      trainer.dispose();
      return result;
    };
    const first = run();
    expect(first.evaluation.accuracy).toBeGreaterThan(0.95);
    first.params.forEach((p, l) => {
      const m = mask.get(net.layers[l].weightName)!.toDense();
      p.weight.forEach((v, i) => {
        if (m[i] === 0) expect(v).toBe(0);
      });
    });
    expect(run().params).toEqual(first.params);
  });

  test('bad input: wrong image size, labels outside the classes, divergence names the step', () => {
    const net = ConvNet.create({ spec: SPEC, seed: 0 });
    const trainer = new ConvTrainer(net, { learningRate: 1e30 });
    expect(() => trainer.epoch(randomBatch(4, 63, 3, 1), 0)).toThrow(/1 × 8 × 8 = 64/);
    expect(() =>
      trainer.epoch({ ...randomBatch(4, 64, 3, 1), labels: Int32Array.of(0, 1, 2, 5) }, 0),
    ).toThrow(/class id/);
    expect(() => {
      for (let e = 0; e < 3; e++) trainer.epoch(randomBatch(64, 64, 3, 1), e);
    }).toThrow(NumericalError);
    trainer.dispose();
  });
});
