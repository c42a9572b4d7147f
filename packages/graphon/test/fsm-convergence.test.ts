/**
 * A mask drawn from the FSM has a canonical histogram close (L1) to the FSM limit's block averages.
 * Default: 1024 × 1024 with 32 × 32 blocks. `GRAPHON_LARGE=1` runs the 4096 × 4096, 64 × 64 check of the
 * issue (≈ 3 × 16.8 M noise draws; tens of seconds on a loaded 2-core machine).
 */
import { canonicalHistogram, fsmLimit, type FsmModel, sampleFsmMask, stepDifference } from '../src';

const large = process.env.GRAPHON_LARGE === '1';
const side = large ? 4096 : 1024;
const blocks = large ? 64 : 32;

// A threshold-type FSM (SNIP-like feature selection through B): half-normal neurons, exponential
// input factors, constant noise; plus a noisy variant with uniform noise.
const models: [string, FsmModel][] = [
  ['threshold (ξ ≡ 1)', { rowFactor: 'half-normal', colFactor: 'exponential', noise: 'constant' }],
  ['uniform noise', { rowFactor: 'uniform', colFactor: 'exponential', noise: 'uniform' }],
];

describe(`FSM convergence at ${side} × ${side}`, () => {
  for (const [name, model] of models) {
    it(`${name}: canonical histogram within 0.02 (L1) of the limit`, () => {
      const { mask } = sampleFsmMask(model, side, side, { density: 0.1, seed: 17 });
      expect(mask.nnz()).toBe(Math.round(0.1 * side * side));
      const est = canonicalHistogram(mask, { rowBlocks: blocks, colBlocks: blocks }).graphon;
      const limit = fsmLimit(model, 0.1).toStepGraphon(blocks, blocks, { tolerance: 1e-6 });
      const d = stepDifference(est, limit);
      let l1 = 0;
      for (let a = 0; a < blocks; a++) {
        for (let b = 0; b < blocks; b++) l1 += Math.abs(d.block(a, b)) / (blocks * blocks);
      }
      expect(l1).toBeLessThan(0.02);
    });
  }
});
