import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  definePlugin,
  type NetworkMask,
  PLUGIN_API_VERSION,
  PluginRegistry,
  Rng,
  type ScoreMap,
} from '@graphon-pai/core';
import { type Batch, Mlp } from '@graphon-pai/nets';
import { type CriterionContext, snipScores, synflowScores } from '@graphon-pai/saliency';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocateCounts, keptCount, maskFromScores, MASKS_VERSION, prune } from '../src';
import { masksEqual, totalNnz } from './helpers/reference';

function batch(count: number, features: number, classes: number, seed: number): Batch {
  const rng = new Rng(seed);
  const inputs = rng.normalArray(count * features, 0, 1, new Float32Array(count * features));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % classes;
  return { inputs, count, features, labels, classes };
}

/** A plugin whose scores are fresh noise every round and which records the mask it was given. */
function recordingPlugin(seen: (NetworkMask | undefined)[]) {
  let round = 0;
  return definePlugin({
    meta: { name: 'test-recorder', version: '9.9.9', namespace: 'testns' },
    apiVersion: PLUGIN_API_VERSION,
    criteria: {
      noise: {
        description: 'fresh uniform noise each call',
        needsData: false,
        acceptsMask: true,
        score(ctx: CriterionContext): ScoreMap {
          seen.push(ctx.mask);
          const rng = new Rng(`noise-${round++}`);
          return new Map(
            ctx.network.layers.map((l) => [
              l.weightName,
              {
                shape: l.shape,
                scores: rng.uniformArray(
                  l.shape.rows * l.shape.cols,
                  0,
                  1,
                  new Float32Array(l.shape.rows * l.shape.cols),
                ),
              },
            ]),
          );
        },
      },
    },
  });
}

let net: Mlp;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  net = Mlp.create({ widths: [12, 10, 8, 3], seed: 1 });
});
afterAll(() => net.dispose());

describe('prune', () => {
  it('one-shot SNIP through the registry equals selecting its scores directly; provenance is complete', async () => {
    const data = batch(16, 12, 3, 2);
    const before = tf.memory().numTensors;
    const res = await prune({
      network: net,
      criterion: 'snip',
      data,
      density: 0.2,
      seed: 5,
      registry: new PluginRegistry(),
    });
    expect(tf.memory().numTensors).toBe(before);
    const expected = maskFromScores(snipScores(net, [data]), { density: 0.2 });
    expect(masksEqual(res.mask, expected)).toBe(true);
    expect(totalNnz(res.mask)).toBe(keptCount(0.2, 120 + 80 + 24));
    expect(res.provenance).toMatchObject({
      criterion: 'graphon-pai/snip',
      density: 0.2,
      seed: 5,
      schedule: { kind: 'one-shot' },
      kept: 45,
      total: 224,
      allocation: 'global',
      packages: { '@graphon-pai/masks': MASKS_VERSION },
    });
    expect(res.keptPerRound).toEqual([45]);
  });

  it('SynFlow defaults to 100 exponential rounds; counts exact in every round', async () => {
    const kept: number[] = [];
    let first: ScoreMap | undefined;
    const res = await prune({
      network: net,
      criterion: 'synflow',
      density: 0.1,
      seed: 0,
      registry: new PluginRegistry(),
      onRound: (i) => {
        kept.push(i.kept);
        if (i.round === 1) first = i.scores;
      },
    });
    expect(res.provenance.schedule).toEqual({ kind: 'iterative', rounds: 100, shape: 'exponential' });
    expect(kept).toHaveLength(100);
    // Round 1 selects from the criterion's scores of the unpruned network.
    expect(first).toEqual(synflowScores(net));
    expect(kept[99]).toBe(keptCount(0.1, 224));
    expect(totalNnz(res.mask)).toBe(kept[99]);
    // One-shot SynFlow differs in general from 100 rounds; at least it is a valid exact mask.
    const oneShot = maskFromScores(synflowScores(net), { density: 0.1 });
    expect(totalNnz(oneShot)).toBe(kept[99]);
  });

  it('is monotone: a plugin criterion with fresh noise each round never brings a pruned weight back', async () => {
    const reg = new PluginRegistry();
    const seen: (NetworkMask | undefined)[] = [];
    reg.register(recordingPlugin(seen));
    for (const allocation of ['global', 'erk', 'layerwise'] as const) {
      seen.length = 0;
      const res = await prune({
        network: net,
        criterion: 'testns/noise',
        density: 0.05,
        seed: 1,
        registry: reg,
        allocation,
        schedule: { kind: 'iterative', rounds: 6, shape: 'linear' },
        onCollapse: 'ignore', // 5 % of noise-ranked weights may leave no path; not what this test checks
      });
      expect(seen).toHaveLength(6);
      expect(seen[0]).toBeUndefined();
      const chain = [...(seen.slice(1) as NetworkMask[]), res.mask];
      for (let r = 1; r < chain.length; r++) {
        for (const [n, m] of chain[r]) expect(m.isSubsetOf(chain[r - 1].get(n)!)).toBe(true);
        expect(totalNnz(chain[r])).toBe(res.keptPerRound[r]);
      }
      if (allocation !== 'global') {
        const counts = allocateCounts(net.shapes(), 0.05, allocation);
        for (const [n, m] of res.mask) expect(m.nnz()).toBe(counts.get(n));
      }
      expect(res.provenance.criterionPlugin).toEqual({ name: 'test-recorder', version: '9.9.9' });
    }
  });

  it('induced allocation takes the per-layer counts of a global run of another criterion', async () => {
    const reg = new PluginRegistry();
    const res = await prune({
      network: net,
      criterion: 'random',
      density: 0.15,
      seed: 3,
      registry: reg,
      allocation: { kind: 'induced', criterion: 'magnitude' },
    });
    const magnitudeMask = (
      await prune({ network: net, criterion: 'magnitude', density: 0.15, seed: 3, registry: reg })
    ).mask;
    for (const [n, m] of res.mask) expect(m.nnz()).toBe(magnitudeMask.get(n)!.nnz());
  });

  it('rejects unknown criteria, missing data and bad densities with typed errors', async () => {
    const reg = new PluginRegistry();
    await expect(
      prune({ network: net, criterion: 'snp', density: 0.1, seed: 0, registry: reg }),
    ).rejects.toThrow(/unknown criterion "snp". Did you mean "snip"/);
    await expect(
      prune({ network: net, criterion: 'snip', density: 0.1, seed: 0, registry: reg }),
    ).rejects.toThrow(/needs data/);
    await expect(
      prune({ network: net, criterion: 'magnitude', density: 1.1, seed: 0, registry: reg }),
    ).rejects.toThrow(/density must be a number in \(0, 1\]/);
    await expect(
      prune({ network: net, criterion: 'magnitude', density: 0.1, seed: 0.5, registry: reg }),
    ).rejects.toThrow(/seed/);
  });

  it('reports layer collapse of the final mask as an error by default, or as a warning', async () => {
    const reg = new PluginRegistry();
    // round(0.001 · 80) = 0 kept weights in the middle layer: no input→output path can survive.
    const densities = { '0.weight': 0.5, '2.weight': 0.001, '4.weight': 0.5 };
    const run = (onCollapse?: 'warn') =>
      prune({
        network: net,
        criterion: 'random',
        density: 0.05,
        seed: 4,
        registry: reg,
        allocation: { kind: 'explicit', densities },
        onCollapse,
        onWarning: () => {},
      });
    const warned = await run('warn');
    expect(warned.statistics.network!.collapsed).toBe(true);
    expect(warned.statistics.network!.collapsedAt).toBe('2.weight');
    expect(warned.statistics.warnings[0]).toMatch(/no input→output path/);
    await expect(run()).rejects.toThrow(/mask\['2.weight'\].*layer collapse/);
    // A dense-enough mask has paths and no collapse.
    const ok = await prune({ network: net, criterion: 'magnitude', density: 0.5, seed: 0, registry: reg });
    expect(ok.statistics.network!.collapsed).toBe(false);
    expect(ok.statistics.kept).toBe(keptCount(0.5, 224));
  });

  it('MASKS_VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(MASKS_VERSION).toBe(pkg.version);
  });
});
