/**
 * Seeded Bernoulli masks: every entry is kept when `rng.uniform() < density`, drawn in row-major order, so a
 * mask depends only on its shape, density and seed (or on the state of the `Rng` passed in).
 */
import { BitMatrix, Rng, type Seed } from '@graphon-pai/core';

/** A `rows × cols` mask with i.i.d. Bernoulli(`density`) entries; `seed` may be an `Rng` to continue. */
export function randomMask(rows: number, cols: number, density: number, seed: Seed | Rng): BitMatrix {
  const rng = seed instanceof Rng ? seed : new Rng(seed);
  return BitMatrix.from(rows, cols, () => rng.uniform() < density);
}

/** The part of a network layer a mask needs (an `Mlp` layer of `@graphon-pai/nets` fits). */
export interface LayerLike {
  readonly weightName: string;
  readonly shape: { readonly rows: number; readonly cols: number };
}

/** One {@link randomMask} per layer, keyed by weight name, all drawn from one stream seeded by `seed`. */
export function randomNetworkMask(
  net: { readonly layers: readonly LayerLike[] },
  density: number,
  seed: Seed,
): Map<string, BitMatrix> {
  const rng = new Rng(seed);
  return new Map(net.layers.map((l) => [l.weightName, randomMask(l.shape.rows, l.shape.cols, density, rng)]));
}
