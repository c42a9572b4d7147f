/**
 * `WeightedNetwork`, what every network kind (`Mlp`, `ConvNet`) has in common: its weighted layers and
 * their host parameters (weights row-major `rows × cols`, i.e. `[out, in]` or `[out, in, kh, kw]`, and
 * optional biases), looked up by layer index or by PyTorch parameter name, the parameters as a state dict,
 * and the disposed state after which reading parameters throws.
 */
import { InvalidArgumentError, type LayerShape } from '@graphon-pai/core';
import { countWeights, findLayer, type WeightedLayerInfo } from './weighted-layers';

export abstract class WeightedNetwork<L extends WeightedLayerInfo> {
  readonly layers: readonly L[];
  protected readonly hostWeights: Float32Array[];
  protected readonly hostBiases: (Float32Array | null)[];
  protected disposed = false;
  /** The network's class name in errors ("a disposed Mlp"). */
  private readonly networkName: string;

  protected constructor(
    networkName: string,
    layers: readonly L[],
    weights: Float32Array[],
    biases: (Float32Array | null)[],
  ) {
    this.networkName = networkName;
    this.layers = layers;
    this.hostWeights = weights;
    this.hostBiases = biases;
  }

  /** Total number of weights (biases excluded). */
  get weightCount(): number {
    return countWeights(this.layers);
  }

  /** Layer by index or by weight / bias name. Throws for unknown keys. */
  layer(key: number | string): L {
    return findLayer(this.layers, key);
  }

  /** The host weights of a layer (row-major `rows × cols`). Do not mutate. */
  weight(key: number | string): Float32Array {
    this.checkAlive();
    return this.hostWeights[this.layer(key).index];
  }

  /** The host bias of a layer, or null. Do not mutate. */
  bias(key: number | string): Float32Array | null {
    this.checkAlive();
    return this.hostBiases[this.layer(key).index];
  }

  /** All parameters by PyTorch name with their tensor shapes, in network order (weight then bias per layer). Shares memory. */
  stateDict(): Map<string, { shape: number[]; data: Float32Array }> {
    this.checkAlive();
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const l of this.layers) {
      out.set(l.weightName, {
        shape: [...(l.shape.tensorShape ?? [l.shape.rows, l.shape.cols])],
        data: this.hostWeights[l.index],
      });
      const b = this.hostBiases[l.index];
      if (l.biasName && b) out.set(l.biasName, { shape: [l.shape.rows], data: b });
    }
    return out;
  }

  /** The layer shapes keyed by weight name (the shape of score maps and masks for this network). */
  shapes(): Map<string, LayerShape> {
    return new Map(this.layers.map((l) => [l.weightName, l.shape]));
  }

  /** Marks the network as released; reading its parameters afterwards throws. */
  dispose(): void {
    this.disposed = true;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  protected checkAlive(): void {
    if (this.disposed) {
      throw new InvalidArgumentError('network', `a disposed ${this.networkName}`, 'a live network', {
        fix: 'do not use a network after dispose()',
      });
    }
  }
}
