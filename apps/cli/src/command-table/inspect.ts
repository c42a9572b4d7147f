/** `graphon-pai inspect`: options and help; the implementation (`../commands/inspect`) loads when it runs. */
import type { Command } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

export const inspectCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('inspect')
      .description(
        'statistics of a mask file: density, degrees, empty rows/cols, layer collapse, effective paths',
      )
      .argument('<mask>', 'mask file (.safetensors, from graphon-pai prune or PyTorch)'),
  ).action(async (file: string, options: GlobalOptions) =>
    (await import('../commands/inspect')).runInspect(file, options, io),
  );
};
