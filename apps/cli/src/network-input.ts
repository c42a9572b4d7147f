/**
 * `--net`, `--weights`, `--activation` and `--init` → a network of `@graphon-pai/nets` (`prune`, `train`):
 * a spec string (`createNetwork`) or a PyTorch `state_dict` file (`loadNetworkSafetensors`, MLP or conv by
 * the file), with errors naming the flags. `--activation` and `--init` apply to networks built from `--net`
 * (a conv spec names its own activations).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import {
  ACTIVATIONS,
  createNetwork,
  INIT_KINDS,
  loadNetworkSafetensors,
  type Network,
  type NetworkSpec,
  parseNetworkSpec,
} from '@graphon-pai/nets';
import { parseChoice } from './options';

export interface NetworkFlags {
  net?: string;
  weights?: string;
  activation: string;
  init: string;
}

/** Checks the flags without building anything (commands call it before their work). */
export function checkNetworkFlags(o: NetworkFlags): NetworkSpec | undefined {
  parseChoice(o.activation, ACTIVATIONS, '--activation');
  parseChoice(o.init, INIT_KINDS, '--init');
  if (o.net === undefined) {
    if (o.weights === undefined) {
      throw new InvalidArgumentError('--net', undefined, 'a network spec (or --weights <file>)', {
        fix: "e.g. --net mlp:784-300-100-10, --net lenet5 or --net 'conv:<spec>'",
      });
    }
    return undefined;
  }
  return parseNetworkSpec(o.net, '--net');
}

/** The network of the flags; the seed initialises a network built from `--net`. */
export function networkFromFlags(o: NetworkFlags, seed: number): Network {
  const spec = checkNetworkFlags(o);
  const activation = parseChoice(o.activation, ACTIVATIONS, '--activation');
  if (o.weights !== undefined)
    return loadNetworkSafetensors(o.weights, { spec, activation, argument: '--net' });
  return createNetwork(spec as NetworkSpec, {
    activation,
    init: parseChoice(o.init, INIT_KINDS, '--init'),
    seed,
  });
}
