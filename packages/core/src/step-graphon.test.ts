import { InvalidArgumentError } from './errors';
import { equalCuts, findBlock, StepGraphon, StepKernel } from './step-graphon';

describe('StepKernel / StepGraphon', () => {
  const w = new StepGraphon([0, 0.25, 1], [0, 0.5, 0.9, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);

  it('evaluates blocks with half-open intervals and a closed last interval', () => {
    expect(w.value(0, 0)).toBe(0.1);
    expect(w.value(0.2499, 0.5)).toBe(0.2);
    expect(w.value(0.25, 0.95)).toBe(0.6);
    expect(w.value(1, 1)).toBe(0.6);
    expect(w.block(1, 0)).toBe(0.4);
  });

  it('integrates exactly: sum of block areas times values', () => {
    const expected = 0.25 * (0.5 * 0.1 + 0.4 * 0.2 + 0.1 * 0.3) + 0.75 * (0.5 * 0.4 + 0.4 * 0.5 + 0.1 * 0.6);
    expect(w.integral()).toBeCloseTo(expected, 15);
    expect(StepGraphon.constant(0.3).integral()).toBe(0.3);
  });

  it('allows signed kernels but not graphon values outside [0, 1]', () => {
    expect(StepKernel.uniformBlocks(1, 2, [-1, 2]).integral()).toBeCloseTo(0.5, 15);
    expect(() => StepGraphon.uniformBlocks(1, 2, [-1, 2])).toThrow(/graphon value in \[0, 1\]/);
    expect(() => new StepKernel([0, 1], [0, 1], [Number.NaN])).toThrow(InvalidArgumentError);
    expect(() => new StepKernel([0, 0.5, 0.5, 1], [0, 1], [1, 1, 1])).toThrow(/strictly increasing/);
    expect(() => new StepKernel([0, 1], [0, 1], [1, 2])).toThrow(/1 × 1 = 1 block values/);
  });

  it('equalCuts and findBlock agree', () => {
    const c = equalCuts(7);
    for (let i = 0; i < 1000; i++) {
      const x = i / 999;
      expect(findBlock(c, x)).toBe(Math.min(6, Math.floor(x * 7 + 1e-12)));
    }
  });
});
