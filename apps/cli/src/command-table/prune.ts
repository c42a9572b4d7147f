/** `graphon-pai prune`: options and help; the implementation (`../commands/prune`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { PruneCliOptions } from '../commands/prune';
import { withCommonOptions } from '../options';
import { ALLOCATIONS, LOSSES } from './choices';
import { withNetworkOptions } from './network-options';

export const pruneCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    withNetworkOptions(
      program
        .command('prune')
        .description('prune a network at initialisation to an exact density and write the mask file'),
    )
      .option(
        '--data <source>',
        "'mnist', 'synthetic[:informative=K,classes=C,teacher=…,noise=P]' or X.npy",
        'mnist',
      )
      .option('--labels <file>', 'y.npy of integer class labels (with --data X.npy)')
      .option('--samples <n>', 'number of examples for data-dependent criteria', '256')
      .addOption(
        new Option('--loss <name>', 'loss of gradient-based criteria')
          .choices([...LOSSES])
          .default('cross-entropy'),
      )
      .option('--criterion <id>', "criterion id, built-in ('snip') or from a plugin ('acme/x')")
      .option(
        '--scores <file>',
        'precomputed scores (safetensors, one [rows, cols] tensor per layer) instead of a criterion',
      )
      .requiredOption('--density <d>', 'kept fraction in (0, 1]')
      .option('--allocation <kind>', `scope / allocation: ${ALLOCATIONS.join(', ')}`, 'global')
      .option('--schedule <s>', "'one-shot', 'exponential:R' or 'linear:R' (default: the criterion's)")
      .requiredOption('--out <file>', 'mask file to write (.safetensors; replaces only a mask file)')
      .option(
        '--scores-out <file>',
        "also write the criterion's scores of the initial network (.safetensors; replaces only a scores file)",
      )
      .option('--force', 'replace existing files of another kind (never an input)'),
  ).action(async (options: PruneCliOptions) => (await import('../commands/prune')).runPrune(options, io));
};
