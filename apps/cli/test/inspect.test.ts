import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix, type NetworkMask } from '@graphon-pai/core';
import { saveMask } from '@graphon-pai/masks';
import { cli, tempFolder } from './helpers';

/**
 * A two-layer mask small enough to count by hand:
 *   layer 0 (3 hidden × 4 inputs)      layer 1 (2 outputs × 3 hidden)
 *     1 1 0 0                            1 1 0
 *     0 0 0 0   (hidden 1: no input)     0 0 1
 *     0 1 0 1
 * Paths input→output: o0 via h0 (inputs 0, 1) = 2, o1 via h2 (inputs 1, 3) = 2 → 4.
 * Effective params: layer 0 all 4 kept; layer 1 only (o0,h0) and (o1,h2) → 6 of 7 kept, 18 weights.
 */
function handMask(): NetworkMask {
  return new Map([
    ['0.weight', BitMatrix.fromDense(3, 4, Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]))],
    ['1.weight', BitMatrix.fromDense(2, 3, Uint8Array.from([1, 1, 0, 0, 0, 1]))],
  ]);
}

describe('inspect', () => {
  const dir = tempFolder('gp-inspect-');

  it('reports per-layer and network statistics that match a hand count (--json)', async () => {
    const file = join(dir, 'hand.safetensors');
    saveMask(file, handMask(), { metadata: { criterion: 'hand', seed: 7 } });
    const r = await cli('inspect', file, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.criterion).toBe('hand');
    expect(s.total).toBe(18);
    expect(s.kept).toBe(7);
    expect(s.density).toBeCloseTo(7 / 18, 12);
    const [a, b] = s.layers;
    expect(a).toMatchObject({ name: '0.weight', rows: 3, cols: 4, kept: 4, emptyRows: 1, emptyCols: 1 });
    expect(a.density).toBeCloseTo(4 / 12, 12);
    expect(a.rowDegrees).toMatchObject({ min: 0, max: 2, zeros: 1 });
    expect(a.rowDegrees.mean).toBeCloseTo(4 / 3, 12);
    expect(a.colDegrees).toMatchObject({ min: 0, max: 2, zeros: 1 });
    expect(b).toMatchObject({ name: '1.weight', kept: 3, emptyRows: 0, emptyCols: 0 });
    expect(s.network.effectivePaths).toBe(4);
    expect(s.network.logEffectivePaths).toBeCloseTo(Math.log(4), 12);
    expect(s.network.effectiveNodes).toBe(2);
    expect(s.network.effectiveParams).toBe(6);
    expect(s.network.effectiveDensity).toBeCloseTo(6 / 18, 12);
    expect(s.network.collapsed).toBe(false);
  });

  it('prints a human table and flags layer collapse', async () => {
    const collapsed: NetworkMask = new Map([
      ['0.weight', BitMatrix.fromDense(2, 2, Uint8Array.from([1, 0, 0, 0]))],
      ['1.weight', BitMatrix.fromDense(1, 2, Uint8Array.from([0, 1]))],
    ]);
    const file = join(dir, 'collapsed.safetensors');
    saveMask(file, collapsed);
    const r = await cli('inspect', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 of 6 weights kept/);
    expect(r.stdout).toMatch(/^0\.weight\s+2x2\s+0\.25\d*\s+1\s/m);
    expect(r.stdout).toMatch(/effective paths: 0/);
    expect(r.stdout).toMatch(/layer collapse: yes/);
    const json = JSON.parse((await cli('inspect', file, '--json')).stdout);
    expect(json.network.collapsed).toBe(true);
    expect(json.network.logEffectivePaths).toBe('-Infinity');
  });

  it.each([
    ['missing', (d: string) => join(d, 'nope.safetensors')],
    [
      'corrupt',
      (d: string) => {
        const f = join(d, 'corrupt.safetensors');
        writeFileSync(f, 'not a safetensors file at all');
        return f;
      },
    ],
  ])('a %s file exits 2 with a one-line error naming it', async (_label, make) => {
    const file = make(dir);
    const r = await cli('inspect', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(file);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
