/**
 * A small separable image task for training tests: 8 × 8 single-channel images whose class (0, 1 or 2) is
 * which third of the columns is bright — pixel = 0.3·N(0, 1) + (1 in the class's columns ⌊3·col / 8⌋ = class,
 * else 0) — labels `n mod 3`, one seeded normal draw per pixel in row-major order.
 */
import { Rng, type Seed } from '@graphon-pai/core';
import type { RandomBatch } from './random-batch';

export function brightThirdBatch(count: number, seed: Seed): RandomBatch {
  const rng = new Rng(seed);
  const inputs = new Float32Array(count * 64);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = n % 3;
    for (let p = 0; p < 64; p++) {
      inputs[n * 64 + p] = 0.3 * rng.normal() + (Math.floor(((p % 8) * 3) / 8) === labels[n] ? 1 : 0);
    }
  }
  return { inputs, count, features: 64, labels, classes: 3 };
}
