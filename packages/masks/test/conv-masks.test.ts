/**
 * 4-D (convolution) layers through every scope and allocation, and mask files in PyTorch's
 * `[out, in, kh, kw]` layout. LeNet-5's shapes: two convolutions `[6, 1, 5, 5]`, `[16, 6, 5, 5]`, three
 * linear layers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BitMatrix, encodeSafetensors, FormatError, type LayerShape, Rng } from '@graphon-pai/core';
import { ConvNet } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { allocateCounts, erkFactor } from '../src/allocation';
import { loadMask, saveMask } from '../src/mask-files';
import { maskFromScores } from '../src/mask-from-scores';
import { prune } from '../src/prune';
import { makeScores, masksEqual, referenceTopK, totalNnz } from './helpers/reference';

const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
const shapes = net.shapes();
const rng = new Rng('conv-masks');
const scores = makeScores(
  [...shapes].map(([name, s]) => [
    name,
    s,
    rng.uniformArray(s.rows * s.cols, 0, 1, new Float64Array(s.rows * s.cols)),
  ]),
);
const N = [...shapes.values()].reduce((a, s) => a + s.rows * s.cols, 0);

describe('convolution layers in every scope and allocation', () => {
  test('shapes carry [out, in, kh, kw]; rows × cols is the row-major view', () => {
    expect(shapes.get('features.3.weight')).toEqual({ rows: 16, cols: 150, tensorShape: [16, 6, 5, 5] });
  });

  test('ERK uses the kernel dimensions: (n_in + n_out + kh + kw) / (n_in · n_out · kh · kw)', () => {
    expect(erkFactor(shapes.get('features.3.weight')!)).toBeCloseTo((6 + 16 + 5 + 5) / (6 * 16 * 5 * 5), 15);
    expect(erkFactor(shapes.get('features.3.weight')!, 1, false)).toBeCloseTo((6 + 16) / (6 * 16), 15);
    expect(erkFactor(shapes.get('classifier.0.weight')!)).toBeCloseTo((120 + 400) / (120 * 400), 15);
    // At 10 % no layer saturates: k_l = ε r_l N_l up to rounding, with one ε solving Σ ε r_l N_l = d N.
    const counts = allocateCounts(shapes, 0.1, 'erk');
    const eps = (0.1 * N) / [...shapes.values()].reduce((a, s) => a + erkFactor(s) * s.rows * s.cols, 0);
    expect(Math.max(...[...shapes.values()].map((s) => eps * erkFactor(s)))).toBeLessThan(1);
    for (const [name, s] of shapes) {
      expect(Math.abs(counts.get(name)! - eps * erkFactor(s) * s.rows * s.cols)).toBeLessThan(1);
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(Math.round(0.1 * N));
  });

  test.each([
    'global',
    'layerwise',
    'uniform',
    'erk',
    { kind: 'erk', kernel: false },
    'first-last',
    {
      kind: 'explicit',
      densities: {
        'features.0.weight': 1,
        'features.3.weight': 0.5,
        'classifier.0.weight': 0.05,
        'classifier.2.weight': 0.2,
        'classifier.4.weight': 1,
      },
    },
  ] as const)(
    'allocation %j: exact counts, each layer the top-k of its scores (global: of all scores)',
    (allocation) => {
      const density = 0.2;
      const mask = maskFromScores(scores, { density, allocation: allocation as never });
      expect([...mask.keys()]).toEqual([...shapes.keys()]);
      for (const [name, m] of mask)
        expect([m.rows, m.cols]).toEqual([shapes.get(name)!.rows, shapes.get(name)!.cols]);
      if (allocation === 'global') {
        expect(totalNnz(mask)).toBe(Math.round(density * N));
        expect(masksEqual(mask, referenceTopK(scores, Math.round(density * N)))).toBe(true);
        return;
      }
      for (const [name, m] of mask) {
        const layer = new Map([[name, scores.get(name)!]]);
        expect(m.equals(referenceTopK(layer, m.nnz()).get(name)!)).toBe(true);
      }
    },
  );

  test('induced allocation from a global conv mask reproduces its layer counts', () => {
    const global = maskFromScores(scores, { density: 0.15 });
    const induced = maskFromScores(scores, { density: 0.15, allocation: { kind: 'induced', mask: global } });
    for (const [name, m] of global) expect(induced.get(name)!.nnz()).toBe(m.nnz());
  });
});

describe('mask files keep [out, in, kh, kw]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conv-masks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mask = maskFromScores(scores, { density: 0.3, allocation: 'erk' });

  test('saved with the network shapes: 4-D tensors, loaded back equal and matched to the network', () => {
    const file = join(dir, 'lenet.safetensors');
    saveMask(file, mask, { shapes });
    const loaded = loadMask(file, { expect: shapes });
    expect(masksEqual(loaded.mask, mask)).toBe(true);
    expect(loaded.tensorShapes.get('features.0.weight')).toEqual([6, 1, 5, 5]);
    expect(loaded.tensorShapes.get('features.3.weight')).toEqual([16, 6, 5, 5]);
    expect(loaded.tensorShapes.has('classifier.0.weight')).toBe(false);
  });

  test('a PyTorch mask with another 4-D layout for a layer is refused, naming both shapes', () => {
    const tensors = new Map(
      [...mask].map(([name, m]) => {
        const s = shapes.get(name) as LayerShape;
        const shape =
          name === 'features.3.weight' ? [16, 6, 25, 1] : [...(s.tensorShape ?? [s.rows, s.cols])];
        return [name, { dtype: 'BOOL' as const, shape, data: m.toDense() }];
      }),
    );
    const file = join(dir, 'torch.safetensors');
    writeFileSync(file, encodeSafetensors(tensors, { format: 'pt' }));
    expect(() => loadMask(file, { expect: shapes })).toThrow(FormatError);
    expect(() => loadMask(file, { expect: shapes })).toThrow(
      /features\.3\.weight.*\[16, 6, 25, 1\].*\[16, 6, 5, 5\]/,
    );
    // Without the expected shapes the file reads as out × rest.
    expect(
      loadMask(file)
        .mask.get('features.3.weight')!
        .equals(mask.get('features.3.weight') as BitMatrix),
    ).toBe(true);
  });
});

describe('prune() on a conv network', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  const data = { ...syntheticImages(32), classes: 10 };

  test.each([
    ['snip', 'global', undefined],
    ['grasp', 'erk', undefined],
    ['synflow', 'layerwise', { kind: 'iterative', rounds: 5, shape: 'exponential' }],
  ] as const)(
    '%s / %s: exact density, [out, in·kh·kw] masks, the conv chain in the statistics',
    async (criterion, allocation, schedule) => {
      const { mask, statistics, provenance } = await prune({
        network: net,
        criterion,
        density: 0.1,
        seed: 0,
        data,
        allocation,
        schedule: schedule as never,
      });
      expect(mask.get('features.3.weight')!.rows).toBe(16);
      expect(mask.get('features.3.weight')!.cols).toBe(150);
      const kept = totalNnz(mask);
      if (allocation === 'layerwise') {
        for (const [name, s] of shapes) expect(mask.get(name)!.nnz()).toBe(Math.round(0.1 * s.rows * s.cols));
      } else expect(kept).toBe(Math.round(0.1 * N));
      expect(statistics.network).not.toBeNull();
      expect(provenance.criterion).toContain(criterion);
    },
  );
});

/** Seeded standard-normal 28 × 28 images with balanced labels. */
function syntheticImages(count: number) {
  const r = new Rng('conv-prune');
  const inputs = r.normalArray(count * 784, 0, 1, new Float32Array(count * 784));
  const labels = Int32Array.from({ length: count }, (_, i) => i % 10);
  return { inputs, count, features: 784, labels };
}
