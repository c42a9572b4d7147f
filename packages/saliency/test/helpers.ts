import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BitMatrix, Rng } from '@graphon-pai/core';
import { type Batch, Mlp, type MlpOptions } from '@graphon-pai/nets';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function randomBatch(count: number, features: number, classes: number, seed: number): Batch {
  const rng = new Rng(seed);
  const inputs = rng.normalArray(count * features, 0, 1, new Float32Array(count * features));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % classes;
  rng.shuffle(labels);
  return { inputs, count, features, labels, classes };
}

export function randomMask(net: Mlp, density: number, seed: number): Map<string, BitMatrix> {
  const rng = new Rng(seed);
  return new Map(
    net.layers.map((l) => [
      l.weightName,
      BitMatrix.from(l.shape.rows, l.shape.cols, () => rng.uniform() < density),
    ]),
  );
}

export function smallNet(options: Partial<MlpOptions> = {}): Mlp {
  return Mlp.create({
    widths: [7, 6, 5, 4],
    activation: 'tanh',
    init: 'pytorch-default',
    seed: 3,
    ...options,
  });
}
