import {
  BitMatrix,
  type CriterionSpec,
  definePlugin,
  InvalidArgumentError,
  type MaskerSpec,
  PLUGIN_API_VERSION,
  type PrunerPlugin,
  type ScoreMap,
} from '@graphon-pai/core';
import type { Mlp } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import * as tf from '@tensorflow/tfjs-core';
import {
  createSetup,
  describePluginConformance,
  ensureBackend,
  type MaskerContext,
  maskerChecks,
  pluginChecks,
  runCriterionConformance,
} from '../src';

beforeAll(() => ensureBackend('cpu'));

/** |w| scores, pruned weights 0 — a correct data-free criterion. */
function absScores(net: Mlp, ctx: CriterionContext): ScoreMap {
  const out: ScoreMap = new Map();
  for (const l of net.layers) {
    const w = net.weight(l.index);
    const s = Float32Array.from(w, Math.abs);
    const m = ctx.mask?.get(l.weightName);
    if (m)
      for (let q = 0; q < s.length; q++) if (!m.get(Math.floor(q / l.shape.cols), q % l.shape.cols)) s[q] = 0;
    out.set(l.weightName, { shape: l.shape, scores: s });
  }
  return out;
}

/** |w| times the mean absolute input of the batch — a correct data-driven criterion. */
function dataScores(ctx: CriterionContext): ScoreMap {
  if (!ctx.data) throw new InvalidArgumentError('ctx.data', undefined, 'a batch');
  const batch = Array.isArray(ctx.data) ? ctx.data[0] : (ctx.data as { inputs: Float32Array });
  let mean = 0;
  for (const v of batch.inputs) mean += Math.abs(v);
  mean /= batch.inputs.length;
  const out = absScores(ctx.network, ctx);
  for (const { scores } of out.values()) for (let q = 0; q < scores.length; q++) scores[q] *= mean;
  return out;
}

const good: CriterionSpec<CriterionContext> = {
  description: 'abs',
  needsData: false,
  acceptsMask: true,
  score: (ctx) => absScores(ctx.network, ctx),
};

let counter = 0;
const broken: Record<string, [CriterionSpec<CriterionContext>, string]> = {
  transposed: [
    {
      ...good,
      score: (ctx) => {
        const s = absScores(ctx.network, ctx);
        for (const [k, v] of s)
          s.set(k, { shape: { rows: v.shape.cols, cols: v.shape.rows }, scores: v.scores });
        return s;
      },
    },
    'shapes',
  ],
  missingLayer: [
    {
      ...good,
      score: (ctx) => {
        const s = absScores(ctx.network, ctx);
        s.delete([...s.keys()][1]);
        return s;
      },
    },
    'shapes',
  ],
  nan: [
    {
      ...good,
      score: (ctx) => {
        const s = absScores(ctx.network, ctx);
        [...s.values()][2].scores[3] = Number.NaN;
        return s;
      },
    },
    'finite',
  ],
  nondeterministic: [
    {
      ...good,
      score: (ctx) => {
        const s = absScores(ctx.network, ctx);
        [...s.values()][0].scores[0] += ++counter;
        return s;
      },
    },
    'deterministic',
  ],
  leaky: [
    {
      ...good,
      score: (ctx) => {
        tf.scalar(1);
        return absScores(ctx.network, ctx);
      },
    },
    'no-leaks',
  ],
  mutatesWeights: [
    {
      ...good,
      score: (ctx) => {
        ctx.network.weight(0)[0] += 1;
        return absScores(ctx.network, ctx);
      },
    },
    'no-mutation',
  ],
  aliasesWeights: [
    {
      ...good,
      acceptsMask: false,
      score: (ctx) =>
        new Map(
          ctx.network.layers.map((l) => [
            l.weightName,
            { shape: l.shape, scores: ctx.network.weight(l.index) },
          ]),
        ),
    },
    'no-mutation',
  ],
  writesContext: [
    {
      ...good,
      score: (ctx) => {
        (ctx as { loss?: string }).loss = 'mse';
        return absScores(ctx.network, ctx);
      },
    },
    'no-mutation',
  ],
  claimsDataIgnoresIt: [{ ...good, needsData: true }, 'needs-data'],
  untypedDataError: [
    {
      ...good,
      needsData: true,
      score: (ctx) => {
        if (!ctx.data) throw new TypeError('cannot read inputs of undefined');
        return dataScores(ctx);
      },
    },
    'needs-data',
  ],
  dataFreeButUsesData: [
    { ...good, score: (ctx) => (ctx.data ? dataScores(ctx) : absScores(ctx.network, ctx)) },
    'needs-data',
  ],
  ignoresMask: [
    { ...good, score: (ctx) => absScores(ctx.network, { ...ctx, mask: undefined }) },
    'accepts-mask',
  ],
};

const ALL = ['shapes', 'finite', 'deterministic', 'no-leaks', 'no-mutation', 'needs-data', 'accepts-mask'];
/** Failures that cascade: a wrong structure or a write to the context fails every check that scores. */
const EXPECTED_FAILURES: Record<string, string[]> = {
  transposed: ALL,
  missingLayer: ALL,
  writesContext: ALL,
  nan: ['finite', 'accepts-mask'],
  nondeterministic: ['deterministic', 'needs-data', 'accepts-mask'],
  mutatesWeights: ['deterministic', 'no-mutation', 'needs-data', 'accepts-mask'],
};

describe('runCriterionConformance', () => {
  it('passes a correct data-free criterion and a correct data-driven one', async () => {
    for (const spec of [good, { ...good, needsData: true, score: dataScores }]) {
      const results = await runCriterionConformance(spec, { prunedScoreZero: true });
      expect(results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
      expect(results.map((r) => r.id)).toEqual([
        'shapes',
        'finite',
        'deterministic',
        'no-leaks',
        'no-mutation',
        'needs-data',
        'accepts-mask',
      ]);
    }
  });

  it.each(Object.keys(broken))('catches the broken criterion %s, naming the rule it breaks', async (name) => {
    const [spec, failing] = broken[name];
    const before = tf.memory().numTensors;
    const results = await runCriterionConformance(spec);
    tf.disposeVariables();
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.id)).toEqual(EXPECTED_FAILURES[name] ?? [failing]);
    // The message says what rule was broken.
    expect(failed.find((r) => r.id === failing)!.error!.message).toMatch(new RegExp(`^\\[${failing}\\]`));
    if (name !== 'leaky') expect(tf.memory().numTensors).toBe(before);
  });

  it('with prunedScoreZero, requires pruned weights to score 0', async () => {
    // Uses the mask, but gives pruned weights a tiny positive score instead of 0.
    const loose: CriterionSpec<CriterionContext> = {
      ...good,
      score: (ctx) => {
        const s = absScores(ctx.network, ctx);
        if (ctx.mask) {
          for (const v of s.values())
            for (let q = 0; q < v.scores.length; q++) if (v.scores[q] === 0) v.scores[q] = 1e-9;
        }
        return s;
      },
    };
    expect((await runCriterionConformance(loose)).every((r) => r.passed)).toBe(true);
    const strict = await runCriterionConformance(loose, { prunedScoreZero: true });
    expect(strict.filter((r) => !r.passed).map((r) => r.id)).toEqual(['accepts-mask']);
    expect(strict.find((r) => r.id === 'accepts-mask')!.error!.message).toMatch(
      /pruned weights must score exactly 0/,
    );
  });
});

describe('the conv-network problem (convNet / conv: true)', () => {
  it('is LeNet-5 on 1 × 28 × 28 digits-shaped batches, with a mask on every [out, in, kh, kw] layer', () => {
    const s = createSetup({ convNet: 'lenet5' });
    try {
      expect(s.network.layers.map((l) => l.weightName)).toEqual([
        'features.0.weight',
        'features.3.weight',
        'classifier.0.weight',
        'classifier.2.weight',
        'classifier.4.weight',
      ]);
      expect([s.data.features, s.data.classes, s.otherData.features]).toEqual([784, 10, 784]);
      expect(s.mask.get('features.3.weight')!.rows * s.mask.get('features.3.weight')!.cols).toBe(
        16 * 6 * 5 * 5,
      );
      expect(s.context({ data: s.data }).network).toBe(s.network);
    } finally {
      s.dispose();
    }
  });

  it('passes a criterion written for any network and catches one written for MLPs only', async () => {
    const onConv = await runCriterionConformance(good, { prunedScoreZero: true, convNet: 'lenet5' });
    expect(onConv.filter((r) => !r.passed).map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    // Reads the MLP-only weight tensors: every check that scores fails, saying score() threw.
    const mlpOnly: CriterionSpec<CriterionContext> = {
      ...good,
      score: (ctx) => {
        ctx.network.weightTensor(0);
        return absScores(ctx.network, ctx);
      },
    };
    expect((await runCriterionConformance(mlpOnly)).every((r) => r.passed)).toBe(true);
    const failed = (await runCriterionConformance(mlpOnly, { convNet: 'lenet5' })).filter((r) => !r.passed);
    expect(failed.map((r) => r.id)).toEqual(ALL);
    expect(failed[0].error!.message).toMatch(/^\[shapes\] score\(\) threw on a valid context/);
  });
});

const topMasker: MaskerSpec<MaskerContext> = {
  description: 'keeps the largest |w| of each layer',
  mask(ctx) {
    return new Map(
      ctx.network.layers.map((l) => {
        const w = ctx.network.weight(l.index);
        const order = Array.from(w.keys()).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b);
        const keep = Math.round(ctx.density * w.length);
        const m = new BitMatrix(l.shape.rows, l.shape.cols);
        for (const q of order.slice(0, keep)) m.set(Math.floor(q / l.shape.cols), q % l.shape.cols);
        return [l.weightName, m];
      }),
    );
  },
};

const acme: PrunerPlugin = definePlugin({
  meta: { name: 'acme-pruners', version: '1.2.0', namespace: 'acme' },
  apiVersion: PLUGIN_API_VERSION,
  criteria: {
    abs: good,
    'data-abs': { ...good, description: 'data-weighted |w|', needsData: true, score: dataScores },
  },
  maskers: { top: topMasker },
});

describe('plugin and masker checks', () => {
  const run = async (checks: { id: string; run(): Promise<void> }[]) => {
    const failed: string[] = [];
    for (const c of checks) await c.run().catch(() => failed.push(c.id));
    return failed;
  };

  it('pass a correct plugin and flag wrong versions, bad semver and empty descriptions', async () => {
    expect(await run(pluginChecks(acme))).toEqual([]);
    expect(await run(pluginChecks({ ...acme, apiVersion: 2 }))).toEqual(['api-version', 'registers']);
    expect(await run(pluginChecks({ ...acme, meta: { ...acme.meta, version: 'latest' } }))).toEqual(['meta']);
    expect(await run(pluginChecks({ ...acme, criteria: { x: { ...good, description: ' ' } } }))).toEqual([
      'meta',
    ]);
    expect(
      await run(pluginChecks({ ...acme, criteria: { x: { ...good, score: undefined as never } } })),
    ).toEqual(expect.arrayContaining(['plugin-shape', 'registers']));
  });

  it('pass a correct masker and flag wrong shapes, nondeterminism and leaks', async () => {
    expect(await run(maskerChecks(topMasker))).toEqual([]);
    const wrongShape: MaskerSpec<MaskerContext> = {
      description: 'x',
      mask: (ctx) =>
        new Map(ctx.network.layers.map((l) => [l.weightName, new BitMatrix(l.shape.cols, l.shape.rows)])),
    };
    expect(await run(maskerChecks(wrongShape))).toEqual([
      'masker-shapes',
      'masker-deterministic',
      'masker-no-leaks',
      'masker-no-mutation',
    ]);
    let flip = 0;
    const flaky: MaskerSpec<MaskerContext> = {
      description: 'x',
      mask: (ctx) => {
        const m = topMasker.mask(ctx) as Map<string, BitMatrix>;
        [...m.values()][0].set(0, 0, ++flip % 2 === 0);
        return m;
      },
    };
    expect(await run(maskerChecks(flaky))).toEqual(['masker-deterministic']);
    const leaky: MaskerSpec<MaskerContext> = {
      description: 'x',
      mask: (ctx) => {
        tf.zeros([2]);
        return topMasker.mask(ctx);
      },
    };
    expect(await run(maskerChecks(leaky))).toEqual(['masker-no-leaks']);
  });
});

// The jest entry point, as a plugin author uses it.
describePluginConformance(acme, { perId: { abs: { prunedScoreZero: true } } });
