/**
 * Training any network of this package under a mask, keeping what a diverging run achieved.
 *
 * {@link trainNetwork} runs `trainMlp` or `trainConvNet` by the network's architecture with the same
 * options. When a step's loss becomes non-finite (the trainers throw a `NumericalError` naming the epoch and
 * step), the run is not lost: the result holds the network with the parameters after the **last completed
 * epoch** (`net`, null when no epoch completed), the history up to it, and the error (`diverged`). A run
 * that completes has `diverged: null` and the trained network.
 *
 * {@link networkDensity} is the kept fraction of all weights a mask leaves a network (layers the mask does
 * not name stay dense).
 *
 * @example
 * const run = trainNetwork(net, train, { epochs: 10, learningRate: 1e-3, optimizer: { kind: 'adam' }, mask });
 * if (run.diverged) console.warn(`${run.diverged.message}; kept epoch ${run.history.length}`);
 * run.net?.dispose();
 */
import { type NetworkMask, NumericalError } from '@graphon-pai/core';
import type { Batch } from './data/batch';
import { type LayerParameters, Mlp } from './mlp';
import type { Network } from './network';
import { networkWithParameters } from './network-files';
import { trainConvNet } from './train/conv-trainer';
import type { EpochRecord, TrainMlpOptions } from './train/train-mlp';
import { trainMlp } from './train/train-mlp';

/** Options of {@link trainNetwork}: those of `trainMlp` (and `trainConvNet`), `onEpoch` without the trainer. */
export interface TrainNetworkOptions extends Omit<TrainMlpOptions, 'onEpoch'> {
  onEpoch?: (record: EpochRecord) => void;
}

export interface TrainNetworkResult {
  /** The trained network, or after divergence the one of the last completed epoch (null: none completed). */
  net: Network | null;
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** The divergence that stopped the run, or null when every epoch completed. */
  diverged: NumericalError | null;
}

/** Trains `net` (left unchanged) under the options' mask; see the file header. */
export function trainNetwork(net: Network, train: Batch, options: TrainNetworkOptions): TrainNetworkResult {
  const history: EpochRecord[] = [];
  let parameters: LayerParameters[] | null = null;
  const onEpoch = (record: EpochRecord, trainer: { parameters(): LayerParameters[] }): void => {
    history.push(record);
    parameters = trainer.parameters();
    options.onEpoch?.(record);
  };
  try {
    const result =
      net instanceof Mlp
        ? trainMlp(net, train, { ...options, onEpoch })
        : trainConvNet(net, train, { ...options, onEpoch });
    return { net: result.net, history: result.history, diverged: null };
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    return {
      net: parameters === null ? null : networkWithParameters(net, parameters),
      history,
      diverged: error,
    };
  }
}

/** Kept fraction of all the network's weights under `mask` (layers absent from the mask count as dense). */
export function networkDensity(net: Network, mask: NetworkMask): number {
  let kept = 0;
  let total = 0;
  for (const layer of net.layers) {
    const size = layer.shape.rows * layer.shape.cols;
    total += size;
    kept += mask.get(layer.weightName)?.nnz() ?? size;
  }
  return kept / total;
}
