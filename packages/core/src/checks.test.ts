import { checkDensity, checkPositiveInteger } from './checks';
import { InvalidArgumentError } from './errors';

describe('checkDensity', () => {
  it('accepts (0, 1] and returns the value; (0, 1) with open', () => {
    expect(checkDensity(0.1)).toBe(0.1);
    expect(checkDensity(1)).toBe(1);
    expect(checkDensity(Number.MIN_VALUE)).toBe(Number.MIN_VALUE);
    expect(checkDensity(0.999, 'p', { open: true })).toBe(0.999);
  });

  it.each([0, -0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '0.1' as unknown as number])(
    'refuses %p, naming the argument, the interval and the fix',
    (p) => {
      expect(() => checkDensity(p, 'options.density')).toThrow(InvalidArgumentError);
      expect(() => checkDensity(p, 'options.density')).toThrow(
        /options\.density must be a number in \(0, 1\] \(the kept fraction\).*Fix: pass the kept fraction/,
      );
    },
  );

  it('open refuses 1 with the open interval in the message', () => {
    expect(() => checkDensity(1, 'density', { open: true })).toThrow(
      /a number in \(0, 1\) \(the kept fraction\)/,
    );
  });
});

describe('checkPositiveInteger', () => {
  it('accepts integers in [1, max] and returns them', () => {
    expect(checkPositiveInteger('n', 1)).toBe(1);
    expect(checkPositiveInteger('n', 2 ** 40)).toBe(2 ** 40);
    expect(checkPositiveInteger('n', 7, 7)).toBe(7);
  });

  it.each([0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', undefined])('refuses %p', (v) => {
    expect(() => checkPositiveInteger('options.rounds', v)).toThrow(
      /options\.rounds must be a positive integer/,
    );
  });

  it('names the range when a maximum is given', () => {
    expect(() => checkPositiveInteger('informative', 9, 8)).toThrow(
      /informative must be an integer in \[1, 8\]/,
    );
  });
});
