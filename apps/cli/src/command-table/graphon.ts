/** `graphon-pai graphon`: options and help; the implementation (`../commands/graphon`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { GraphonOptions } from '../commands/graphon';
import { withCommonOptions } from '../options';
import { ESTIMATORS } from './choices';

export const graphonCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('graphon')
      .description("estimate a mask layer's graphon → folder with graphon.npy and an SVG/PNG heatmap")
      .argument('<mask>', 'mask file (.safetensors)')
      .option('--layer <name>', 'layer to estimate (default: the only layer)')
      .addOption(
        new Option('--estimator <e>', 'graphon estimator').choices([...ESTIMATORS]).default('histogram'),
      )
      .addOption(
        new Option(
          '--graph <g>',
          'for a conv layer: the kernel graph (out × in·kh·kw) or the channel graph (out × in)',
        )
          .choices(['kernel', 'channel'])
          .default('kernel'),
      )
      .option('--blocks <KxL>', "number of row × column blocks (default: the estimator's bandwidth rule)")
      .requiredOption(
        '--out <folder>',
        'output folder: new, or one this command wrote (its files are replaced)',
      )
      .option('--force', 'also write into a folder graphon-pai did not write (other files are kept)')
      .option('--no-figure', 'skip the SVG/PNG heatmap'),
  ).action(async (file: string, options: GraphonOptions) =>
    (await import('../commands/graphon')).runGraphon(file, options, io),
  );
};
