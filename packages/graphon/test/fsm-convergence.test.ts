/**
 * A mask drawn from the FSM has a canonical histogram close (L1) to the FSM limit's block averages.
 * Default: the threshold model at 1024 × 1024 with 32 × 32 blocks, the noisy model at 512 × 512 with 16 × 16
 * blocks (each noise draw costs microseconds under jest's vm context, so the noisy draw is kept small; both
 * measure L1 ≈ 0.004–0.005 against the 0.02 bound). `GRAPHON_LARGE=1` runs the 4096 × 4096, 64 × 64
 * check for both (≈ 3 × 16.8 M noise draws; minutes under jest on a loaded 2-core machine).
 */
import { canonicalHistogram, fsmLimit, type FsmModel, sampleFsmMask, stepDifference } from '../src';

const large = process.env.GRAPHON_LARGE === '1';

// A threshold-type FSM (SNIP-like feature selection through B): half-normal neurons, exponential input
// factors, constant noise; and a noisy variant with half-normal noise (|w| of a Gaussian initialisation,
// the noise of magnitude and SNIP scores).
const models: [string, FsmModel, number, number][] = [
  ['threshold (ξ ≡ 1)', { rowFactor: 'half-normal', colFactor: 'exponential', noise: 'constant' }, 1024, 32],
  ['half-normal noise', { rowFactor: 'uniform', colFactor: 'exponential', noise: 'half-normal' }, 512, 16],
];

for (const [name, model, defaultSide, defaultBlocks] of models) {
  const side = large ? 4096 : defaultSide;
  const blocks = large ? 64 : defaultBlocks;
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
