import { builtinCriteriaPlugin } from '@graphon-pai/saliency';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend, runCriterionConformance } from '../src';

describe('wasm backend', () => {
  it('ensureBackend("wasm") switches backends and the suite runs there', async () => {
    expect(await ensureBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // A backend already set is kept when none is asked for.
    expect(await ensureBackend()).toBe('wasm');
    const results = await runCriterionConformance(builtinCriteriaPlugin.criteria.snip, {
      prunedScoreZero: true,
    });
    expect(results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
  });
});
