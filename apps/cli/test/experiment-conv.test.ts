/**
 * `graphon-pai experiment --net lenet5 --layer features.3 --widths 1,2`: the taxonomy preset's conv study
 * through the CLI (report folder, shards and merge), and the flags that make no sense for a conv layer
 * refused with exit code 2 before anything is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, expectRefusedWithoutOutput, tempFolder } from './helpers';

/** LeNet-5's features.3 at multipliers 1 and 2, random and SNIP, seed 0, 32 digits. */
const CONV_SWEEP = [
  '--net',
  'lenet5',
  '--layer',
  'features.3',
  '--widths',
  '1,2',
  '--criteria',
  'random,snip',
  '--seeds',
  '0',
  '--samples',
  '32',
  '--bootstrap',
  '59',
];

const dir = tempFolder('gp-exp-conv-');

describe('graphon-pai experiment --net (conv study)', () => {
  it('writes the conv rows; the merge of its shards is the same report', async () => {
    const full = join(dir, 'full');
    const r = await cli('experiment', ...CONV_SWEEP, '--no-figures', '--out', full);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/features\.3\.weight of lenet5, kernel and channel graphs/);
    expect(r.stdout).toMatch(/random +kernel +homogeneous \(as predicted\)/);
    expect(r.stdout).toMatch(/snip +channel +heterogeneous \(as predicted\)/);
    const report = readFileSync(join(full, 'report.md'), 'utf8');
    expect(report).toContain('| 1 | [16, 6, 5, 5] | 16 × 150 | 16 × 6 |');
    expect(report).toContain(
      'graphon-pai experiment --criteria random,snip --widths 1,2 --seeds 0 --samples 32 --bootstrap 59 --net lenet5 --layer features.3',
    );
    const json = JSON.parse(readFileSync(join(full, 'results.json'), 'utf8'));
    expect(json.config).toEqual(expect.objectContaining({ net: 'lenet5', layer: 'features.3' }));
    expect(json.jobs[1].widths[1].tensorShape).toEqual([32, 12, 5, 5]);
    expect(readFileSync(join(full, 'distances.csv'), 'utf8').split('\n')[0]).toBe(
      'criterion,seed,layer,multiplier,graph,reference,metric,value,kind',
    );
    const shards = ['0/2', '1/2'].map((s, i) => {
      const out = join(dir, `shard${i}`);
      return { s, out };
    });
    for (const { s, out } of shards) {
      expect((await cli('experiment', ...CONV_SWEEP, '--shard', s, '--out', out)).code).toBe(0);
    }
    const merged = join(dir, 'merged');
    const m = await cli('experiment', 'merge', ...shards.map((x) => x.out), '--no-figures', '--out', merged);
    expect(m.code).toBe(0);
    for (const f of ['report.md', 'results.csv', 'distances.csv', 'results.json']) {
      expect([f, readFileSync(join(merged, f), 'utf8')]).toEqual([f, readFileSync(join(full, f), 'utf8')]);
    }
  }, 120_000);

  it.each([
    [['--layer', 'features.3', '--widths', '1,2'], /--layer must be absent without --net/],
    [
      [...CONV_SWEEP, '--layer', '0.weight'],
      /--layer must be a convolution of --net lenet5: features\.0, features\.3/,
    ],
    [[...CONV_SWEEP, '--layer', 'classifier.0'], /--layer must be a convolution of --net lenet5/],
    [
      [...CONV_SWEEP, '--reference-width', '64'],
      /--reference-width must be absent with --net.*--wide-multiplier/,
    ],
    [
      [...CONV_SWEEP, '--output-at-init', 'zero'],
      /--output-at-init must be absent with --net.*drop --output-at-init/,
    ],
    [[...CONV_SWEEP, '--net', 'mlp:784-64-10'], /--net must be a conv network.*drop --net to study it/],
    [[...CONV_SWEEP, '--net', 'resnet'], /--net must be an MLP spec, a built-in conv network or a conv spec/],
    [[...CONV_SWEEP, '--widths', '8,4'], /--widths must be at least two increasing channel multipliers/],
    [
      [...CONV_SWEEP, '--wide-multiplier', '2'],
      /--wide-multiplier must be a channel multiplier above the widest 2/,
    ],
    [['--net', 'lenet5', '--widths', '1,2'], /--layer must be a convolution of --net lenet5 to study/],
  ])('%j exits 2 with one line naming the flag, and writes nothing', async (args, message) => {
    const out = join(dir, 'never');
    const r = await cli('experiment', ...args, '--out', out);
    expectRefusedWithoutOutput(r, out, message);
  });
});
