/** `graphon-pai bounds`: options and help; the implementation (`../commands/bounds`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { BoundsOptions } from '../commands/bounds';
import { withCommonOptions } from '../options';

export const boundsCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('bounds')
      .description(
        'UAT verdict on active coordinates and the Graphon-NTK generalisation bound for a mask or graphon',
      )
      .argument('<source>', "mask .safetensors, graphon .npy, 'const:p' or 'formula:EXPR' (in u, v)")
      .option('--layer <name>', 'layer of a mask source (default: its only layer)')
      .option(
        '--row-blocks <K>',
        "row blocks of a mask's graphon (rows by degree; = rows for the mask itself)",
        '32',
      )
      .option('--width <n>', 'hidden width n for graphon sources (default 1024; a mask uses its rows)')
      .option('--data <source>', "'mnist', 'synthetic[:informative=K,…]' or X.npy (with --labels)", 'mnist')
      .option('--labels <file>', 'y.npy of integer class labels (with --data X.npy)')
      .option('--classes <a,b>', 'the binary task: class a → +1, class b → −1 (default 3,5 on MNIST)')
      .option('--samples <m>', 'number of samples m', '500')
      .option('--no-normalize', 'keep raw inputs (default: rescale each to ‖x‖² = n_in)')
      .option('--threshold <τ>', 'column density above which an input is active', '0.01')
      .option('--coordinates <S>', "coordinate set S: 'active', 'top:K' or 'i,j,…' (default active)")
      .option('--min-neurons <t>', 'target number of fully connected neurons', '32')
      .option('--q <q>', 'fixed floor q (default: the q maximising α·q^k)')
      .addOption(
        new Option('--layers <which>', "trained layers of the NTK ('hidden' = Arora et al.'s H^∞)")
          .choices(['both', 'hidden'])
          .default('both'),
      )
      .option('--sigma-w2 <v>', 'first-layer weight variance σ_w²', '1')
      .option('--delta <δ>', 'failure probability of the bound', '0.05')
      .option('--ridge <λ>', 'explicit ridge added to K (the bound is then for K + λI)', '0')
      .option('--top-k <k>', 'eigenvalues in the top-k energy', '10')
      .option('--no-ntk', 'only the UAT verdict (no data, no kernel)'),
  ).action(async (source: string, options: BoundsOptions) =>
    (await import('../commands/bounds')).runBounds(source, options, io),
  );
};
