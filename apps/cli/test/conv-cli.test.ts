/** Conv networks through the commands: `--net lenet5`, 4-D `--weights`, masks in `[out, in, kh, kw]`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, readSafetensors, readSafetensorsHeader, writeNpy } from '@graphon-pai/core';
import { channelGraph } from '@graphon-pai/graphon';
import { loadMask } from '@graphon-pai/masks';
import { ConvNet, loadConvNetSafetensors, saveConvNetSafetensors } from '@graphon-pai/nets';
import { brightThirdBatch } from '@graphon-pai/test-utils';
import { setupEngine } from '../src/engine';
import { argv, cli, tempFolder } from './helpers';

jest.setTimeout(120_000);

describe('conv networks in the CLI', () => {
  const dir = tempFolder('gp-conv-');
  beforeAll(() => setupEngine());

  it('prune --net lenet5: exact density, conv masks stored as [out, in, kh, kw]', async () => {
    const out = join(dir, 'lenet-snip.safetensors');
    const r = await cli(
      ...argv`prune --net lenet5 --criterion snip --density 0.1 --samples 64 --out ${out} --json`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.kept).toBe(Math.round(0.1 * 61470));
    expect(summary.network).toContain('features: conv(6,5,padding=2)');
    const header = readSafetensorsHeader(out);
    expect(header.entries.get('features.3.weight')?.shape).toEqual([16, 6, 5, 5]);
    expect(header.entries.get('classifier.0.weight')?.shape).toEqual([120, 400]);
    expect(loadMask(out).mask.get('features.3.weight')?.cols).toBe(150);
  });

  it('prune --weights with a PyTorch-style conv state_dict (magnitude keeps the top |w|)', async () => {
    const weights = join(dir, 'lenet.safetensors');
    const net = ConvNet.create({ spec: 'lenet5', seed: 9 });
    saveConvNetSafetensors(net, weights);
    const out = join(dir, 'lenet-mag.safetensors');
    const r = await cli(
      ...argv`prune --weights ${weights} --criterion magnitude --density 0.05 --out ${out} --json`,
    );
    expect(r.code).toBe(0);
    const { mask } = loadMask(out);
    // Reference: the k largest |w| over all layers.
    const all: number[] = [];
    for (const l of net.layers) for (const v of net.weight(l.index)) all.push(Math.abs(v));
    all.sort((a, b) => b - a);
    const k = Math.round(0.05 * all.length);
    let kept = 0;
    for (const l of net.layers) {
      const m = mask.get(l.weightName)!.toDense();
      net.weight(l.index).forEach((v, i) => {
        if (m[i]) {
          kept++;
          expect(Math.abs(v)).toBeGreaterThanOrEqual(all[k - 1]);
        }
      });
    }
    expect(kept).toBe(k);
  });

  it("prune --scores-out writes a conv layer's scores in the weight's layout [out, in, kh, kw]; --scores reads them back", async () => {
    const weights = join(dir, 'lenet-scored.safetensors');
    const net = ConvNet.create({ spec: 'lenet5', seed: 5 });
    saveConvNetSafetensors(net, weights);
    const [out, scores, again] = ['m.safetensors', 's.safetensors', 'm2.safetensors'].map((f) =>
      join(dir, `scored-${f}`),
    );
    const common = ['--density', '0.05', '--json'];
    const r = await cli(
      ...argv`prune --weights ${weights} --criterion magnitude --out ${out} --scores-out ${scores}`,
      ...common,
    );
    expect(r.code).toBe(0);
    const stored = readSafetensors(scores).tensors;
    const conv = stored.get('features.3.weight');
    expect(conv?.shape).toEqual([16, 6, 5, 5]);
    expect(stored.get('classifier.0.weight')?.shape).toEqual([120, 400]);
    // Magnitude scores are |w|, element by element in the weight's own (PyTorch) order.
    const w = readSafetensors(weights).tensors.get('features.3.weight')?.data as Float32Array;
    expect(conv?.data).toEqual(w.map(Math.abs));
    const back = await cli('prune', '--scores', scores, '--out', again, ...common);
    expect(back.code).toBe(0);
    expect(readSafetensorsHeader(again).entries.get('features.3.weight')?.shape).toEqual([16, 6, 5, 5]);
    const [m1, m2] = [loadMask(out).mask, loadMask(again).mask];
    for (const [name, m] of m1) expect(m2.get(name)?.equals(m)).toBe(true);
    net.dispose();
  });

  it('train --net conv:… under a pruned mask: pruned weights stay zero; the checkpoint reads back with --weights', async () => {
    const spec = 'conv:input 1x8x8 | f: conv(4,3,padding=1) relu maxpool(2) | c: linear(3)';
    const { inputs, labels, count } = brightThirdBatch(90, 'conv-cli-train');
    writeNpy(join(dir, 'x.npy'), { dtype: 'F32', shape: [count, 64], data: inputs });
    writeNpy(join(dir, 'y.npy'), { dtype: 'I32', shape: [count], data: labels });
    const mask = join(dir, 'small-mask.safetensors');
    const data = ['--data', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy')];
    const p = await cli(
      'prune',
      '--net',
      spec,
      '--seed',
      '4',
      '--criterion',
      'snip',
      '--density',
      '0.5',
      ...data,
      '--samples',
      '30',
      '--out',
      mask,
    );
    expect(p.code).toBe(0);
    const out = join(dir, 'trained.safetensors');
    const t = await cli(
      'train',
      '--net',
      spec,
      '--seed',
      '4',
      '--mask',
      mask,
      ...data,
      '--epochs',
      '3',
      '--batch',
      '16',
      '--lr',
      '0.05',
      '--out',
      out,
      '--json',
    );
    expect(t.stderr).not.toMatch(/error|warning/);
    expect(t.code).toBe(0);
    const summary = JSON.parse(t.stdout);
    expect(summary.epochs).toHaveLength(3);
    expect(summary.epochs[2].trainAccuracy).toBeGreaterThan(0.9);
    const trained = loadConvNetSafetensors(out);
    const m = loadMask(mask).mask;
    for (const l of trained.layers) {
      const bits = m.get(l.weightName)!.toDense();
      trained.weight(l.index).forEach((v, i) => {
        if (!bits[i]) expect(v).toBe(0);
      });
    }
    const again = await cli(
      ...argv`prune --weights ${out} --criterion magnitude --density 0.2
      --out ${join(dir, 'again.safetensors')}`,
    );
    expect(again.code).toBe(0);
  });

  it('graphon, inspect and cut on a LeNet-5 mask: kernel graph, channel graph (--graph channel)', async () => {
    const mask = join(dir, 'lenet-rand.safetensors');
    expect(
      (await cli('prune', '--net', 'lenet5', '--criterion', 'random', '--density', '0.3', '--out', mask))
        .code,
    ).toBe(0);
    const kernelOut = join(dir, 'kernel-graphon');
    const k = await cli(
      ...argv`graphon ${mask} --layer features.3.weight --blocks 4x10 --no-figure --out ${kernelOut}
      --json`,
    );
    expect(k.code).toBe(0);
    expect(JSON.parse(k.stdout).shape).toEqual([16, 150]);
    const channelOut = join(dir, 'channel-graphon');
    const c = await cli(
      ...argv`graphon ${mask} --layer features.3.weight --graph channel --no-figure
      --out ${channelOut} --json`,
    );
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const summary = JSON.parse(c.stdout);
    expect([summary.rowBlocks, summary.colBlocks]).toEqual([16, 6]);
    // The channel graphon's values are the kept fractions of the 16 × 6 kernels (in canonical order).
    const values = Array.from(readNpy(join(channelOut, 'graphon.npy')).data as Float64Array).sort();
    const m = (await import('@graphon-pai/masks')).loadMask(mask).mask.get('features.3.weight')!;
    const F = Array.from(channelGraph(m, [16, 6, 5, 5]).data).sort();
    expect(values).toEqual(F);
    expect(JSON.parse(readFileSync(join(channelOut, 'estimate.json'), 'utf8')).tensorShape).toEqual([
      16, 6, 5, 5,
    ]);
    const lin = await cli(
      ...argv`graphon ${mask} --layer classifier.0.weight --graph channel --out ${join(dir, 'no')}`,
    );
    expect(lin.code).toBe(2);
    expect(lin.stderr).toMatch(/\[out, in, kh, kw\]/);
    const inspect = await cli('inspect', mask, '--json');
    expect(inspect.code).toBe(0);
    const other = join(dir, 'lenet-rand-2.safetensors');
    expect(
      (await cli(...argv`prune --net lenet5 --seed 1 --criterion random --density 0.3 --out ${other}`)).code,
    ).toBe(0);
    const cut = await cli('cut', mask, other, '--layer', 'features.3.weight', '--json');
    expect(cut.code).toBe(0);
    // Two independent uniform masks of one density: a small cut distance.
    expect(JSON.parse(cut.stdout).estimate).toBeLessThan(0.1);
  });

  it('bad input: an unknown network, a conv spec whose kernel does not fit', async () => {
    const out = join(dir, 'x.safetensors');
    const a = await cli(...argv`prune --net resnet18 --criterion magnitude --density 0.1 --out ${out}`);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/lenet5/);
    const b = await cli(
      ...argv`prune --net ${'conv:input 1x4x4 | f: conv(2,5) | c: linear(3)'} --criterion magnitude
      --density 0.1 --out ${out}`,
    );
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/f\.0 \(conv\): kernel/);
  });
});
