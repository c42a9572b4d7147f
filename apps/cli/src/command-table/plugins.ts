/** `graphon-pai plugins`: options and help; the implementation (`../commands/plugins`) loads when it runs. */
import type { Command } from 'commander';
import type { CommandRegistrar } from './registrar';
import type { GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

export const pluginsCommand: CommandRegistrar = (program: Command, io) => {
  const plugins = program.command('plugins').description('list and inspect pruner plugins');
  withCommonOptions(plugins.command('list').description('list every criterion and masker with its plugin')).action(
    async (options: GlobalOptions) => (await import('../commands/plugins')).runPluginsList(options, io),
  );
};
