import * as tf from '@tensorflow/tfjs-core';
import { GraphonPaiError, PluginRegistry, Rng, type ScoreMap } from '@graphon-pai/core';
import { type CriterionContext, registerBuiltinCriteria } from '../src';
import { randomBatch, randomMask, smallNet, useCpu } from './helpers';

beforeAll(useCpu);

const IDS = ['random', 'magnitude', 'snip', 'grasp', 'grasp-magnitude', 'synflow'];

function copyScores(s: ScoreMap): Map<string, Float32Array> {
  return new Map([...s].map(([k, v]) => [k, v.scores.slice()]));
}

describe.each(IDS)('built-in criterion %s', (id) => {
  const registry = new PluginRegistry();
  registerBuiltinCriteria(registry);
  const entry = registry.criterion<CriterionContext>(id);

  test('is registered under graphon-pai/ and by bare id', () => {
    expect(registry.criterion(`graphon-pai/${id}`)).toBe(entry);
    expect(entry.spec.needsData).toBe(['snip', 'grasp', 'grasp-magnitude'].includes(id));
    expect(entry.spec.acceptsMask).toBe(true);
  });

  test('scores every layer with the right shape, finite, deterministic, without leaks or mutation', async () => {
    const net = smallNet();
    const batch = randomBatch(12, 7, 4, 1);
    const mask = randomMask(net, 0.5, 2);
    const inputsBefore = batch.inputs.slice();
    const weightsBefore = net.layers.map((l) => net.weight(l.index).slice());
    const maskBefore = [...mask.values()].map((m) => m.clone());
    const before = tf.memory().numTensors;
    const ctx = { network: net, data: batch, mask, rng: new Rng(5), options: {} };
    const a = copyScores(await entry.spec.score(ctx));
    const b = copyScores(await entry.spec.score({ ...ctx, rng: new Rng(5) }));
    expect(tf.memory().numTensors).toBe(before);
    expect([...a.keys()]).toEqual(net.layers.map((l) => l.weightName));
    for (const layer of net.layers) {
      const s = a.get(layer.weightName)!;
      expect(s.length).toBe(layer.shape.rows * layer.shape.cols);
      expect(s.every(Number.isFinite)).toBe(true);
      expect(b.get(layer.weightName)).toEqual(s);
      // Pruned weights score exactly 0.
      const m = mask.get(layer.weightName)!;
      for (let q = 0; q < s.length; q++)
        if (!m.get(Math.floor(q / layer.shape.cols), q % layer.shape.cols)) expect(s[q]).toBe(0);
    }
    expect(batch.inputs).toEqual(inputsBefore);
    for (const l of net.layers) expect(net.weight(l.index)).toEqual(weightsBefore[l.index]);
    for (const [i, m] of [...mask.values()].entries()) expect(m.equals(maskBefore[i])).toBe(true);
    net.dispose();
  });

  test('rejects unknown options with a typed error', () => {
    const net = smallNet();
    expect(() =>
      entry.spec.score({
        network: net,
        data: randomBatch(4, 7, 4, 1),
        rng: new Rng(0),
        options: { bogus: 1 },
      }),
    ).toThrow(/options\.bogus/);
    net.dispose();
  });
});

test('data-driven criteria need data and data of the right width', () => {
  const registry = new PluginRegistry();
  registerBuiltinCriteria(registry);
  const net = smallNet();
  for (const id of ['snip', 'grasp']) {
    const spec = registry.criterion<CriterionContext>(id).spec;
    expect(() => spec.score({ network: net, rng: new Rng(0) })).toThrow(GraphonPaiError);
    expect(() => spec.score({ network: net, rng: new Rng(0) })).toThrow(/ctx\.data/);
    expect(() => spec.score({ network: net, data: randomBatch(4, 5, 4, 1), rng: new Rng(0) })).toThrow(
      /features.*input width 7/,
    );
    const bad = randomBatch(4, 7, 4, 1);
    bad.labels![2] = 9;
    expect(() => spec.score({ network: net, data: { ...bad, classes: undefined }, rng: new Rng(0) })).toThrow(
      /labels\[2\]/,
    );
  }
  net.dispose();
});
