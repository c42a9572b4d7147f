import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { InvalidArgumentError } from '../errors';
import {
  bf16ToNumber,
  decodeLittleEndian,
  encodeLittleEndian,
  f16ToNumber,
  int64ToNumbers,
  numberToBf16,
  numberToF16,
  shapeSize,
  swapBytes,
} from './dtype';
import { FIXTURES } from './python.test-helper';

/** Slow reference decoder of binary16, written from the IEEE 754 definition with float64 arithmetic. */
function f16Reference(bits: number): number {
  const s = bits >> 15 ? -1 : 1;
  const e = (bits >> 10) & 31;
  const f = bits & 1023;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  if (e === 0) return s * (f / 1024) * 2 ** -14;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

describe('half precision', () => {
  it('decodes every F16 bit pattern exactly and re-encodes it to the same bits', () => {
    const wrong: string[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = f16ToNumber(b);
      const ref = f16Reference(b);
      if (Number.isNaN(ref)) {
        if (!Number.isNaN(v) || (numberToF16(v) & 0x7c00) !== 0x7c00) wrong.push(`NaN pattern ${b}`);
      } else if (!Object.is(v, ref) || numberToF16(v) !== b) {
        wrong.push(`bits ${b}: decoded ${v}, reference ${ref}, re-encoded ${numberToF16(v)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("rounds float64 to F16 exactly like numpy's astype(float16) (ties, subnormals, overflow)", () => {
    const ref = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'half_rounding.json'), 'utf8')) as {
      inputs: string[];
      f16_bits: number[];
    };
    expect(ref.inputs.length).toBeGreaterThan(400);
    const parse = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
    const got = ref.inputs.map((s) => numberToF16(parse(s)));
    expect(got).toEqual(ref.f16_bits);
  });

  it('rounds to the nearest F16 (property: no representable value is closer)', () => {
    fc.assert(
      fc.property(fc.double({ min: -65504, max: 65504, noNaN: true }), (x) => {
        const h = numberToF16(x);
        const v = f16ToNumber(h);
        const err = Math.abs(v - x);
        for (const nb of [h - 1, h + 1]) {
          if ((nb & 0x7c00) === 0x7c00 || nb < 0 || nb > 0xffff) continue;
          if ((nb & 0x8000) !== (h & 0x8000)) continue;
          expect(err).toBeLessThanOrEqual(Math.abs(f16ToNumber(nb) - x));
        }
      }),
    );
  });

  it('BF16 keeps the top half of a float32, rounding to nearest even', () => {
    expect(numberToBf16(1)).toBe(0x3f80);
    expect(bf16ToNumber(0x3f80)).toBe(1);
    // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties to even (1).
    expect(numberToBf16(1 + 2 ** -8)).toBe(0x3f80);
    expect(numberToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(Number.isNaN(bf16ToNumber(numberToBf16(Number.NaN)))).toBe(true);
    expect(bf16ToNumber(numberToBf16(Number.POSITIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
    const wrong: number[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = bf16ToNumber(b);
      if (!Number.isNaN(v) && numberToBf16(v) !== b) wrong.push(b);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe('encodeLittleEndian / decodeLittleEndian', () => {
  it('round-trips every dtype', () => {
    const cases: Array<[Parameters<typeof encodeLittleEndian>[0], ArrayLike<number | bigint>]> = [
      ['BOOL', [0, 1, 1, 0]],
      ['U8', [0, 255, 3]],
      ['I8', [-128, 127, 0]],
      ['U16', [0, 65535]],
      ['I16', [-32768, 32767]],
      ['U32', [0, 4294967295]],
      ['I32', [-2147483648, 2147483647]],
      ['F32', [1.5, -2.25, 2 ** 100]],
      ['F64', [Math.PI, -1e-300]],
      ['F16', [1, -0.5, 65504]],
      ['BF16', [1, -2, 3.140625]],
    ];
    for (const [dtype, values] of cases) {
      const bytes = encodeLittleEndian(dtype, values as ArrayLike<number>, 'x').slice();
      const back = decodeLittleEndian(dtype, bytes, values.length, 'x');
      expect(Array.from(back as ArrayLike<number>)).toEqual(Array.from(values as ArrayLike<number>));
    }
    const i64 = new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n]);
    expect(decodeLittleEndian('I64', encodeLittleEndian('I64', i64, 'x').slice(), 3, 'x')).toEqual(i64);
    expect(
      decodeLittleEndian('U64', encodeLittleEndian('U64', [0, 2 ** 53 - 1], 'x').slice(), 2, 'x'),
    ).toEqual(new BigUint64Array([0n, 2n ** 53n - 1n]));
  });

  it('writes little-endian bytes', () => {
    expect(Array.from(encodeLittleEndian('U32', [0x01020304], 'x'))).toEqual([4, 3, 2, 1]);
    expect(Array.from(encodeLittleEndian('F16', [1], 'x'))).toEqual([0x00, 0x3c]);
  });

  it('never wraps out-of-range integers and rejects non-0/1 booleans', () => {
    expect(() => encodeLittleEndian('I8', [300], 'w')).toThrow(InvalidArgumentError);
    expect(() => encodeLittleEndian('U8', [-1], 'w')).toThrow(/w\[0\]/);
    expect(() => encodeLittleEndian('I32', [1.5], 'w')).toThrow(InvalidArgumentError);
    expect(() => encodeLittleEndian('BOOL', [0, 2], 'w')).toThrow(/w\[1\]/);
    expect(() => encodeLittleEndian('U64', [-1], 'w')).toThrow(InvalidArgumentError);
    expect(() => encodeLittleEndian('I64', [2 ** 60], 'w')).toThrow(InvalidArgumentError);
    expect(() => decodeLittleEndian('BOOL', new Uint8Array([0, 1, 2]), 3, 'mask')).toThrow(/byte value 2/);
  });

  it('swapBytes reverses each element', () => {
    const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    swapBytes(b, 4);
    expect(Array.from(b)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });

  it('int64ToNumbers converts exactly or throws', () => {
    expect(Array.from(int64ToNumbers(new BigInt64Array([-5n, 2n ** 53n - 1n])))).toEqual([-5, 2 ** 53 - 1]);
    expect(() => int64ToNumbers(new BigInt64Array([2n ** 53n + 1n]), 'ids')).toThrow(/ids\[0\]/);
  });

  it('shapeSize checks every dimension', () => {
    expect(shapeSize([2, 3, 4], 'shape')).toBe(24);
    expect(shapeSize([], 'shape')).toBe(1);
    expect(shapeSize([0, 5], 'shape')).toBe(0);
    expect(() => shapeSize([2, -1], 'shape')).toThrow(InvalidArgumentError);
    expect(() => shapeSize([2 ** 30, 2 ** 30], 'shape')).toThrow(/2\^53/);
  });
});
