/**
 * Hostile inputs through the commands: each is a one-line error (exit 2) within a time
 * bound, before the memory its header implies is allocated.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensorsHeader, writeNpy, writeSafetensors } from '@graphon-pai/core';
import { argv, cli, tempFolder } from './helpers';

jest.setTimeout(60_000);

const dir = tempFolder('gp-hostile-');

/** Runs the CLI and returns its result and the wall time. */
async function timedCli(...args: string[]) {
  const t0 = performance.now();
  const r = await cli(...args);
  return { ...r, ms: performance.now() - t0 };
}

function expectOneLineError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('hostile inputs', () => {
  it('a 160-byte mask declaring a [0, 1e9] BOOL tensor: every mask command refuses it at once', async () => {
    const file = join(dir, 'zero.safetensors');
    const header = JSON.stringify({
      __metadata__: { format: 'graphon-pai/mask' },
      m: { dtype: 'BOOL', shape: [0, 1e9], data_offsets: [0, 0] },
    });
    const bytes = new Uint8Array(8 + header.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    writeFileSync(file, bytes);
    expect(bytes.length).toBeLessThanOrEqual(160);
    for (const args of [
      ['bounds', file, '--no-ntk'],
      ['inspect', file],
      ['cut', file],
      ['graphon', file, '--out', join(dir, 'g')],
    ]) {
      const r = await timedCli(...args);
      expectOneLineError(r, /implies 7\.45 GiB in memory, above the read budget of 2\.00 GiB/);
      expect(r.ms).toBeLessThan(2000);
    }
  });

  it('a header of 200,000 layers: inspect refuses it before parsing (no stack overflow)', async () => {
    const layout = Array.from(
      { length: 200_000 },
      (_, i) => [`l${i}`, { dtype: 'BOOL' as const, shape: [1, 1] }] as const,
    );
    const header = encodeSafetensorsHeader(layout, { format: 'graphon-pai/mask' });
    const bytes = new Uint8Array(header.length + 200_000).fill(1);
    bytes.set(header);
    const file = join(dir, 'many.safetensors');
    writeFileSync(file, bytes);
    const r = await timedCli('inspect', file);
    expectOneLineError(r, /holds 200001 entries, above the limit of 65536 tensors per file/);
    expect(r.ms).toBeLessThan(3000);
  });

  it('a .npy within the file limits but above a lowered budget is refused by cut', async () => {
    const file = join(dir, 'wide.npy');
    writeNpy(file, { dtype: 'F64', shape: [1, 100_000], data: new Float64Array(100_000) });
    const saved = process.env.GRAPHON_PAI_MAX_READ_BYTES;
    process.env.GRAPHON_PAI_MAX_READ_BYTES = String(500_000);
    try {
      expectOneLineError(
        await cli('cut', file),
        /wide\.npy: the array \(<f8, shape \(1, 100000\)\) implies 1\.5 MiB/,
      );
    } finally {
      if (saved === undefined) delete process.env.GRAPHON_PAI_MAX_READ_BYTES;
      else process.env.GRAPHON_PAI_MAX_READ_BYTES = saved;
    }
  });

  it('prune --density 1e-300 keeps no weight: an error, not an empty mask', async () => {
    const scores = join(dir, 's.safetensors');
    writeSafetensors(scores, {
      w: { dtype: 'F32', shape: [4, 5], data: Float32Array.from({ length: 20 }, (_, i) => i) },
    });
    const r = await cli(
      ...argv`prune --scores ${scores} --density 1e-300 --out ${join(dir, 'm.safetensors')}`,
    );
    expectOneLineError(r, /--density must be a kept fraction that keeps at least one of the 20 weights/);
  });

  it('experiment --densities 1e-300 keeps no weight of the studied mask: an error before any job', async () => {
    const r = await cli(
      ...argv`experiment --preset uat --widths 40 --densities 0.5,1e-300 --criteria random --seeds 0
      --out ${join(dir, 'never')}`,
    );
    expectOneLineError(r, /--densities must be a kept fraction that keeps at least one of the 31360 weights/);
  });

  it.each([
    ['fractional', Float64Array.from([0, 1.5, 1, 0]), /label 1\.5 at index 1/],
    ['NaN', Float64Array.from([0, 1, Number.NaN, 0]), /label NaN at index 2/],
    [
      'out-of-range',
      Float64Array.from([0, 1, 2, 7]),
      /label 7 at index 3 is not an integer class in \[0, 3\)/,
    ],
  ])('prune with %s labels is refused', async (_what, labels, message) => {
    const x = join(dir, 'x.npy');
    const y = join(dir, 'y.npy');
    writeNpy(x, { dtype: 'F32', shape: [4, 5], data: Float32Array.from({ length: 20 }, (_, i) => i / 20) });
    writeNpy(y, { dtype: 'F64', shape: [4], data: labels });
    const r = await cli(
      ...argv`prune --net mlp:5-4-3 --criterion snip --data ${x} --labels ${y} --samples 4
      --density 0.5 --out ${join(dir, 'p.safetensors')}`,
    );
    expectOneLineError(r, message);
  });
});
