import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, readSafetensors, writeNpy } from '@graphon-pai/core';
import { loadMask } from '@graphon-pai/masks';
import { Mlp, saveMlpSafetensors } from '@graphon-pai/nets';
import { setupEngine } from '../src/engine';
import { argv, cli, expectRefusedWithoutOutput, tempFolder } from './helpers';

jest.setTimeout(60_000);

describe('prune', () => {
  const dir = tempFolder('gp-prune-');
  beforeAll(() => setupEngine());

  it('magnitude on PyTorch-named weights keeps exactly the global top-k of |w| (float64 reference)', async () => {
    const weights = join(dir, 'init.safetensors');
    const net = Mlp.create({ widths: [20, 16, 4], seed: 3 });
    saveMlpSafetensors(net, weights);
    net.dispose();
    const out = join(dir, 'mag.safetensors');
    const r = await cli(
      ...argv`prune --weights ${weights} --criterion magnitude --density 0.25 --out ${out} --json`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const total = 20 * 16 + 16 * 4;
    const k = Math.round(0.25 * total);
    expect(summary).toMatchObject({ network: 'mlp:20-16-4', kept: k, total, allocation: 'global' });
    // Reference: sort all |w| in float64 and take the k largest.
    const { tensors } = readSafetensors(weights);
    const all: { name: string; i: number; v: number }[] = [];
    for (const name of ['0.weight', '2.weight']) {
      const data = tensors.get(name)?.data as Float32Array;
      data.forEach((v, i) => all.push({ name, i, v: Math.abs(v) }));
    }
    all.sort((a, b) => b.v - a.v);
    const expected = new Set(all.slice(0, k).map((e) => `${e.name}:${e.i}`));
    const { mask } = loadMask(out);
    expect([...mask.keys()]).toEqual(['0.weight', '2.weight']);
    for (const [name, m] of mask) {
      const dense = m.toDense();
      dense.forEach((bit, i) =>
        expect(`${bit}:${name}:${i}`).toBe(`${expected.has(`${name}:${i}`) ? 1 : 0}:${name}:${i}`),
      );
    }
  });

  it('snip on MNIST writes an exact-density mask and scores that reproduce it through --scores', async () => {
    const out = join(dir, 'snip.safetensors');
    const scoresOut = join(dir, 'snip-scores.safetensors');
    const args = ['--net', 'mlp:784-64-10', '--samples', '64', '--density', '0.1', '--seed', '5'];
    const r = await cli(
      'prune',
      ...args,
      '--criterion',
      'snip',
      '--data',
      'mnist',
      '--out',
      out,
      '--scores-out',
      scoresOut,
    );
    expect(r.code).toBe(0);
    const total = 784 * 64 + 64 * 10;
    expect(r.stdout).toMatch(new RegExp(`kept ${Math.round(0.1 * total)} of ${total} weights`));
    const snip = loadMask(out);
    expect(snip.provenance?.criterion).toMatch(/snip/);
    const again = join(dir, 'from-scores.safetensors');
    const r2 = await cli('prune', '--scores', scoresOut, '--density', '0.1', '--out', again);
    expect(r2.code).toBe(0);
    const replay = loadMask(again).mask;
    for (const [name, m] of snip.mask)
      expect(Buffer.from(replay.get(name)?.toDense() ?? [])).toEqual(Buffer.from(m.toDense()));
  });

  it('reads the user arrays with --data X.npy --labels y.npy, uniform allocation per layer', async () => {
    const rng = new Rng(1);
    const x = new Float32Array(32 * 8).map(() => rng.normal());
    const y = new Int32Array(32).map((_, i) => i % 3);
    writeNpy(join(dir, 'X.npy'), { dtype: 'F32', shape: [32, 8], data: x });
    writeNpy(join(dir, 'y.npy'), { dtype: 'I32', shape: [32], data: y });
    const out = join(dir, 'npy.safetensors');
    const r = await cli(
      ...argv`prune --net mlp:8-6-3 --criterion snip --data ${join(dir, 'X.npy')}
      --labels ${join(dir, 'y.npy')} --density 0.5 --allocation uniform --out ${out} --json`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.layers.map((l: { kept: number }) => l.kept)).toEqual([24, 9]);
  });

  it.each([
    [
      ['--net', 'mlp:20-4', '--criterion', 'magnitude', '--density', '0'],
      /--density must be a number in \(0, 1\]/,
    ],
    [['--net', 'mlp:20-4', '--criterion', 'magnitude', '--density', '1.5'], /--density/],
    [['--net', 'mlp:20-4', '--criterion', 'magnitude', '--density', 'abc'], /--density/],
    [
      ['--net', 'mlp:784', '--criterion', 'magnitude', '--density', '0.1'],
      /--net must be an MLP spec.*Fix: e\.g\. 'mlp:784-1024-10'/,
    ],
    [['--net', 'cnn:3-4', '--criterion', 'magnitude', '--density', '0.1'], /--net must be an MLP spec/],
    [['--net', 'mlp:20-4', '--criterion', 'no-such-criterion', '--density', '0.1'], /no-such-criterion/],
    [
      ['--net', 'mlp:20-4', '--criterion', 'magnitude', '--density', '0.1', '--schedule', 'cosine'],
      /--schedule/,
    ],
    [
      ['--net', 'mlp:20-4', '--criterion', 'magnitude', '--density', '0.1', '--allocation', 'best'],
      /--allocation/,
    ],
    [
      ['--weights', '/nonexistent/w.safetensors', '--criterion', 'magnitude', '--density', '0.1'],
      /\/nonexistent\/w\.safetensors/,
    ],
    [['--net', 'mlp:20-4', '--density', '0.1'], /--criterion/],
  ])('bad input %j exits 2 with one line and leaves no file', async (args, message) => {
    const sub = mkdtempSync(join(dir, 'bad-'));
    const out = join(sub, 'mask.safetensors');
    const r = await cli('prune', ...args, '--out', out, '--scores-out', join(sub, 's.safetensors'));
    expectRefusedWithoutOutput(r, out, message);
    expect(readdirSync(sub)).toEqual([]);
  });
});
