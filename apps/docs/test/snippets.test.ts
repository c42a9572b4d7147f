/**
 * The code on the site is real: every snippet page includes runs here. A `console.log(x); // expected`
 * line in a snippet must print exactly `expected`, so the values shown in the docs cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const snippets = join(__dirname, '..', 'src', 'snippets');

/** The `// …` comments after each `console.log(...)` line, in source order. */
function expectedLogs(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\s*console\.log\(.*\);\s*\/\/ /.test(l))
    .map((l) => l.slice(l.lastIndexOf('// ') + 3).trim());
}

describe('documentation snippets', () => {
  test('first-mask.ts prints what its comments say', () => {
    const file = join(snippets, 'first-mask.ts');
    const expected = expectedLogs(file);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      jest.isolateModules(() => {
        require('../src/snippets/first-mask');
      });
    } finally {
      spy.mockRestore();
    }
    expect(printed).toEqual(expected);
  });

  test('acme-plugin.ts defines a valid plugin that registers under its namespace', () => {
    const { PluginRegistry } = require('@graphon-pai/core') as typeof import('@graphon-pai/core');
    const plugin = require('../src/snippets/acme-plugin').default;
    const registry = new PluginRegistry();
    registry.register(plugin, { source: 'docs snippet' });
    expect(registry.has('acme/row-relative')).toBe(true);
    expect(registry.criterion('acme/row-relative').spec.needsData).toBe(false);
  });
});
