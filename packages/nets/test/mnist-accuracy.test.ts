/**
 * The end-to-end check of training: a dense 784-300-100-10 ReLU MLP (Kaiming-normal init) after one epoch of
 * SGD (learning rate 0.1, momentum 0.9, batch 128) on the 60,000 MNIST training digits must reach ≥ 95 % on
 * the 10,000 test digits (PyTorch gives ≈ 97 %). The slow test of this package: about a second of training on
 * float32 host passes with every product on linalg's GEMM provider (tfjs on wasm only builds and holds the network).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { installFastMatMul, uninstallFastMatMul } from '@graphon-pai/linalg';
import { loadMnist } from '../src/data/mnist';
import { Mlp } from '../src/mlp';
import { trainMlp } from '../src/train/train-mlp';

beforeAll(async () => {
  await tf.setBackend('wasm');
  installFastMatMul(tf);
});
afterAll(() => uninstallFastMatMul(tf));

test('dense 784-300-100-10 reaches ≥ 95 % test accuracy after one epoch of SGD', async () => {
  const train = await loadMnist({ split: 'train' });
  const test = await loadMnist({ split: 'test' });
  const net = Mlp.create({ widths: [784, 300, 100, 10], activation: 'relu', seed: 0 });
  const { net: trained, history } = trainMlp(net, train, {
    epochs: 1,
    learningRate: 0.1,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    batchSize: 128,
    seed: 0,
    test,
  });
  expect(history[0].testAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(history[0].testLoss).toBeLessThan(0.2);
  trained.dispose();
  net.dispose();
}, 300_000);
