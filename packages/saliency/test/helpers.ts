import { randomBatch as seededBatch, randomNetworkMask, SMALL_NET } from '@graphon-pai/test-utils';
import { type Batch, Mlp, type MlpOptions } from '@graphon-pai/nets';

export { useCpu } from '@graphon-pai/test-utils/tfjs';
export { randomNetworkMask as randomMask };

/** Standard normal inputs, balanced labels (each class `count / classes` times) in a seeded random order. */
export function randomBatch(count: number, features: number, classes: number, seed: number): Batch {
  return seededBatch(count, features, classes, seed, 'balanced');
}

export function smallNet(options: Partial<MlpOptions> = {}): Mlp {
  return Mlp.create({ ...SMALL_NET, widths: [...SMALL_NET.widths], ...options });
}
