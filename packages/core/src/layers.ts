/**
 * Layer vocabulary shared by every package.
 *
 * A layer's weight is viewed as a `rows × cols` matrix in PyTorch `Linear.weight` orientation:
 * rows = output neurons, cols = inputs (for a convolution, cols = in_channels · kh · kw and `tensorShape`
 * keeps the original 4-D shape). Scores and masks of a layer use the same row-major layout.
 */
import type { BitMatrix } from './bit-matrix';
import { InvalidArgumentError } from './errors';

export interface LayerShape {
  /** Output neurons (weight rows). */
  readonly rows: number;
  /** Inputs (weight columns). */
  readonly cols: number;
  /** The parameter's original tensor shape when it is not 2-D (e.g. `[out, in, kh, kw]`). */
  readonly tensorShape?: readonly number[];
}

/** Scores of one layer: `rows · cols` float32 values, row-major, larger = more important. */
export interface LayerScores {
  readonly shape: LayerShape;
  readonly scores: Float32Array;
}

/** Layer name → scores, in network order (insertion order of the Map). */
export type ScoreMap = Map<string, LayerScores>;

/** Layer name → mask (1 = weight kept), in network order. */
export type NetworkMask = Map<string, BitMatrix>;

/** Checks a layer shape and returns its number of weights. */
export function layerSize(shape: LayerShape, name = 'shape'): number {
  if (!(Number.isInteger(shape.rows) && shape.rows > 0 && Number.isInteger(shape.cols) && shape.cols > 0)) {
    throw new InvalidArgumentError(name, `${shape.rows} × ${shape.cols}`, 'a layer shape with positive integer rows and cols');
  }
  return shape.rows * shape.cols;
}

/** Checks that every layer's score array has `rows · cols` entries; returns the total count. */
export function scoreMapSize(scores: ScoreMap): number {
  let total = 0;
  for (const [name, layer] of scores) {
    const n = layerSize(layer.shape, `scores['${name}'].shape`);
    if (layer.scores.length !== n) {
      throw new InvalidArgumentError(
        `scores['${name}'].scores`,
        layer.scores,
        `a Float32Array of length rows · cols = ${n}`,
      );
    }
    total += n;
  }
  return total;
}

/** Kept count and density of a whole network mask. */
export function networkMaskDensity(mask: NetworkMask): { kept: number; total: number; density: number } {
  let kept = 0;
  let total = 0;
  for (const m of mask.values()) {
    kept += m.nnz();
    total += m.size;
  }
  return { kept, total, density: total === 0 ? 0 : kept / total };
}
