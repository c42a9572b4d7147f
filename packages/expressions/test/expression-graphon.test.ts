import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { compile, evaluate } from 'mathjs';
import { expressionGraphon, expressionProfile } from '../src';

describe('expressionGraphon against mathjs.evaluate', () => {
  const expressions = [
    'exp(-4*(u-v)^2)',
    '0.2 + 0.7*(u < 0.5)*(v < 0.5)',
    'min(1, 0.2 + 0.7*(u < 0.5)*(v <= 0.5) + 0.3*v)',
    'max(0, 1 - abs(u - v))',
    'u > 0.3 and v >= 0.6 ? 0.9 : 0.1',
    'not (u == v) ? 0.5 : 1',
    '0.5 + 0.4*sin(2*pi*u)*cos(pi*v)',
    'sqrt(u*v)',
    'mod(3*u + v, 1)',
    'tanh(u + v) / tanh(2)',
    'pow(u, 2) * e^(-v)',
    '1 / (1 + exp(-10*(v - 0.5)))',
    '-(-u) * +v',
    'log(1 + u*v) / log(2)',
    'floor(4*v) / 4',
    '1*(u != v or u == 0)',
  ];

  it.each(expressions)('agrees with mathjs.evaluate: %s', (expr) => {
    const g = expressionGraphon(expr);
    const ref = compile(expr);
    const rng = new Rng(expr);
    const points: [number, number][] = [
      [0, 0],
      [1, 1],
      [0.5, 0.5],
      [0.3, 0.6],
      ...Array.from({ length: 200 }, () => [rng.uniform(), rng.uniform()] as [number, number]),
    ];
    for (const [u, v] of points) {
      const r = ref.evaluate({ u, v });
      expect(g.value(u, v)).toBeCloseTo(typeof r === 'boolean' ? Number(r) : r, 14);
    }
  });

  it('keeps the expression as its closed form (erf and other mathjs functions)', () => {
    const g = expressionGraphon('erf(u + v) / erf(2)');
    expect(g.value(0.5, 0.5)).toBeCloseTo(evaluate('erf(1) / erf(2)'), 14);
    expect(g.closedForm).toBe('erf(u + v) / erf(2)');
  });

  it('rejects unknown variables, bad syntax, empty strings and values outside [0, 1] with the fix', () => {
    expect(() => expressionGraphon('x * u')).toThrow(InvalidArgumentError);
    expect(() => expressionGraphon('x * u')).toThrow(/u, v/);
    expect(() => expressionGraphon('(u + ')).toThrow(/mathjs can evaluate/);
    expect(() => expressionGraphon('  ')).toThrow(/non-empty/);
    // Checked on a probe grid at creation, not only when evaluated.
    expect(() => expressionGraphon('2*u')).toThrow(/\[0, 1\]/);
    expect(() => expressionGraphon('sqrt(u - 1)')).toThrow(/\[0, 1\]/);
  });

  it('a bare comparison is an indicator graphon (true/false evaluate as 1/0)', () => {
    const w = expressionGraphon('v < 0.25');
    expect(w.value(0.5, 0.1)).toBe(1);
    expect(w.value(0.5, 0.3)).toBe(0);
    expect(expressionGraphon('1*(v < 0.25)').value(0.5, 0.1)).toBe(1);
    expect(expressionGraphon('v < 0.25 ? 1 : 0').value(0.5, 0.3)).toBe(0);
  });
});

describe('expressionProfile', () => {
  it('b(x) with x, u and v naming the position; the expression is its name', () => {
    const p = expressionProfile('exp(-2*x) + 0*(u - v)');
    expect(p.name).toBe('exp(-2*x) + 0*(u - v)');
    for (const x of [0, 0.3, 1]) expect(p.profile(x)).toBeCloseTo(Math.exp(-2 * x), 15);
    expect(expressionProfile('x >= 0.3').profile(0.5)).toBe(1);
  });

  it('rejects bad syntax and unknown variables, naming the argument', () => {
    expect(() => expressionProfile('exp(-2*', '--col-factor.profile')).toThrow(
      /--col-factor\.profile.*mathjs/,
    );
    expect(() => expressionProfile('y + 1')).toThrow(InvalidArgumentError);
    expect(() => expressionProfile('y + 1')).toThrow(/x, u, v/);
  });
});
