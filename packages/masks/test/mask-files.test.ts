import { BitMatrix, type LayerShape, type NetworkMask, Rng } from '@graphon-pai/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMask, MASKS_VERSION, type Provenance, saveMask } from '../src';
import { masksEqual } from './helpers/reference';

const fixtures = join(__dirname, 'fixtures', 'torch-masks');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'masks-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomMask(seed: number): NetworkMask {
  const rng = new Rng(seed);
  return new Map([
    ['0.weight', BitMatrix.from(7, 33, () => rng.bernoulli(0.3))],
    ['2.weight', BitMatrix.from(4, 7, () => rng.bernoulli(0.5))],
  ]);
}

describe('saveMask / loadMask', () => {
  it('round-trips masks, metadata and the provenance record', () => {
    const mask = randomMask(1);
    const provenance = {
      criterion: 'graphon-pai/snip',
      criterionPlugin: { name: '@graphon-pai/saliency', version: '0.1.0' },
      options: {},
      density: 0.3,
      kept: 80,
      total: 259,
      allocation: 'global',
      schedule: { kind: 'one-shot' },
      seed: 7,
      nonFinite: 'error',
      packages: { '@graphon-pai/masks': MASKS_VERSION },
      createdAt: '2026-01-01T00:00:00.000Z',
    } as Provenance;
    const path = join(dir, 'm.safetensors');
    saveMask(path, mask, { provenance });
    const loaded = loadMask(path, {
      expect: new Map([...mask].map(([n, m]) => [n, { rows: m.rows, cols: m.cols }])),
    });
    expect(masksEqual(loaded.mask, mask)).toBe(true);
    expect([...loaded.mask.keys()]).toEqual(['0.weight', '2.weight']);
    expect(loaded.provenance).toEqual(provenance);
    expect(loaded.metadata.criterion).toBe('graphon-pai/snip');
    expect(loaded.metadata.seed).toBe(7);
    expect(loaded.metadata.toolVersion).toBe(`@graphon-pai/masks@${MASKS_VERSION}`);
  });

  it('loads a PyTorch-style file (bool and uint8 tensors, `_mask` buffer names, format "pt")', () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
    const raw = loadMask(join(fixtures, 'torch_masks.safetensors'));
    expect(raw.rawMetadata.format).toBe('pt');
    for (const name of ['0.weight_mask', '2.weight', '4.weight']) {
      expect(Array.from(raw.mask.get(name)!.toDense())).toEqual(expected[name]);
    }
    const shapes = new Map<string, LayerShape>([
      ['0.weight', { rows: 6, cols: 7 }],
      ['2.weight', { rows: 5, cols: 6 }],
      ['4.weight', { rows: 3, cols: 5 }],
    ]);
    const matched = loadMask(join(fixtures, 'torch_masks.safetensors'), { expect: shapes }).mask;
    expect([...matched.keys()]).toEqual(['0.weight', '2.weight', '4.weight']);
    expect(Array.from(matched.get('0.weight')!.toDense())).toEqual(expected['0.weight_mask']);
    let nnz = 0;
    for (const m of matched.values()) nnz += m.nnz();
    expect(nnz).toBe(expected.__nnz__);
  });

  it('names missing, mis-shaped and unknown layers', () => {
    const path = join(dir, 'x.safetensors');
    saveMask(path, randomMask(2));
    expect(() => loadMask(path, { expect: new Map([['0.weight', { rows: 7, cols: 33 }]]) })).toThrow(
      /unknown layers: 2.weight/,
    );
    expect(() =>
      loadMask(path, {
        expect: new Map([
          ['0.weight', { rows: 7, cols: 32 }],
          ['2.weight', { rows: 4, cols: 7 }],
        ]),
      }),
    ).toThrow(/'0.weight' is 7 × 33; layer '0.weight' is 7 × 32/);
    expect(() => loadMask(path, { expect: new Map([['9.weight', { rows: 1, cols: 1 }]]) })).toThrow(
      /no mask for layer '9.weight'/,
    );
    expect(() => loadMask(join(dir, 'missing.safetensors'))).toThrow();
  });
});
