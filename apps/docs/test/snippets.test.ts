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

describe('the plugin guide', () => {
  const guide = readFileSync(join(__dirname, '..', 'src', 'guide', 'plugins.md'), 'utf8');
  const example = join(__dirname, '..', '..', '..', 'examples', 'plugin-example');

  test('includes files of examples/plugin-example that exist', () => {
    const includes = [
      ...guide.matchAll(/^<<< \.\.\/\.\.\/\.\.\/\.\.\/examples\/plugin-example\/([^\s{]+)/gm),
    ].map((m) => m[1]);
    expect(includes).toEqual([
      'src/index.ts',
      'tsconfig.json',
      'tsconfig.build.json',
      'jest.config.cjs',
      'src/index.test.ts',
    ]);
    for (const file of includes) expect(readFileSync(join(example, file), 'utf8').length).toBeGreaterThan(50);
  });

  test("shows the example's package.json as published: the same dependencies, workspace ranges as versions", () => {
    const block = /```json\n(\{\n {2}"name": "graphon-pai-plugin-example"[\s\S]*?)\n```/.exec(guide);
    expect(block).not.toBeNull();
    const shown = JSON.parse(block![1]);
    const real = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
    const published = (deps: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(deps).map(([name, range]) => {
          if (!range.startsWith('workspace:')) return [name, range];
          const dir = name.replace('@graphon-pai/', '');
          const { version } = JSON.parse(
            readFileSync(join(__dirname, '..', '..', '..', 'packages', dir, 'package.json'), 'utf8'),
          );
          return [name, `^${version}`];
        }),
      );
    expect(shown.peerDependencies).toEqual(published(real.peerDependencies));
    expect(shown.devDependencies).toEqual(published(real.devDependencies));
    for (const key of ['name', 'version', 'type', 'exports', 'files']) expect(shown[key]).toEqual(real[key]);
    expect(shown.scripts.build).toBe(real.scripts.build);
    expect(real.scripts['test:commonjs']).toContain(shown.scripts['test:commonjs']);
    expect(real.scripts['test:esm']).toContain('--experimental-vm-modules');
  });
});
