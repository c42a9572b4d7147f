/**
 * `graphon-pai plugins list`: every criterion and masker, built-in or from a plugin.
 *
 * Options and help are in `../command-table/plugins.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import { registry } from '@graphon-pai/core';
import { registerBuiltins } from '../builtins';
import { type CliIo, emit, type GlobalOptions } from '../io';

/** Runs `graphon-pai plugins list` (the command's action). */
export async function runPluginsList(options: GlobalOptions, io: CliIo): Promise<void> {
  await registerBuiltins();
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
}
