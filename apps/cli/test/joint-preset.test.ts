/**
 * `graphon-pai experiment --preset joint` on a tiny sweep: the report folder and its reproducing command, and
 * bad input. The preset's numbers are tested in `@graphon-pai/experiments`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, missingFiles, tempFolder } from './helpers';
import { JOINT_SWEEP } from './experiment-sweeps';

jest.setTimeout(120_000);

const dir = tempFolder('gp-joint-');

describe('experiment --preset joint', () => {
  it('writes the report folder with the reproducing command', async () => {
    const out = join(dir, 'joint');
    const r = await cli('experiment', ...JOINT_SWEEP, '--no-figures', '--out', out);
    expect(r.code).toBe(0);
    expect(
      missingFiles(out, [
        'report.md',
        'results.csv',
        'distances.csv',
        'results.json',
        'figures/joint-convergence.vl.json',
      ]),
    ).toEqual([]);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(
      /graphon-pai experiment --preset joint --criteria random,snip --widths 128,256 --seeds 0 --samples 16/,
    );
  });

  it.each([
    [
      ['--criteria', 'grasp'],
      /--criteria must be one of random, magnitude, synflow, snip with --preset joint/,
    ],
    [['--widths', '64,128'], /--widths must be widths ≥ 128/],
    [['--widths', '256,257'], /increasing even integers/],
    [['--samples', '15'], /--samples must be an even number/],
    [['--row-blocks', '25'], /--row-blocks must be an integer in \[1, 24\]/],
  ])('refuses %j with exit code 2', async (flags, message) => {
    const r = await cli('experiment', '--preset', 'joint', ...flags, '--out', join(dir, 'bad'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
