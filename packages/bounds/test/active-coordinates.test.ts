import { BitMatrix, InvalidArgumentError, Rng, StepGraphon } from '@graphon-pai/core';
import { expressionGraphon } from '@graphon-pai/expressions';
import fc from 'fast-check';
import {
  activeCoordinates,
  countFullyConnected,
  floorRectangle,
  sampleMaskedNetwork,
  universalApproximationCheck,
} from '../src';

// Inputs 0..3 dense on half the neurons, inputs 4..7 sparse, inputs 8..11 empty.
const g = new StepGraphon([0, 0.5, 1], [0, 1 / 3, 2 / 3, 1], [0.8, 0.05, 0, 0.2, 0.05, 0]);

describe('active coordinates and floor rectangles', () => {
  it('column density above the threshold (exact for step graphons)', () => {
    const a = activeCoordinates(g, { inputs: 12, threshold: 0.04 });
    expect(Array.from(a.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(a.density[0]).toBeCloseTo(0.5, 15);
    expect(a.density[5]).toBeCloseTo(0.05, 15);
    expect(Array.from(activeCoordinates(g, { inputs: 12, threshold: 0.1 }).indices)).toEqual([0, 1, 2, 3]);
  });

  it('the best floor maximises α·q^k: closed form on a two-block graphon', () => {
    // On S = {0, 1}: rows of block 0 have min 0.8 (α = ½), block 1 min 0.2; ½·0.8² = 0.32 > 1·0.2² = 0.04.
    const r = floorRectangle(g, [1, 0], { inputs: 12 });
    expect(Array.from(r.coordinates)).toEqual([0, 1]);
    expect(r.q).toBeCloseTo(0.8, 15);
    expect(r.alpha).toBeCloseTo(0.5, 15);
    expect(r.perNeuronLowerBound).toBeCloseTo(0.32, 15);
    expect(r.fullyConnectedFraction).toBeCloseTo(0.5 * 0.64 + 0.5 * 0.04, 15);
    const fixed = floorRectangle(g, [0, 1], { inputs: 12, q: 0.1 });
    expect(fixed.alpha).toBeCloseTo(1, 15);
    expect(floorRectangle(g, [0, 8], { inputs: 12 }).alpha).toBe(0);
  });

  it('function graphons use a midpoint grid in u', () => {
    const r = floorRectangle(expressionGraphon('(u < 0.25) * 0.9 + 0.05'), [0, 1, 2], { inputs: 10 });
    expect(r.q).toBeCloseTo(0.95, 12);
    expect(r.alpha).toBeCloseTo(0.25, 12);
  });

  it('countFullyConnected equals a brute-force row scan (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 1e6 }),
        (rows, cols, seed) => {
          const rng = new Rng(seed);
          const mask = BitMatrix.from(rows, cols, () => rng.uniform() < 0.7);
          const s = Array.from(rng.sampleWithoutReplacement(cols, Math.min(cols, 1 + rng.int(4))));
          let brute = 0;
          for (let r = 0; r < rows; r++) if (s.every((i) => mask.get(r, i))) brute++;
          return countFullyConnected(mask, s) === brute;
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('universalApproximationCheck', () => {
  it('holds on the dense coordinates, with observed counts consistent with α·n·q^k', () => {
    const net = sampleMaskedNetwork(g, { inputs: 12, hidden: 2000, seed: 3 });
    const v = universalApproximationCheck(g, { mask: net.mask, coordinates: [0, 1, 2], minNeurons: 50 });
    expect(v.holds).toBe(true);
    expect(v.k).toBe(3);
    expect(v.predictedCount).toBeCloseTo(2000 * 0.5 * 0.8 ** 3, 9);
    expect(v.requiredWidth).toBe(Math.ceil(50 / (0.5 * 0.512)));
    expect(v.observedCount).toBeDefined();
    expect(Math.abs(v.observedZScore!)).toBeLessThan(4);
    expect(v.conditions.map((c) => c.name)).toEqual([
      'active-coordinates',
      'floor-rectangle',
      'predicted-count',
      'observed-count',
    ]);
  });

  it('fails with margins when S includes sparse coordinates at a small width', () => {
    const v = universalApproximationCheck(g, { inputs: 12, width: 100, threshold: 0.04, minNeurons: 50 });
    // All 8 active coordinates: the floor is 0.05 on one half and 0.05² ... ≪ 1 per neuron.
    expect(v.k).toBe(8);
    expect(v.holds).toBe(false);
    const failed = v.conditions.filter((c) => !c.holds).map((c) => c.name);
    expect(failed).toEqual(['predicted-count']);
    const pc = v.conditions.find((c) => c.name === 'predicted-count')!;
    expect(pc.marginKind).toBe('ratio');
    expect(pc.margin).toBeLessThan(1e-6);
    expect(v.requiredWidth).toBeGreaterThan(1e9);
  });

  it('reports no active coordinates for an empty graphon', () => {
    const v = universalApproximationCheck(expressionGraphon('0'), { inputs: 5, width: 10 });
    expect(v.holds).toBe(false);
    expect(v.conditions[0].message).toMatch(/no coordinate/);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => universalApproximationCheck(g, { width: 10 })).toThrow(/inputs/);
    expect(() => universalApproximationCheck(g, { inputs: 12, width: 0 })).toThrow(InvalidArgumentError);
    expect(() => universalApproximationCheck(g, { inputs: 12, width: 5, coordinates: [12] })).toThrow(
      /coordinates\[0\]/,
    );
    expect(() => activeCoordinates(g, { inputs: 12, threshold: 1 })).toThrow(/threshold/);
  });
});
