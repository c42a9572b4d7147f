import fc from 'fast-check';
import { compareArrays, describeComparison, installMatchers, numericMatchers } from '../src';

installMatchers();

/** Reference: numpy's isclose, element by element, in plain float64. */
function referenceMismatches(a: number[], e: number[], rtol: number, atol: number): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) n++;
  return n;
}

describe('compareArrays', () => {
  it('counts violations exactly like numpy.isclose (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1e3, max: 1e3, noNaN: true }),
            fc.double({ min: -1e-2, max: 1e-2, noNaN: true }),
          ),
          {
            maxLength: 50,
          },
        ),
        fc.double({ min: 0, max: 1e-2, noNaN: true }),
        fc.double({ min: 0, max: 1e-3, noNaN: true }),
        (pairs, rtol, atol) => {
          const e = pairs.map((p) => p[0]);
          const a = pairs.map((p) => p[0] + p[1]);
          const c = compareArrays(a, e, { rtol, atol });
          expect(c.mismatches).toBe(referenceMismatches(a, e, rtol, atol));
          expect(c.pass).toBe(c.mismatches === 0);
        },
      ),
    );
  });

  it('finds the worst index by error relative to tolerance, and the max errors', () => {
    const e = [1, 100, 1000, 0];
    const a = [1.1, 100.5, 1000.5, 0];
    const c = compareArrays(a, e, { rtol: 1e-3, atol: 0 });
    // tolerances 0.001, 0.1, 1 → ratios 100, 5, 0.5
    expect(c.mismatches).toBe(2);
    expect(c.worstIndex).toBe(0);
    expect(c.maxAbsError).toBeCloseTo(0.5, 12);
    expect(c.maxRelError).toBeCloseTo(0.1, 12);
    expect(describeComparison(c, { rtol: 1e-3, atol: 0 })).toMatch(
      /2 of 4 elements.*\n.*worst at index 0: actual 1\.1, expected 1/,
    );
  });

  it('handles NaN, infinities, lengths and bigint arrays', () => {
    expect(compareArrays([Number.NaN], [Number.NaN]).pass).toBe(false);
    expect(compareArrays([Number.NaN], [Number.NaN], { equalNan: true }).pass).toBe(true);
    expect(compareArrays([Infinity], [Infinity]).pass).toBe(true);
    expect(compareArrays([Infinity], [-Infinity]).pass).toBe(false);
    expect(compareArrays([1e308], [Infinity]).pass).toBe(false);
    const short = compareArrays([1, 2], [1, 2, 3]);
    expect(short.pass).toBe(false);
    expect(describeComparison(short)).toMatch(/lengths differ/);
    expect(compareArrays(new BigInt64Array([5n]), [5]).pass).toBe(true);
    expect(() => compareArrays([1], [1], { rtol: -1 })).toThrow(/rtol/);
  });
});

describe('jest matchers', () => {
  it('toBeCloseToArray passes within tolerance and fails with the worst index in the message', () => {
    expect(new Float32Array([1, 2, 3])).toBeCloseToArray([1, 2, 3.00001]);
    expect(new Float64Array([1, 2, 3])).not.toBeCloseToArray([1, 2, 3.1]);
    expect(() => expect([1, 2, 3]).toBeCloseToArray([1, 2.5, 3], { rtol: 1e-6 })).toThrow(
      /1 of 3 elements[\s\S]*worst at index 1: actual 2, expected 2\.5/,
    );
    const r = numericMatchers.toBeCloseToArray.call({}, 'x', [1]);
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/numeric arrays/);
  });

  it('toBeAllFinite names the first bad element', () => {
    expect(new Float32Array([0, 1e30])).toBeAllFinite();
    expect(() => expect([0, Number.NaN, Infinity]).toBeAllFinite()).toThrow(
      /2 are not, the first at index 1 \(NaN\)/,
    );
    expect([Number.NaN]).not.toBeAllFinite();
  });
});
