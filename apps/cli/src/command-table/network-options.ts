/** The network options `prune` and `train` share (`../network-input.ts` reads them). */
import { type Command, Option } from 'commander';
import { ACTIVATIONS } from './choices';

/** Adds `--net`, `--weights`, `--activation` and `--init` to a command. */
export function withNetworkOptions(cmd: Command): Command {
  return cmd
    .option(
      '--net <spec>',
      "network: 'mlp:784-300-100-10', 'lenet5', 'vgg-small' or 'conv:<spec>' (initialised with --init and --seed)",
    )
    .option(
      '--weights <file>',
      'initial weights as safetensors with PyTorch state_dict names (0.weight, features.0.weight [out, in, kh, kw], …)',
    )
    .addOption(
      new Option('--activation <name>', 'hidden activation').choices([...ACTIVATIONS]).default('relu'),
    )
    .option(
      '--init <kind>',
      'weight initialisation with --net: kaiming-normal, kaiming-uniform, xavier-normal, xavier-uniform, gaussian or pytorch-default',
      'kaiming-normal',
    );
}
