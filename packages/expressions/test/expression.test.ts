import { InvalidArgumentError } from '@graphon-pai/core';
import { compileExpression, expressionGraphon, stepGraphonFromExpression } from '../src';

describe('expressions: booleans are indicators', () => {
  it('a comparison is the indicator graphon (1 where it holds, 0 elsewhere)', () => {
    const w = expressionGraphon('v < 0.25');
    expect(w.value(0.5, 0.1)).toBe(1);
    expect(w.value(0.5, 0.3)).toBe(0);
    expect(w.value(0.9, 0.25)).toBe(0);
    // midpoints 0.125, 0.375, 0.625, 0.875 of four column blocks
    expect(Array.from(stepGraphonFromExpression('v < 0.25', 2, 4).values)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    const both = expressionGraphon('u < 0.5 and v >= 0.5');
    expect([both.value(0.2, 0.7), both.value(0.2, 0.3), both.value(0.7, 0.7)]).toEqual([1, 0, 0]);
  });

  it('mixed boolean and arithmetic expressions evaluate as numbers', () => {
    const w = expressionGraphon('0.8*(u < 0.5) + 0.1');
    expect(w.value(0.2, 0.9)).toBeCloseTo(0.9, 15);
    expect(w.value(0.7, 0.9)).toBeCloseTo(0.1, 15);
    const f = compileExpression('(x < 0.5) ? 2 : x^2', ['x']);
    expect(f(0.1)).toBe(2);
    expect(f(0.75)).toBe(0.5625);
    // a boolean profile (a step) is 1/0 as well
    const g = compileExpression('x >= 0.3', ['x', 'u', 'v']);
    expect([g(0.1, 0.1, 0.1), g(0.3, 0.3, 0.3)]).toEqual([0, 1]);
  });

  it('other result types are typed errors naming the type and the point, not NaN', () => {
    expect(() => expressionGraphon('sqrt(u - 0.75)')).toThrow(InvalidArgumentError);
    expect(() => expressionGraphon('sqrt(u - 0.75)')).toThrow(/Complex .* at u = 0\.5, v = 0\.5/);
    expect(() => expressionGraphon('sqrt(u - 0.75)')).toThrow(/a graphon with values in \[0, 1\]/);
    expect(() => compileExpression('sqrt(x - 2)', ['x'])).toThrow(/real number .*Complex .* at x = 0\.5/);
    // real at the probe point, complex at u = 0 on the validation grid
    expect(() => expressionGraphon('sqrt(u - 0.25)')).toThrow(/Complex .* at u = 0, v = 0; .*sqrt\(max\(0/);
    expect(() => expressionGraphon('[u, v]')).toThrow(/evaluates to a DenseMatrix/);
    expect(() => expressionGraphon('(u - 0.5) / (u - 0.5)')).toThrow(
      /undefined \(NaN\) at \(u, v\) = \(0\.5, 0\)/,
    );
    expect(() => expressionGraphon('u + v')).toThrow(/evaluates to 1\.015625 .*clamp it/);
  });
});

describe('bad input', () => {
  it('values outside [0, 1] and syntax errors name the fix', () => {
    expect(() => expressionGraphon('u + v')).toThrow(/values in \[0, 1\]/);
    expect(() => expressionGraphon('exp(-4*(u-v)^')).toThrow(/mathjs/);
  });
});
