/**
 * The taxonomy preset's reference limits in process: the plug-in limit of a built-in criterion, the
 * documented wide-mask fallback of a third-party criterion without a neuron scorer, the zero-output mode, and
 * the tidy distance rows.
 */
import { definePlugin, PLUGIN_API_VERSION, registry } from '@graphon-pai/core';
import { mnistSubset } from '@graphon-pai/nets';
import { magnitudeCriterion, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { ensureBackend } from '@graphon-pai/testkit';
import { presetConfig } from '../src';
import type { TaxonomyConfig } from '../src/presets/taxonomy/config';
import { distancesCsv } from '../src/presets/taxonomy/distances';
import { runJob } from '../src/presets/taxonomy/job';
import { summarize } from '../src/presets/taxonomy/summary';

const config = (extra: Record<string, unknown> = {}) =>
  presetConfig({
    preset: 'taxonomy',
    criteria: ['snip'],
    widths: [64, 128],
    seeds: [0, 1],
    samples: 128,
    bootstrap: 19,
    alpha: 0.2,
    rowBlocks: 16,
    colBlocks: 14,
    ...extra,
  }) as TaxonomyConfig;

beforeAll(async () => {
  await ensureBackend('cpu');
  registerBuiltinCriteria(registry);
  registry.register(
    definePlugin({
      meta: { name: 'acme-test-pruners', version: '1.0.0', namespace: 'acmetest' },
      apiVersion: PLUGIN_API_VERSION,
      criteria: { 'abs-weight': magnitudeCriterion },
    }),
    { source: 'test' },
  );
});

describe('taxonomy reference limits', () => {
  it('plug-in limit for snip: the reference width, exact rows of every reference, the determinism record', async () => {
    const c = config();
    const data = await mnistSubset({ count: c.samples, seed: 0 });
    const r = await runJob(c, { criterion: 'snip', seed: 0 }, data);
    const [first, widest] = r.widths;
    expect(first.plugin).toEqual(expect.objectContaining({ method: 'plug-in', referenceWidth: 8 * 128 }));
    expect(first.limit.explained).toBeGreaterThan(0);
    expect(first.limit.explained).toBeLessThan(1);
    expect(first.determinism).toBeNull();
    expect(widest.determinism?.blockSummary).toHaveLength(256);
    expect(widest.determinism?.sharedSignalBlock).toBeGreaterThan(0);
    expect(widest.determinism?.otherNetworkBlock).toBeGreaterThan(0);
    expect(widest.pluginHistogram).toHaveLength(16 * 14);
    const refs = new Set(widest.distances.map((d) => `${d.reference}/${d.metric}`));
    for (const ref of ['fsm', 'plugin', 'constant', 'previous']) {
      for (const metric of ['block', 'pixel']) expect(refs.has(`${ref}/${metric}`)).toBe(true);
    }
    expect(refs.has('plugin/full')).toBe(false);
    const csv = distancesCsv([r]).trim().split('\n');
    expect(csv).toHaveLength(1 + first.distances.length + widest.distances.length);
    expect(csv[1].startsWith('snip,0,64,fsm,block,')).toBe(true);
  });

  it('a criterion without a neuron scorer gets the wide-mask fallback, labelled as such', async () => {
    const c = config({ criteria: ['acmetest/abs-weight'], referenceWidth: 256 });
    const data = await mnistSubset({ count: c.samples, seed: 0 });
    const r = await runJob(c, { criterion: 'acmetest/abs-weight', seed: 0 }, data);
    for (const w of r.widths) expect(w.plugin).toEqual({ method: 'wide-mask', referenceWidth: 256, threshold: null });
    expect(r.widths[1].determinism?.sharedSignalBlock).toBeNull();
    const [s] = summarize(c, [r]);
    expect(s.plugin.method).toBe('wide-mask');
    expect(s.determinism.verdict).toBe('not measured');
  });

  it('--output-at-init zero: paired neurons, the same plug-in machinery', async () => {
    const c = config({ outputAtInit: 'zero' });
    const data = await mnistSubset({ count: c.samples, seed: 0 });
    const results = [
      await runJob(c, { criterion: 'snip', seed: 0 }, data),
      await runJob(c, { criterion: 'snip', seed: 1 }, data),
    ];
    const [s] = summarize(c, results);
    expect(s.determinism.crossSeed).toBeGreaterThan(0);
    expect(s.determinism.otherNetwork).toBeGreaterThan(0);
    expect(s.determinism.sharedSignal).toBeGreaterThan(0);
    expect(results[0].widths[0].kept).toBe(Math.round(0.1 * 64 * 784));
    expect(results[0].widths[1].plugin.method).toBe('plug-in');
  });
});
