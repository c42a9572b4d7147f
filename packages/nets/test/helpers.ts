import { randomBatch as seededBatch, randomNetworkMask, SMALL_NET } from '@graphon-pai/test-utils';
import type { BitMatrix } from '@graphon-pai/core';
import type { Batch } from '../src/data/batch';
import { Mlp, type MlpOptions } from '../src/mlp';
import type { RefProblem } from './reference';

export { useCpu } from '@graphon-pai/test-utils/tfjs';
export { randomNetworkMask as randomMask };

/** Standard normal inputs, i.i.d. uniform labels. */
export function randomBatch(count: number, features: number, classes: number, seed: number): Batch {
  return seededBatch(count, features, classes, seed);
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
  return Mlp.create({ ...SMALL_NET, widths: [...SMALL_NET.widths], ...options });
}
