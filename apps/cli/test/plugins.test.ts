import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli, cliRoot, filesOf, runBin, tempFolder } from './helpers';

const examplePlugin = join(cliRoot, '..', '..', 'examples', 'plugin-example', 'src', 'index.ts');

/** The built binary (`dist/bin.js`, rebuilt when older than a source file), as installed from npm. */
function runBuilt(args: readonly string[], cwd: string) {
  const bin = join(cliRoot, 'dist', 'bin.js');
  const newest = filesOf(join(cliRoot, 'src')).reduce(
    (t, f) => Math.max(t, statSync(join(cliRoot, 'src', f)).mtimeMs),
    0,
  );
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest) {
    execFileSync('pnpm', ['run', 'build'], { cwd: cliRoot, stdio: 'ignore', timeout: 10 * 60_000 });
  }
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
}

/** The real binary from source, so plugin modules are really imported by path or module name. */
const run = (args: string[], cwd = cliRoot) => runBin(args, cwd);

describe('plugins list', () => {
  it('lists the built-in criteria under the graphon-pai namespace', async () => {
    const r = await cli('plugins', 'list', '--json');
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((e) => e.id);
    for (const c of ['random', 'magnitude', 'snip', 'grasp', 'grasp-magnitude', 'synflow']) {
      expect(ids).toContain(`graphon-pai/${c}`);
    }
    const human = await cli('plugins', 'list');
    expect(human.stdout).toMatch(/graphon-pai\/snip\s+criterion\s+@graphon-pai\/saliency@/);
  });
});

describe('loading third-party plugins', () => {
  it('loads a plugin by path with --plugin and lists its criterion', () => {
    const r = run(['--plugin', examplePlugin, 'plugins', 'list', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const entry = (JSON.parse(r.stdout) as { id: string; plugin: string }[]).find(
      (e) => e.id === 'example/grad-norm',
    );
    expect(entry?.plugin).toBe('graphon-pai-plugin-example');
  });

  it('loads plugins named in graphon-pai.config.json, relative to the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-config-'));
    try {
      writeFileSync(join(dir, 'graphon-pai.config.json'), JSON.stringify({ plugins: [examplePlugin] }));
      const r = run(['plugins', 'list'], dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/example\/grad-norm/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ['--plugin', 'no-such-plugin-module'],
      /cannot find plugin module "no-such-plugin-module".*Fix: install it/,
    ],
    [['--plugin', join(__dirname, 'fixtures', 'bad-plugin.mjs')], /error: .*meta/],
    [['--plugin', join(__dirname, 'fixtures', 'throwing-plugin.mjs')], /failed to load: boom while loading/],
  ])('a broken plugin %j exits 2 with a one-line error', (args, message) => {
    const r = run([...args, 'plugins', 'list']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('a malformed config file exits 2 naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-config-'));
    try {
      writeFileSync(join(dir, 'graphon-pai.config.json'), '{ "plugins": [1, 2] }');
      const r = run(['plugins', 'list'], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/graphon-pai\.config\.json: "plugins" must be an array/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A folder outside the workspace (no @graphon-pai/* reachable from it) with plugins installed in node_modules. */
function projectWithPlugins(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gp-plugin-project-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// The plugin reports in its description whether the registry it sees is an instance of the PluginRegistry
// class it imported: true only when it got the CLI's own copy of @graphon-pai/core (the registry object itself
// is shared through globalThis by any copy).
const probeBody = (ns: string) => `
const description = registry instanceof PluginRegistry && typeof Mlp === 'function' ? 'one copy' : 'another copy';
const plugin = definePlugin({
  meta: { name: 'host-probe-${ns}', version: '1.0.0', namespace: '${ns}' },
  apiVersion: PLUGIN_API_VERSION,
  criteria: { probe: { description, needsData: false, acceptsMask: false, score: () => new Map() } },
});
`;

describe('plugins get the CLI’s own @graphon-pai/* packages (declared as peer dependencies)', () => {
  let dir: string;
  beforeAll(() => {
    dir = projectWithPlugins({
      'package.json': '{ "name": "user-project", "private": true }',
      'node_modules/probe-esm/package.json': JSON.stringify({
        name: 'probe-esm',
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        peerDependencies: { '@graphon-pai/core': '*', '@graphon-pai/nets': '*' },
      }),
      'node_modules/probe-esm/index.js': `import { definePlugin, PLUGIN_API_VERSION, PluginRegistry, registry } from '@graphon-pai/core';
import { Mlp } from '@graphon-pai/nets';
${probeBody('esm')}
export default plugin;
`,
      'node_modules/probe-cjs/package.json': JSON.stringify({
        name: 'probe-cjs',
        version: '1.0.0',
        main: 'index.js',
        peerDependencies: { '@graphon-pai/core': '*', '@graphon-pai/nets': '*' },
      }),
      'node_modules/probe-cjs/index.js': `const { definePlugin, PLUGIN_API_VERSION, PluginRegistry, registry } = require('@graphon-pai/core');
const { Mlp } = require('@graphon-pai/nets');
${probeBody('cjs')}
module.exports = plugin;
`,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // From source (tsx), TypeScript sources are compiled separately for `import` and `require`, so a CommonJS
  // plugin gets the CLI's package but not the same module instance; the built binary shares it.
  it.each([
    ['probe-esm', 'source', runBin],
    ['probe-esm', 'built', runBuilt],
    ['probe-cjs', 'built', runBuilt],
  ])(
    '%s, installed where @graphon-pai/core is not, loads into the %s CLI and shares its copy',
    (name, _mode, runner) => {
      const r = runner(['--plugin', name, 'plugins', 'list', '--json'], dir);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const entry = (JSON.parse(r.stdout) as { id: string; description: string }[]).find((e) =>
        e.id.endsWith('/probe'),
      );
      expect(entry?.description).toBe('one copy');
    },
  );

  it('probe-cjs loads into the CLI run from source', () => {
    const r = run(['--plugin', 'probe-cjs', 'plugins', 'list', '--json'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/"id": "cjs\/probe"/);
  });
});

describe('a misbehaving plugin is named, stopped and exits 2', () => {
  const plugin = join(__dirname, 'fixtures', 'misbehaving-plugin.mjs');
  const dir = tempFolder('gp-guard-');
  const prune = (criterion: string, ...extra: string[]) => {
    const started = Date.now();
    const r = run(
      [
        '--plugin',
        plugin,
        ...extra,
        'prune',
        '--net',
        'mlp:6-5-3',
        '--data',
        'synthetic',
        '--criterion',
        `bad/${criterion}`,
        '--density',
        '0.5',
        '--out',
        join(dir, `${criterion}.safetensors`),
      ],
      dir,
    );
    return { ...r, seconds: (Date.now() - started) / 1000 };
  };

  it('the well-behaved criterion of the same plugin prunes (exit 0)', () => {
    const r = prune('fine');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
  });

  it.each([
    [
      'throws',
      /error: criterion "bad\/throws" of plugin "misbehaving-plugin" \(from .*misbehaving-plugin\.mjs\) failed: kaboom in the plugin\. Fix: this is an error in the plugin, not in graphon-pai/,
    ],
    [
      'never',
      /error: criterion "bad\/never" of plugin "misbehaving-plugin" .*returned a promise that never settles/,
    ],
    [
      'not-a-map',
      /error: criterion "bad\/not-a-map" of plugin "misbehaving-plugin" .*returned an array, not a Map/,
    ],
  ])('bad/%s: one line naming the plugin', (criterion, message) => {
    const r = prune(criterion);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/bug in graphon-pai/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(['slow', 'busy'])('bad/%s is stopped by --plugin-timeout', (criterion) => {
    const r = prune(criterion, '--plugin-timeout', '1');
    expect(r.stderr).toMatch(
      new RegExp(
        `error: criterion "bad/${criterion}" of plugin "misbehaving-plugin" .*did not finish within 1 s and was stopped\\. Fix: raise the limit with --plugin-timeout`,
      ),
    );
    expect(r.status).toBe(2);
    expect(r.seconds).toBeLessThan(15);
  });
});

describe('graphon-pai.config.json', () => {
  it('is read by commands that use criteria and announced on stderr, and ignored by the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-config-'));
    try {
      writeFileSync(join(dir, 'graphon-pai.config.json'), JSON.stringify({ plugins: [examplePlugin] }));
      const listed = run(['plugins', 'list'], dir);
      expect(listed.status).toBe(0);
      expect(listed.stderr).toMatch(
        /^graphon-pai: loading plugins from .*graphon-pai\.config\.json: .*plugin-example/,
      );
      // A command that uses no criterion neither loads nor mentions it (a broken plugin would fail it otherwise).
      writeFileSync(
        join(dir, 'graphon-pai.config.json'),
        JSON.stringify({ plugins: ['./missing-plugin.mjs'] }),
      );
      const other = run(['inspect', 'no-such-file.safetensors'], dir);
      expect(other.status).toBe(2);
      expect(other.stderr).toMatch(/no-such-file\.safetensors/);
      expect(other.stderr).not.toMatch(/plugin|config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plugins list (human)', () => {
  it('aligns every column, also for a plugin name longer than the built-ins', () => {
    const r = run(['--plugin', examplePlugin, 'plugins', 'list']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const header = lines[0];
    for (const column of ['kind', 'plugin', 'needs', 'description']) {
      const at = header.indexOf(column);
      for (const line of lines.slice(1)) {
        // Every cell of the column starts at the header's offset, after at least two spaces.
        expect(line.slice(at - 2, at)).toBe('  ');
        if (column !== 'needs') expect(line[at]).not.toBe(' '); // 'needs' is blank for data-free criteria
      }
    }
    expect(lines.find((l) => l.startsWith('example/grad-norm'))).toMatch(
      /graphon-pai-plugin-example@0\.1\.0 {2}data {3}Gradient magnitude/,
    );
  });
});
