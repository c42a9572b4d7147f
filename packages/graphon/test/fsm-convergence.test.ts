/**
 * A mask drawn from the FSM has a canonical histogram close (L1) to the FSM limit's block averages: the
 * issue's check at 4096 × 4096 with 64 × 64 blocks, for a threshold model and a noisy one (≈ 3 × 16.8 M
 * random draws; about 6 s under jest now that the RNG avoids global `Math` lookups).
 */
import { canonicalHistogram, fsmLimit, type FsmModel, sampleFsmMask, stepDifference } from '../src';

// A threshold-type FSM (SNIP-like feature selection through B): half-normal neurons, exponential input
// factors, constant noise; and a noisy variant with half-normal noise (|w| of a Gaussian initialisation,
// the noise of magnitude and SNIP scores).
const models: [string, FsmModel][] = [
  ['threshold (ξ ≡ 1)', { rowFactor: 'half-normal', colFactor: 'exponential', noise: 'constant' }],
  ['half-normal noise', { rowFactor: 'uniform', colFactor: 'exponential', noise: 'half-normal' }],
];
const side = 4096;
const blocks = 64;

for (const [name, model] of models) {
  describe(`FSM convergence at ${side} × ${side}`, () => {
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
  });
}
