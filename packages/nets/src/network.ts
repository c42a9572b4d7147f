/**
 * Any network of this package: what criteria, masks and the CLI use without knowing the architecture.
 *
 * A {@link Network} is an {@link Mlp} or a {@link ConvNet}. Both expose the same surface: weighted `layers`
 * (`index`, `weightName`, `biasName`, `shape` — rows × cols, with `tensorShape` `[out, in, kh, kw]` for
 * convolutions), host parameters `weight(i)` / `bias(i)` (row-major, PyTorch layout), `shapes()`,
 * `stateDict()`, `checkMask`, `inputSize`, `outputSize`, `dispose()`. The functions below dispatch to the
 * architecture's exact passes (`passes.ts` for MLPs, `conv/conv-passes.ts` for conv networks) and return
 * host arrays in the same layouts, so a caller never branches on the architecture.
 *
 * @example
 * const net: Network = kind === 'lenet5' ? ConvNet.create({ spec: 'lenet5' }) : Mlp.create({ widths: [784, 300, 10] });
 * const g = networkGradients(net, batch);   // g.weights[l]: the layer's weight gradient, row-major
 */
import { InvalidArgumentError, type NetworkMask } from '@graphon-pai/core';
import { type Batch, checkBatch } from './data/batch';
import { ConvNet } from './conv/conv-net';
import {
  convEvaluateLoss,
  convHessianVectorProduct,
  convLossGradients,
  convPredict,
} from './conv/conv-passes';
import { Mlp } from './mlp';
import {
  checkBatchForNetwork,
  evaluateLoss,
  type Gradients,
  hessianVectorProduct,
  lossGradients,
  type ParameterDirection,
  type PassOptions,
  predict,
} from './passes';

export type Network = Mlp | ConvNet;

export function isNetwork(value: unknown): value is Network {
  return value instanceof Mlp || value instanceof ConvNet;
}

/** Throws unless `value` is a live network of this package. */
export function checkNetwork(value: unknown, argument = 'network'): Network {
  if (!isNetwork(value)) {
    throw new InvalidArgumentError(argument, value, 'an Mlp or a ConvNet from @graphon-pai/nets');
  }
  if (value.isDisposed) {
    throw new InvalidArgumentError(argument, 'a disposed network', 'a live network', {
      fix: 'use the network before calling dispose()',
    });
  }
  return value;
}

/** Validates a batch against a network's input size (`C·H·W` for a conv network). */
export function checkNetworkBatch(net: Network, batch: Batch, argument = 'batch'): Batch {
  if (net instanceof Mlp) return checkBatchForNetwork(net, batch, argument);
  checkBatch(batch, argument);
  if (batch.features !== net.inputSize) {
    throw new InvalidArgumentError(
      `${argument}.features`,
      batch.features,
      `the network's input size ${net.spec.input.join(' × ')} = ${net.inputSize}`,
      { fix: 'give images flattened in C × H × W order (PyTorch NCHW)' },
    );
  }
  return batch;
}

/** Exact gradients with respect to weights, biases and masks (see `passes.ts` / `conv-passes.ts`). */
export function networkGradients(net: Network, batch: Batch, options: PassOptions = {}): Gradients {
  return net instanceof Mlp ? lossGradients(net, batch, options) : convLossGradients(net, batch, options);
}

/** Exact Hessian-vector product with respect to (weights, biases). */
export function networkHessianVectorProduct(
  net: Network,
  batch: Batch,
  direction: ParameterDirection,
  options: PassOptions = {},
): { weights: Float32Array[]; biases: (Float32Array | null)[] } {
  return net instanceof Mlp
    ? hessianVectorProduct(net, batch, direction, options)
    : convHessianVectorProduct(net, batch, direction, options);
}

/** Logits, `count × outputs` row-major. */
export function networkPredict(
  net: Network,
  batch: Batch,
  options: { mask?: NetworkMask } = {},
): Float32Array {
  return net instanceof Mlp ? predict(net, batch, options) : convPredict(net, batch, options);
}

/** The loss on a batch. */
export function networkLoss(net: Network, batch: Batch, options: PassOptions = {}): number {
  return net instanceof Mlp ? evaluateLoss(net, batch, options) : convEvaluateLoss(net, batch, options);
}
