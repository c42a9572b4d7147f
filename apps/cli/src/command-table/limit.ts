/** `graphon-pai limit`: options and help; the implementation (`../commands/limit`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { LimitOptions } from '../commands/limit';
import { withCommonOptions } from '../options';
import { LINKS } from './choices';

export const limitCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('limit')
      .description(
        'the FSM limit graphon from factor and noise laws → folder with graphon.npy and an SVG/PNG heatmap',
      )
      .option('--row-factor <law>', 'law of the neuron factor A (see below; default constant)')
      .option(
        '--col-factor <law>',
        "law of the input factor B, or 'profile:EXPR' in x ∈ [0, 1] (default constant)",
      )
      .option('--noise <law>', 'law of the edge noise ξ (default half-normal)')
      .addOption(
        new Option(
          '--link <φ>',
          'how factors and noise combine: a·b·ξ or a + b + ξ (default multiplicative)',
        ).choices([...LINKS]),
      )
      .option(
        '--fit <scores>',
        'instead of laws: fit the FSM to a score matrix (.npy, or .safetensors with --layer)',
      )
      .option('--layer <name>', 'tensor of a --fit safetensors file (default: its only tensor)')
      .addOption(
        new Option(
          '--fit-noise <law>',
          'noise law of the fitted prediction: the residual sample or its log-normal summary',
        )
          .choices(['empirical', 'log-normal'])
          .default('empirical'),
      )
      .option('--density <p>', 'kept fraction p in (0, 1) (required)')
      .option(
        '--grid <KxL>',
        'row × column blocks of the written block averages (default 64x64, capped by the score shape with --fit)',
      )
      .requiredOption(
        '--out <folder>',
        'output folder: new, or one this command wrote (its files are replaced)',
      )
      .option('--force', 'also write into a folder graphon-pai did not write (other files are kept)')
      .option('--no-figure', 'skip the SVG/PNG heatmap')
      .addHelpText(
        'after',
        [
          '',
          'Laws: constant[:v] | uniform[:low=0,high=1] | half-normal[:scale=1] | log-normal[:mu=0,sigma=1]',
          '      | exponential[:rate=1] | weibull[:shape=1,scale=1] | profile:EXPR (a deterministic profile b(x))',
          '',
          'Examples:',
          '  graphon-pai limit --row-factor half-normal --col-factor "profile:exp(-3*x)" --noise half-normal \\',
          '    --density 0.1 --grid 32x28 --out limit/',
          '  graphon-pai prune --net mlp:784-256-10 --criterion snip --density 0.1 --out m.safetensors --scores-out s.safetensors',
          '  graphon-pai limit --fit s.safetensors --layer 0.weight --density 0.1 --grid 32x28 --out fitted/',
        ].join('\n'),
      ),
  ).action(async (options: LimitOptions) => (await import('../commands/limit')).runLimit(options, io));
};
