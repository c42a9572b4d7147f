import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix, Rng, readNpy } from '@graphon-pai/core';
import { histogramEstimate, usvtEstimate } from '@graphon-pai/graphon';
import { saveMask } from '@graphon-pai/masks';
import { argv, cli, runBin, tempFolder } from './helpers';

jest.setTimeout(60_000);

/**
 * Rows 0–1 keep columns 0–1 (degree 2), rows 2–3 keep column 0 (degree 1), columns 2–3 are empty.
 * Degree-sorted 2 × 2 histogram: [[4/4, 0], [2/4, 0]] whatever the order of tied rows/columns.
 */
const HAND = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);

describe('graphon', () => {
  const dir = tempFolder('gp-graphon-');
  let maskFile: string;
  let random: BitMatrix;
  beforeAll(() => {
    maskFile = join(dir, 'm.safetensors');
    const rng = new Rng(2);
    random = BitMatrix.fromDense(
      40,
      60,
      Uint8Array.from({ length: 2400 }, () => (rng.uniform() < 0.3 ? 1 : 0)),
    );
    saveMask(
      maskFile,
      new Map([
        ['hand', BitMatrix.fromDense(4, 4, HAND)],
        ['random', random],
      ]),
    );
  });

  it('histogram estimate of a hand mask: block values by hand, cuts at 0, 1/2, 1', async () => {
    const out = join(dir, 'hand');
    const r = await cli(...argv`graphon ${maskFile} --layer hand --blocks 2 --out ${out} --no-figure --json`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ layer: 'hand', estimator: 'histogram', rowBlocks: 2, colBlocks: 2 });
    expect(s.density).toBeCloseTo(6 / 16, 12);
    const g = readNpy(join(out, 'graphon.npy'));
    expect(g.shape).toEqual([2, 2]);
    expect(Array.from(g.data as Float64Array)).toEqual([1, 0, 0.5, 0]);
    expect(Array.from(readNpy(join(out, 'row_cuts.npy')).data as Float64Array)).toEqual([0, 0.5, 1]);
    expect(readdirSync(out).sort()).toEqual([
      '.graphon-pai-output.json',
      'col_cuts.npy',
      'estimate.json',
      'graphon.npy',
      'row_cuts.npy',
    ]);
  });

  it.each([
    ['histogram', () => histogramEstimate(random, { rowBlocks: 5, colBlocks: 6 }).values],
    ['usvt', () => usvtEstimate(random, { rowBlocks: 5, colBlocks: 6 }).graphon.values],
  ])('%s: the written values equal the library call', async (estimator, reference) => {
    const out = join(dir, estimator);
    const r = await cli(
      ...argv`graphon ${maskFile} --layer random --estimator ${estimator} --blocks 5x6 --out ${out}
      --no-figure`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${estimator} estimate of random \\(40×60\\): 5×6 blocks`));
    const g = readNpy(join(out, 'graphon.npy'));
    expect(g.shape).toEqual([5, 6]);
    expect(Array.from(g.data as Float64Array)).toEqual(Array.from(reference()));
  });

  it.each([
    [['--blocks', '0x3', '--layer', 'hand'], /--blocks must be 'K' or 'KxL'/],
    [[], /--layer is required: .* has 2 layers \(hand, random\)/],
    [['--layer', 'hand', '--estimator', 'magic'], /--estimator/],
  ])('bad input %j exits 2 and writes no folder', async (args, message) => {
    const out = join(dir, 'bad');
    const r = await cli('graphon', maskFile, ...args, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.bad'))).toEqual([]);
  });

  it('renders the heatmap to SVG and PNG (binary from source: vega is ESM-only)', () => {
    const out = join(dir, 'figure');
    const r = runBin(['graphon', maskFile, '--layer', 'random', '--blocks', '4', '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'heatmap.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(readFileSync(join(out, 'heatmap.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
