/**
 * Bookkeeping shared by every network kind (`Mlp`, `ConvNet`) over its weighted layers: lookup by index or
 * parameter name, the weight count, and the check of a Hessian-vector direction against the layers' shapes.
 * Errors name the argument, the layer and the expected shape (`[out, in, kh, kw]` for a convolution).
 */
import { InvalidArgumentError, type LayerShape } from '@graphon-pai/core';

/** What these helpers read from a weighted layer. */
export interface WeightedLayerInfo {
  readonly index: number;
  readonly weightName: string;
  readonly biasName: string | null;
  readonly shape: LayerShape;
}

/** The layer at an index or owning a weight / bias name; throws naming the valid keys. */
export function findLayer<L extends WeightedLayerInfo>(layers: readonly L[], key: number | string): L {
  const layer =
    typeof key === 'number' ? layers[key] : layers.find((l) => l.weightName === key || l.biasName === key);
  if (!layer) {
    throw new InvalidArgumentError(
      'layer',
      key,
      `a layer index or one of ${layers.map((l) => l.weightName).join(', ')}`,
    );
  }
  return layer;
}

/** Number of weights (biases excluded). */
export function countWeights(layers: readonly WeightedLayerInfo[]): number {
  return layers.reduce((s, l) => s + l.shape.rows * l.shape.cols, 0);
}

/**
 * Throws unless `direction.weights` holds one Float32Array per layer of the layer's size and every given
 * `direction.biases[l]` matches a layer that has a bias.
 */
export function checkDirection(
  layers: readonly WeightedLayerInfo[],
  direction: {
    readonly weights: readonly Float32Array[];
    readonly biases?: readonly (Float32Array | null)[];
  },
): void {
  const L = layers.length;
  if (!direction || !Array.isArray(direction.weights) || direction.weights.length !== L) {
    throw new InvalidArgumentError(
      'direction.weights',
      direction?.weights,
      `${L} Float32Arrays, one per layer`,
    );
  }
  layers.forEach((layer, l) => {
    const v = direction.weights[l];
    const shape = layer.shape.tensorShape ?? [layer.shape.rows, layer.shape.cols];
    if (!(v instanceof Float32Array) || v.length !== layer.shape.rows * layer.shape.cols) {
      throw new InvalidArgumentError(
        `direction.weights[${l}]`,
        v,
        `a Float32Array of shape [${shape.join(', ')}] (${layer.weightName})`,
      );
    }
    const vb = direction.biases?.[l];
    if (vb && (!layer.biasName || vb.length !== layer.shape.rows)) {
      throw new InvalidArgumentError(
        `direction.biases[${l}]`,
        vb,
        layer.biasName ? `a Float32Array of ${layer.shape.rows} values` : 'null (the layer has no bias)',
      );
    }
  });
}
