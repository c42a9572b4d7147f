import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliRoot, runBin } from './helpers';

const examplePlugin = join(cliRoot, '..', '..', 'examples', 'plugin-example', 'src', 'index.ts');

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
    [['--plugin', 'no-such-plugin-module'], /cannot find plugin module "no-such-plugin-module".*Fix: install it/],
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
