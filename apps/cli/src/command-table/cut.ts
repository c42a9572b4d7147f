/** `graphon-pai cut`: options and help; the implementation (`../commands/cut`) loads when it runs. */
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { CutOptions } from '../commands/cut';
import { withCommonOptions } from '../options';
import { ALIGNMENTS, METHODS } from './choices';

export const cutCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('cut')
      .description(
        'cut norm of one kernel, or cut distance between two (masks, .npy matrices, const:p, formula:EXPR)',
      )
      .argument('<a>', "mask .safetensors, .npy matrix, 'const:p' or 'formula:EXPR' (in u, v)")
      .argument('[b]', 'second operand: with it, the cut distance δ_□(a, b)')
      .option('--layer <name>', 'layer of mask-file operands (default: their only layer)')
      .addOption(new Option('--method <m>', 'cut-norm method').choices([...METHODS]).default('auto'))
      .addOption(
        new Option('--alignment <a>', 'relabelling of the two operands')
          .choices([...ALIGNMENTS])
          .default('optimized'),
      )
      .addOption(
        new Option(
          '--certificate <kind>',
          'how the SDP upper bound is proved: deterministic (Cholesky, certified) or probabilistic (Lanczos)',
        )
          .choices(['deterministic', 'probabilistic'])
          .default('probabilistic'),
      )
      .addOption(
        new Option(
          '--certificate-precision <p>',
          'precision of the deterministic certificate: float64 (tightest) or float32 (faster, a few % looser, still certified)',
        )
          .choices(['float64', 'float32'])
          .default('float64'),
      )
      .option('--grid <n>', 'blocks per side for formula: operands', '64'),
  ).action(async (a: string, b: string | undefined, options: CutOptions) =>
    (await import('../commands/cut')).runCut(a, b, options, io),
  );
};
