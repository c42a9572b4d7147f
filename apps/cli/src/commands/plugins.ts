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
  emit(io, options, rows, (list) =>
    alignColumns([
      ['id', 'kind', 'plugin', 'needs', 'description'],
      ...list.map((r) => [r.id, r.kind, `${r.plugin}@${r.version}`, r.needsData ? 'data' : '', r.description]),
    ]),
  );
}

/** Rows of cells as text columns two spaces apart, each as wide as its widest cell; the last is not padded. */
function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
