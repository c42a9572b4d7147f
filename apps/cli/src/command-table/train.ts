/** `graphon-pai train`: options and help; the implementation (`../commands/train`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { TrainCliOptions } from '../commands/train';
import { withCommonOptions } from '../options';
import { LOSSES } from './choices';
import { withNetworkOptions } from './network-options';
import type { CommandRegistrar } from './registrar';

export const trainCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    withNetworkOptions(
      program
        .command('train')
        .description('train a network under a mask (pruned weights stay zero) and write the checkpoint'),
    )
      .option(
        '--mask <file>',
        'mask file (.safetensors, 1 = kept) from graphon-pai prune or PyTorch; default dense',
      )
      .option('--data <source>', "'mnist' (60,000 train / 10,000 test) or X.npy (with --labels)", 'mnist')
      .option('--labels <file>', 'y.npy of integer class labels (with --data X.npy)')
      .option('--test-data <file>', 'test examples Xt.npy (with --data X.npy)')
      .option('--test-labels <file>', 'test labels yt.npy (with --test-data)')
      .option('--epochs <n>', 'passes over the training data', '1')
      .addOption(new Option('--optimizer <name>', 'optimiser').choices(['sgd', 'adam']).default('sgd'))
      .option('--lr <rate>', 'learning rate', '0.1')
      .option('--momentum <m>', 'SGD momentum in [0, 1)', '0.9')
      .option('--weight-decay <l>', 'L2 weight decay (added to the gradient, as torch.optim)', '0')
      .option('--batch <n>', 'examples per step', '128')
      .option(
        '--schedule <s>',
        "'constant', 'cosine' (per step) or 'step:EVERY[:GAMMA]' (per epoch)",
        'constant',
      )
      .addOption(new Option('--loss <name>', 'training loss').choices([...LOSSES]).default('cross-entropy'))
      .option(
        '--out <file>',
        'checkpoint to write (.safetensors, PyTorch state_dict names; reads back with --weights)',
      )
      .option('--force', 'replace an existing file that is not a checkpoint (never an input)')
      .addHelpText(
        'after',
        [
          '',
          'The shuffling and (with --net) the initialisation are seeded by --seed: the same seed gives the same',
          'checkpoint. Prune and train the same network by giving both commands the same --net, --init and',
          '--seed (or the same --weights).',
          '',
          'Examples:',
          '  graphon-pai train --net mlp:784-300-100-10 --epochs 1 --out dense.safetensors',
          '  graphon-pai prune --net mlp:784-300-100-10 --criterion synflow --density 0.05 --out m.safetensors \\',
          '    && graphon-pai train --net mlp:784-300-100-10 --mask m.safetensors --epochs 10 \\',
          '       --optimizer adam --lr 1e-3 --schedule step:5:0.1 --out trained.safetensors --json',
          '  graphon-pai train --weights trained.safetensors --mask m.safetensors --epochs 1 --lr 0.01 --out more.safetensors',
        ].join('\n'),
      ),
  ).action(async (options: TrainCliOptions) => (await import('../commands/train')).runTrain(options, io));
};
