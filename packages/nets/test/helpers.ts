import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BitMatrix, Rng } from '@graphon-pai/core';
import type { Batch } from '../src/data/batch';
import { Mlp, type MlpOptions } from '../src/mlp';
import type { RefProblem } from './reference';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function randomBatch(count: number, features: number, classes: number, seed: number): Batch {
  const rng = new Rng(seed);
  const inputs = rng.normalArray(count * features, 0, 1, new Float32Array(count * features));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = rng.int(classes);
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

export function toRef(
  net: Mlp,
  batch: Batch,
  loss: 'cross-entropy' | 'mse',
  temperature = 1,
  mask?: Map<string, BitMatrix>,
): RefProblem {
  return {
    layers: net.layers.map((l) => {
      const m = mask?.get(l.weightName);
      return {
        rows: l.shape.rows,
        cols: l.shape.cols,
        w: Float64Array.from(net.weight(l.index)),
        b: net.bias(l.index) ? Float64Array.from(net.bias(l.index)!) : null,
        mask: m ? Float64Array.from(m.toDense()) : null,
        s: l.weightScale,
        beta: l.biasScale,
        act: l.activation,
      };
    }),
    x: Float64Array.from(batch.inputs),
    m: batch.count,
    labels: batch.labels!,
    loss,
    temperature,
  };
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
