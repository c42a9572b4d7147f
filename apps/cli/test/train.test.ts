import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix, Rng, readSafetensorsHeader, writeNpy } from '@graphon-pai/core';
import { loadMask, saveMask } from '@graphon-pai/masks';
import { loadMlpSafetensors, Mlp, saveMlpSafetensors } from '@graphon-pai/nets';
import { setupEngine } from '../src/engine';
import { argv, cli, cliRoot, expectHelpShows, tempFolder, tsxLoader } from './helpers';

jest.setTimeout(120_000);

/** Three Gaussian clusters in 8 dimensions, labels 0–2. */
function writeTask(dir: string, name: string, count: number, seed: number, scale = 1): void {
  const rng = new Rng(seed);
  const x = new Float32Array(count * 8);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    y[n] = n % 3;
    for (let j = 0; j < 8; j++) x[n * 8 + j] = scale * ((j === y[n] ? 3 : 0) + rng.normal());
  }
  writeNpy(join(dir, `${name}-x.npy`), { dtype: 'F32', shape: [count, 8], data: x });
  writeNpy(join(dir, `${name}-y.npy`), { dtype: 'I32', shape: [count], data: y });
}

describe('train', () => {
  const dir = tempFolder('gp-train-');
  let data: string[];
  beforeAll(async () => {
    await setupEngine();
    writeTask(dir, 'train', 300, 1);
    writeTask(dir, 'test', 90, 2);
    writeTask(dir, 'huge', 300, 1, 1e4);
    data = ['--data', join(dir, 'train-x.npy'), '--labels', join(dir, 'train-y.npy')];
    data.push('--test-data', join(dir, 'test-x.npy'), '--test-labels', join(dir, 'test-y.npy'));
    const net = Mlp.create({ widths: [8, 16, 3], seed: 5 });
    saveMlpSafetensors(net, join(dir, 'init.safetensors'));
    const rng = new Rng(3);
    saveMask(
      join(dir, 'mask.safetensors'),
      new Map(
        net.layers.map((l) => [
          l.weightName,
          BitMatrix.from(l.shape.rows, l.shape.cols, () => rng.uniform() < 0.4),
        ]),
      ),
    );
    net.dispose();
  });

  const train = (...args: string[]) =>
    cli('train', '--weights', join(dir, 'init.safetensors'), ...data, '--batch', '32', ...args);

  it('trains under the mask: pruned weights exactly zero, --json per epoch, checkpoint readable by --weights', async () => {
    const out = join(dir, 'trained.safetensors');
    const mask = join(dir, 'mask.safetensors');
    const r = await train(
      '--mask',
      mask,
      '--epochs',
      '6',
      '--optimizer',
      'adam',
      '--lr',
      '0.05',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.epochs).toHaveLength(6);
    for (const e of summary.epochs) {
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining(['epoch', 'trainLoss', 'testLoss', 'testAccuracy']),
      );
    }
    expect(summary.testAccuracy).toBeGreaterThan(0.9); // separable clusters
    expect(summary.testAccuracy).toBe(summary.epochs[5].testAccuracy);
    expect(summary.epochs[5].testLoss).toBeLessThan(summary.epochs[0].testLoss);
    expect(summary.mask.file).toBe(mask);
    const trained = loadMlpSafetensors(out);
    const init = loadMlpSafetensors(join(dir, 'init.safetensors'));
    const { mask: m } = loadMask(mask);
    for (const layer of trained.layers) {
      const bits = m.get(layer.weightName)!.toDense();
      const w = trained.weight(layer.index);
      const w0 = init.weight(layer.index);
      let prunedNonZero = 0;
      let keptMoved = 0;
      for (let i = 0; i < w.length; i++) {
        if (!bits[i] && w[i] !== 0) prunedNonZero++;
        if (bits[i] && w[i] !== w0[i]) keptMoved++;
      }
      expect(prunedNonZero).toBe(0);
      // Kept weights move, except those into ReLU units that are dead on every example.
      expect(keptMoved).toBeGreaterThan(0.5 * m.get(layer.weightName)!.nnz());
    }
    expect(readSafetensorsHeader(out).metadata).toMatchObject({
      format: 'graphon-pai/mlp',
      epochs: '6',
      mask,
    });
    trained.dispose();
    init.dispose();
    // The checkpoint trains on with --weights; a checkpoint is replaced by a checkpoint, never an input.
    const next = join(dir, 'next.safetensors');
    const more = (target: string) =>
      cli('train', '--weights', out, ...data, '--mask', mask, '--lr', '0.001', '--out', target, '--json');
    for (let run = 0; run < 2; run++) {
      const again = await more(next);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).network).toBe('mlp:8-16-3');
    }
    const input = await more(out);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/--out .*not one of the inputs/);
  });

  it('the same seed gives a bit-identical checkpoint', async () => {
    const run = async (seed: string, name: string) => {
      const out = join(dir, name);
      const r = await train('--epochs', '2', '--seed', seed, '--out', out);
      expect(r.code).toBe(0);
      return readFileSync(out);
    };
    const a = await run('4', 'a.safetensors');
    expect(a.equals(await run('4', 'b.safetensors'))).toBe(true);
    expect(a.equals(await run('5', 'c.safetensors'))).toBe(false);
  });

  it('bad input: mask shapes, labels outside the classes, options; exit code 2 and nothing written', async () => {
    const out = join(dir, 'bad.safetensors');
    const other = Mlp.create({ widths: [8, 12, 3], seed: 1 });
    saveMask(join(dir, 'other-mask.safetensors'), new Map([['0.weight', BitMatrix.from(12, 8, () => true)]]));
    other.dispose();
    const shape = await train('--mask', join(dir, 'other-mask.safetensors'), '--out', out);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/--mask\['0.weight'\] must be a 16 × 8 mask; got "12 × 8"/);
    writeNpy(join(dir, 'y5.npy'), { dtype: 'I32', shape: [300], data: new Int32Array(300).fill(5) });
    const labels = await cli(
      ...argv`train --weights ${join(dir, 'init.safetensors')} --data ${join(dir, 'train-x.npy')}
      --labels ${join(dir, 'y5.npy')} --out ${out}`,
    );
    expect(labels.code).toBe(2);
    expect(labels.stderr).toMatch(/label/);
    for (const [flag, value, message] of [
      ['--lr', '0', /--lr/],
      ['--momentum', '1', /--momentum/],
      ['--schedule', 'step:0', /--schedule/],
      ['--epochs', '1.5', /--epochs/],
    ] as const) {
      const r = await train(flag, value, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const mnist = await cli('train', '--net', 'mlp:8-4-3', '--data', 'mnist');
    expect(mnist.stderr).toMatch(/784 inputs/);
    expect(existsSync(out)).toBe(false);
  });

  it('a diverging run stops naming the epoch and step; the last good epoch is kept as the checkpoint', async () => {
    const out = join(dir, 'diverged.safetensors');
    const args = ['--weights', join(dir, 'init.safetensors'), '--batch', '30', '--out', out, '--epochs', '3'];
    const huge = ['--data', join(dir, 'huge-x.npy'), '--labels', join(dir, 'huge-y.npy')];
    // Epoch 1 at η = 1e-3 is fine; the step schedule multiplies η by 1e12 for epoch 2, which diverges.
    const late = await cli('train', ...args, ...huge, '--lr', '1e-3', '--schedule', 'step:1:1e12');
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/training diverged at epoch 2, step \d+ of 10: the loss is (NaN|Infinity)/);
    expect(late.stderr).toMatch(/the parameters after epoch 1, the last good one, are in/);
    expect(readSafetensorsHeader(out).metadata).toMatchObject({ epochs: '1', format: 'graphon-pai/mlp' });
    expect(readSafetensorsHeader(out).metadata.stopped).toMatch(/epoch 2/);
    rmSync(out);
    const early = await cli('train', ...args, ...huge, '--lr', '1e9');
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/training diverged at epoch 1, step \d+ of 10/);
    expect(early.stderr).toMatch(/no epoch completed, so .* was not written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('an interrupted run leaves no checkpoint and no staging file', async () => {
    const out = join(dir, 'interrupted.safetensors');
    const bin = join(cliRoot, 'src', 'bin.ts');
    // MNIST, several epochs: long enough to be interrupted after the first epoch line.
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader,
        '--conditions=source',
        bin,
        'train',
        '--net',
        'mlp:784-64-10',
        '--epochs',
        '20',
        '--out',
        out,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (/train 1\/20/.test(stderr)) child.kill('SIGINT');
      });
      child.on('exit', (c, signal) => resolve(c ?? (signal ? -1 : null)));
    });
    expect(stderr).toMatch(/train 1\/20/);
    expect(code).not.toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.interrupted'))).toEqual([]);
  });

  it('--help shows the two-command Synaptic-Flow chain', async () => {
    await expectHelpShows('train', [
      /prune --net mlp:784-300-100-10 --criterion synflow[\s\S]*&& graphon-pai train/,
    ]);
  });
});
