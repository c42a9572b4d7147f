import { BitMatrix, type NetworkMask } from '@graphon-pai/core';
import { maskStatistics } from './statistics';
import { formatMaskStatistics } from './statistics-table';

describe('formatMaskStatistics', () => {
  it('prints the title, one aligned line per layer and the network statistics of a hand-counted mask', () => {
    // Layer 0 (3 × 4): hidden 1 has no input; layer 1 (2 × 3). Paths: o0 via h0 (2), o1 via h2 (2) → 4;
    // effective nodes per level: inputs 0, 1, 3; hidden 0, 2; outputs 0, 1.
    const mask: NetworkMask = new Map([
      ['0.weight', BitMatrix.fromDense(3, 4, Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]))],
      ['1.weight', BitMatrix.fromDense(2, 3, Uint8Array.from([1, 1, 0, 0, 0, 1]))],
    ]);
    const lines = formatMaskStatistics('hand', maskStatistics(mask)).split('\n');
    expect(lines[0]).toBe('mask hand: 7 of 18 weights kept (density 0.3889)');
    expect(lines[1]).toBe(
      'layer     shape  density  kept  fan-in min/mean/max  fan-out min/mean/max  empty rows  empty cols',
    );
    expect(lines[2]).toBe(
      '0.weight  3x4    0.3333   4     0/1.33/2             0/1/2                 1           1',
    );
    expect(lines[3]).toBe(
      '1.weight  2x3    0.5000   3     1/1.50/2             1/1/1                 0           0',
    );
    expect(lines.slice(4)).toEqual([
      'effective paths: exp(1.38629)',
      'effective hidden nodes: 2 (per level: 3, 2, 2)',
      'effective params: 6 (effective density 0.3333)',
      'layer collapse: no',
    ]);
  });

  it('says when a collapsed network has no path, and prints 200,000 layers without overflowing the stack', () => {
    const collapsed: NetworkMask = new Map([
      ['0.weight', BitMatrix.fromDense(2, 2, Uint8Array.from([1, 0, 0, 0]))],
      ['1.weight', BitMatrix.fromDense(1, 2, Uint8Array.from([0, 1]))],
    ]);
    const text = formatMaskStatistics('c', maskStatistics(collapsed, { onCollapse: 'ignore' }));
    expect(text).toMatch(/^effective paths: 0$/m);
    expect(text).toMatch(/^layer collapse: yes/m);
    const many: NetworkMask = new Map();
    for (let i = 0; i < 200_000; i++) many.set(`l${i}`, BitMatrix.fromDense(1, 1, Uint8Array.of(1)));
    const table = formatMaskStatistics('many', maskStatistics(many, { onCollapse: 'ignore' }));
    expect(table.split('\n').length).toBeGreaterThan(200_000);
  });
});
