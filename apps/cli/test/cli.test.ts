import pkg from '../package.json';
import { cli, cliRoot, runBin } from './helpers';

describe('graphon-pai (in process)', () => {
  it('--help lists the program and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: graphon-pai/);
  });

  it('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command or flag exits 2 with a one-line hint', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const f = await cli('--no-such-flag');
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/unknown option '--no-such-flag'/);
  });
});

describe('graphon-pai (the real binary)', () => {
  it('runs from source through tsx and exits with the convention codes', () => {
    const run = (...args: string[]) => runBin(args, cliRoot);
    const help = run('--help');
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: graphon-pai/);
    expect(run('nope').status).toBe(2);
  });
});
