/**
 * A seeded random classification batch: standard normal float32 inputs (row-major `count × features`) and
 * integer labels, either i.i.d. uniform over the classes or balanced (`i mod classes`, then shuffled).
 */
import { Rng, type Seed } from '@graphon-pai/core';

/** The shape of `@graphon-pai/nets`' `Batch` with labels. */
export interface RandomBatch {
  inputs: Float32Array;
  count: number;
  features: number;
  labels: Int32Array;
  classes: number;
}

export function randomBatch(
  count: number,
  features: number,
  classes: number,
  seed: Seed,
  labels: 'iid' | 'balanced' = 'iid',
): RandomBatch {
  const rng = new Rng(seed);
  const inputs = rng.normalArray(count * features, 0, 1, new Float32Array(count * features));
  const y = new Int32Array(count);
  if (labels === 'iid') {
    for (let i = 0; i < count; i++) y[i] = rng.int(classes);
  } else {
    for (let i = 0; i < count; i++) y[i] = i % classes;
    rng.shuffle(y);
  }
  return { inputs, count, features, labels: y, classes };
}
