/** `graphon-pai plugins list`: every criterion and masker, built-in or from a plugin. */
import { registry } from '@graphon-pai/core';
import type { Command } from 'commander';
import type { CommandRegistrar } from '../cli';
import { emit, type GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

export const pluginsCommand: CommandRegistrar = (program: Command, io) => {
  const plugins = program.command('plugins').description('list and inspect pruner plugins');
  withCommonOptions(plugins.command('list').description('list every criterion and masker with its plugin')).action(
    (options: GlobalOptions) => {
      const rows = registry.list().map((e) => ({
        id: e.id,
        kind: e.kind,
        plugin: e.plugin.name,
        version: e.plugin.version,
        needsData: e.kind === 'criterion' ? e.spec.needsData : undefined,
        acceptsMask: e.kind === 'criterion' ? e.spec.acceptsMask : undefined,
        description: e.spec.description,
        source: registry.listPlugins().find((p) => p.ids.includes(e.id))?.source,
      }));
      emit(io, options, rows, (list) => {
        const width = Math.max(...list.map((r) => r.id.length), 2);
        const lines = list.map(
          (r) =>
            `${r.id.padEnd(width)}  ${r.kind.padEnd(9)}  ${`${r.plugin}@${r.version}`.padEnd(28)}  ${
              r.needsData ? 'data ' : '     '
            } ${r.description}`,
        );
        return [`${'id'.padEnd(width)}  kind       plugin                        needs  description`, ...lines].join('\n');
      });
    },
  );
};
