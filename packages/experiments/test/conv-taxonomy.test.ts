/**
 * The taxonomy preset's conv study end to end on a small case (LeNet-5's features.3 at multipliers 1 and 2,
 * a reduced scoring batch): the reported shapes, block distances recomputed independently from the masks
 * (canonical histograms and channel graphs built by hand, cut norms by brute force over every row subset),
 * the verdicts, the report files, the channel homogeneity test's calibration, and the configuration checks.
 */
import { BitMatrix, InvalidArgumentError, registry, Rng, selectionSample } from '@graphon-pai/core';
import { distribution } from '@graphon-pai/graphon';
import { maskFromScores } from '@graphon-pai/masks';
import { ConvNet, parseConvNetSpec, scaleConvNetWidth } from '@graphon-pai/nets';
import { randomScores, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { ensureBackend } from '@graphon-pai/testkit';
import { presetConfig } from '../src';
import { channelHomogeneityTest } from '../src/presets/taxonomy/channel-homogeneity';
import type { TaxonomyConfig } from '../src/presets/taxonomy/config';
import { type ConvJobResult, channelLimit } from '../src/presets/taxonomy/conv-job';
import { predictedLimit } from '../src/presets/taxonomy/predicted-limit';
import { taxonomyRecord } from '../src/presets/taxonomy/record';
import { taxonomyRun } from '../src/presets/taxonomy/run';
import { runPreset } from './helpers';

const SMALL: { preset: 'taxonomy' } & Partial<TaxonomyConfig> = {
  preset: 'taxonomy',
  net: 'lenet5',
  layer: 'features.3',
  widths: [1, 2],
  criteria: ['random', 'snip'],
  seeds: [0],
  samples: 32,
  bootstrap: 59,
};

/** The random criterion's mask of features.3 at multiplier m (seed 0), built without the preset's code. */
async function randomMask(m: number): Promise<BitMatrix> {
  const net = ConvNet.create({ spec: scaleConvNetWidth(parseConvNetSpec('lenet5'), m), seed: 0 });
  try {
    const scores = randomScores(net, new Rng(0));
    return maskFromScores(scores, { density: 0.1, allocation: 'uniform' }).get(
      'features.3.weight',
    ) as BitMatrix;
  } finally {
    net.dispose();
  }
}

/** Stable descending order of `values`. */
const descending = (values: number[]) =>
  values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);

/** Mean of `matrix` (rows × cols, already in canonical order) over K × L near-equal blocks ⌊a·n/K⌋. */
function blocks(matrix: number[][], K: number, L: number): number[][] {
  const rows = matrix.length;
  const cols = matrix[0].length;
  const cut = (n: number, k: number, a: number) => Math.floor((a * n) / k);
  return Array.from({ length: K }, (_, a) =>
    Array.from({ length: L }, (_, b) => {
      let s = 0;
      let n = 0;
      for (let i = cut(rows, K, a); i < cut(rows, K, a + 1); i++) {
        for (let j = cut(cols, L, b); j < cut(cols, L, b + 1); j++) {
          s += matrix[i][j];
          n++;
        }
      }
      return s / n;
    }),
  );
}

/** The kernel graph's canonical K × L histogram, by hand. */
function kernelHistogram(mask: BitMatrix, K: number, L: number): number[][] {
  const m = Array.from({ length: mask.rows }, (_, i) =>
    Array.from({ length: mask.cols }, (_, j): number => (mask.get(i, j) ? 1 : 0)),
  );
  const rowOrder = descending(m.map((r) => r.reduce((a, b) => a + b, 0)));
  const colOrder = descending(m[0].map((_, j) => m.reduce((s, r) => s + r[j], 0)));
  return blocks(
    rowOrder.map((i) => colOrder.map((j) => m[i][j])),
    K,
    L,
  );
}

/** The channel graph F (kept fraction of each out × in pair's 5 × 5 kernel), canonical, in K × L blocks. */
function channelHistogram(mask: BitMatrix, inChannels: number, K: number, L: number): number[][] {
  const kept = Array.from({ length: mask.rows }, (_, o) =>
    Array.from({ length: inChannels }, (_, c) => {
      let n = 0;
      for (let t = 0; t < 25; t++) n += mask.get(o, c * 25 + t) ? 1 : 0;
      return n;
    }),
  );
  // Channels ordered by their (integer) kept counts, descending, stable.
  const rowOrder = descending(kept.map((r) => r.reduce((a, b) => a + b, 0)));
  const colOrder = descending(kept[0].map((_, c) => kept.reduce((s, r) => s + r[c], 0)));
  return blocks(
    rowOrder.map((o) => colOrder.map((c) => kept[o][c] / 25)),
    K,
    L,
  );
}

/** ‖A − B‖_□ / (K·L) by brute force over every row subset (best column set in closed form). */
function bruteCut(A: number[][], B: number[][]): number {
  const K = A.length;
  const L = A[0].length;
  let best = 0;
  for (let S = 0; S < 1 << K; S++) {
    let pos = 0;
    let neg = 0;
    for (let b = 0; b < L; b++) {
      let c = 0;
      for (let a = 0; a < K; a++) if (S & (1 << a)) c += A[a][b] - B[a][b];
      if (c > 0) pos += c;
      else neg -= c;
    }
    best = Math.max(best, pos, neg);
  }
  return best / (K * L);
}

const constant = (K: number, L: number, p: number) =>
  Array.from({ length: K }, () => new Array<number>(L).fill(p));

let conv: Awaited<ReturnType<typeof runPreset<'taxonomy'>>>;

beforeAll(async () => {
  await ensureBackend('cpu');
  registerBuiltinCriteria(registry);
  conv = await runPreset(SMALL);
}, 120_000);

describe('taxonomy conv study (lenet5 features.3, multipliers 1, 2)', () => {
  it('reports the layer, its [O, C, kh, kw] at each multiplier and both graphs', () => {
    const random = conv.results[0] as ConvJobResult;
    expect(random.conv).toEqual(
      expect.objectContaining({ net: 'lenet5', layer: 'features.3.weight', wideMultiplier: 4 }),
    );
    expect(random.conv.wideShape).toEqual([64, 24, 5, 5]);
    expect(random.widths.map((w) => w.tensorShape)).toEqual([
      [16, 6, 5, 5],
      [32, 12, 5, 5],
    ]);
    const [one, two] = random.widths;
    expect([one.graphs.kernel.rows, one.graphs.kernel.cols]).toEqual([16, 150]);
    expect([two.graphs.kernel.rows, two.graphs.kernel.cols]).toEqual([32, 300]);
    expect([two.graphs.channel.rows, two.graphs.channel.cols]).toEqual([32, 12]);
    expect(two.kept).toBe(Math.round(0.1 * 32 * 300));
    expect(one.graphs.kernel.distances.map((d) => d.reference)).toEqual(['wide-mask', 'fsm', 'constant']);
    expect(two.graphs.channel.distances.map((d) => d.reference)).toEqual([
      'wide-mask',
      'fsm',
      'constant',
      'previous',
    ]);
    // Test grids: --row-blocks 32 × --col-blocks 28 capped by the smallest graphs (16 × 150, 16 × 6).
    expect(one.graphs.kernel.histogram).toHaveLength(16 * 28);
    expect(one.graphs.channel.histogram).toHaveLength(16 * 6);
  });

  it('block distances equal an independent computation from the masks', async () => {
    const random = conv.results[0] as ConvJobResult;
    const [m1, m2] = [await randomMask(1), await randomMask(2)];
    const value = (w: number, graph: 'kernel' | 'channel', reference: string) =>
      random.widths[w].graphs[graph].distances.find((d) => d.reference === reference)!.value;
    // Kernel graph on 16 × 16 blocks, channel graph on 16 × 6 (the smallest multiplier's 16 × 6 channels).
    const k2 = kernelHistogram(m2, 16, 16);
    expect(value(1, 'kernel', 'constant')).toBeCloseTo(bruteCut(k2, constant(16, 16, 0.1)), 12);
    expect(value(1, 'kernel', 'previous')).toBeCloseTo(bruteCut(k2, kernelHistogram(m1, 16, 16)), 12);
    const c2 = channelHistogram(m2, 12, 16, 6);
    expect(value(1, 'channel', 'constant')).toBeCloseTo(bruteCut(c2, constant(16, 6, 0.1)), 12);
    expect(value(1, 'channel', 'previous')).toBeCloseTo(bruteCut(c2, channelHistogram(m1, 6, 16, 6)), 12);
    // Random pruning's FSM limit is the constant p exactly.
    expect(value(1, 'kernel', 'fsm')).toBeCloseTo(value(1, 'kernel', 'constant'), 9);
  });

  it('random masks are homogeneous, SNIP masks heterogeneous, on both graphs', () => {
    const summary = conv.report.summary as {
      criterion: string;
      graphs: { graph: string; observed: string; agrees: boolean | null }[];
    }[];
    for (const g of summary[0].graphs) expect([g.graph, g.observed]).toEqual([g.graph, 'homogeneous']);
    for (const g of summary[1].graphs) expect([g.graph, g.observed]).toEqual([g.graph, 'heterogeneous']);
  });

  it('writes the conv rows, labelled with the layer, shape and graph, in every file', () => {
    const { text, figures } = conv.report;
    const csv = text.get('results.csv')!.trim().split('\n');
    expect(csv[0]).toMatch(
      /^criterion,seed,net,layer,multiplier,graph,out_channels,in_channels,kernel_height,kernel_width,rows,cols,/,
    );
    expect(csv).toHaveLength(1 + 2 * 2 * 2);
    expect(csv[1]).toMatch(/^random,0,lenet5,features\.3\.weight,1,kernel,16,6,5,5,16,150,/);
    const distances = text.get('distances.csv')!.trim().split('\n');
    expect(distances[0]).toBe('criterion,seed,layer,multiplier,graph,reference,metric,value,kind');
    expect(distances).toHaveLength(1 + 2 * (3 + 4) * 2);
    const md = text.get('report.md')!;
    expect(md).toContain('| 2 | [32, 12, 5, 5] | 32 × 300 | 32 × 12 |');
    expect(md).toContain('| 4 (wide mask) | [64, 24, 5, 5] |');
    expect(md).toMatch(/\| random \| kernel \| homogeneous \| homogeneous \| yes \|/);
    expect([...figures.keys()]).toEqual(['heatmaps', 'convergence']);
  });

  it('job records pass the taxonomy record schema; a damaged one names its first issue', () => {
    const record = JSON.parse(JSON.stringify(conv.results[1]));
    expect(taxonomyRecord.safeParse(record).success).toBe(true);
    record.widths[1].graphs.channel.homogeneity.pValue = 2;
    const parsed = taxonomyRecord.safeParse(record);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path.join('.')).toBe('widths.1.graphs.channel.homogeneity.pValue');
  });
});

describe('the FSM prediction of the channel graph', () => {
  it('is the tap average of W = 1 − min(1, τ / (A B)) (uniform noise), in canonical order, with mean p', () => {
    const [O, C, kh, kw] = [5, 4, 2, 3];
    const rng = new Rng('factors');
    const A = Float64Array.from({ length: O }, () => 0.2 + rng.uniform());
    const B = Float64Array.from({ length: C * kh * kw }, () => 0.2 + rng.uniform());
    const limit = predictedLimit(A, B, distribution('uniform'), 0.3, { rowBlocks: 1, colBlocks: 1 });
    const g = channelLimit(limit, A, B, [O, C, kh, kw]);
    // Independently: F[o][c] from the closed form, channels sorted by their predicted kept fraction.
    const F = Array.from({ length: O }, (_, o) =>
      Array.from({ length: C }, (_, c) => {
        let s = 0;
        for (let t = 0; t < kh * kw; t++) s += 1 - Math.min(1, limit.tau / (A[o] * B[c * kh * kw + t]));
        return s / (kh * kw);
      }),
    );
    const rows = descending(F.map((r) => r.reduce((a, b) => a + b, 0)));
    const cols = descending(F[0].map((_, c) => F.reduce((s, r) => s + r[c], 0)));
    const expected = rows.flatMap((o) => cols.map((c) => F[o][c]));
    expect(Array.from(g.values)).toHaveLength(O * C);
    Array.from(g.values).forEach((v, q) => expect(v).toBeCloseTo(expected[q], 12));
    expect(expected.reduce((a, b) => a + b, 0) / (O * C)).toBeCloseTo(0.3, 8);
  });
});

describe('channel homogeneity test', () => {
  const shape = [16, 6, 5, 5];
  const options = { density: 0.1, rowBlocks: 16, colBlocks: 6, replicates: 19, alpha: 0.2, seed: 3 };
  const uniform = (seed: number) => {
    const m = new BitMatrix(16, 150);
    selectionSample(m, { need: 240, left: m.size }, new Rng(`other/${seed}`));
    return m;
  };

  it('is calibrated on uniformly random masks (rejects at most about α of them)', () => {
    let rejected = 0;
    for (let s = 0; s < 40; s++) {
      if (channelHomogeneityTest(uniform(s), shape, options).verdict === 'heterogeneous') rejected++;
    }
    // Bonferroni keeps the level ≤ α = 0.2: 8 of 40 expected at most; 16 is 3 binomial sds above.
    expect(rejected).toBeLessThanOrEqual(16);
  });

  it('rejects a mask that keeps only half of the input channels', () => {
    const m = new BitMatrix(16, 150);
    const r = new Rng('half');
    let kept = 0;
    while (kept < 240) {
      const o = Math.floor(r.uniform() * 16);
      const q = Math.floor(r.uniform() * 75); // in-channels 0, 1, 2 only
      if (!m.get(o, q)) {
        m.set(o, q);
        kept++;
      }
    }
    const t = channelHomogeneityTest(m, shape, options);
    expect(t.verdict).toBe('heterogeneous');
    expect(t.pValue).toBeCloseTo(0.1, 12); // 2 · 1/20: above every null replicate
  });
});

describe('conv study configuration', () => {
  const given = (extra: Record<string, unknown>) => ({ ...SMALL, ...extra }) as Record<string, unknown>;
  it.each([
    [{ net: undefined }, /--layer must be absent without --net/],
    [{ layer: undefined }, /--layer must be a convolution of --net lenet5/],
    [{ net: 'mlp:784-64-10' }, /--net must be a conv network/],
    [{ referenceWidth: 64 }, /--reference-width must be absent with --net.*--wide-multiplier/],
    [{ outputAtInit: 'zero' }, /--output-at-init must be absent with --net/],
    [{ widths: [2, 1] }, /--widths must be at least two increasing channel multipliers/],
    [{ wideMultiplier: 2 }, /--wide-multiplier must be a channel multiplier above the widest 2/],
  ])('%j is refused by the preset checks', (extra, message) => {
    expect(() => presetConfig(given(extra))).toThrow(InvalidArgumentError);
    expect(() => presetConfig(given(extra))).toThrow(message);
  });

  it.each([
    [{ layer: '0.weight' }, /--layer must be a convolution of --net lenet5: features\.0, features\.3/],
    [{ layer: 'classifier.0' }, /--layer must be a convolution of --net lenet5/],
    [
      { widths: [1, 1.01] },
      /--widths must be multipliers that give features\.3\.weight more output channels/,
    ],
    [{ density: 1e-9 }, /--density must be a kept fraction that keeps at least one of the 2400 weights/],
  ])('%j is refused before any job (the run check)', (extra, message) => {
    const config = presetConfig(given(extra)) as TaxonomyConfig;
    expect(() => taxonomyRun.check!(config)).toThrow(InvalidArgumentError);
    expect(() => taxonomyRun.check!(config)).toThrow(message);
  });
});
