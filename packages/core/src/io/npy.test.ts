import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { FormatError, GraphonPaiError, InvalidArgumentError, UnsupportedError } from '../errors';
import type { DType, Tensor } from './dtype';
import { decodeNpy, encodeNpy, readNpy, readNpyHeader, writeNpy } from './npy';
import { expectCorruptionToThrowOnlyTypedErrors } from './corruption.test-helper';
import { FIXTURES, runPython, tempDir } from './python.test-helper';

interface NpyExpected {
  descr: string;
  shape: number[];
  fortran: boolean;
  values: Array<number | string>;
}
const expected = (
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
    npy: Record<string, NpyExpected>;
  }
).npy;

const plain = (t: Tensor): Array<number | string> =>
  t.data instanceof BigInt64Array || t.data instanceof BigUint64Array
    ? Array.from(t.data, (v) => v.toString())
    : Array.from(t.data as ArrayLike<number>);

/** A raw .npy payload with a hand-written header (for malformed-file tests). */
function npy(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  version: [number, number] = [1, 0],
): Uint8Array {
  const text = new TextEncoder().encode(header);
  const pre = version[0] === 1 ? 10 : 12;
  const out = new Uint8Array(pre + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const dv = new DataView(out.buffer);
  if (pre === 10) dv.setUint16(8, text.length, true);
  else dv.setUint32(8, text.length, true);
  out.set(text, pre);
  out.set(data, pre + text.length);
  return out;
}

describe('npy: numpy-written fixtures', () => {
  const names = Object.keys(expected);
  it('covers versions 1.0/2.0/3.0, big-endian, Fortran order, 0-d and empty arrays', () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(readNpyHeader(path.join(FIXTURES, 'npy', 'f4_v2.npy')).version).toEqual([2, 0]);
    expect(readNpyHeader(path.join(FIXTURES, 'npy', 'f8_v3.npy')).version).toEqual([3, 0]);
    expect(readNpyHeader(path.join(FIXTURES, 'npy', 'f8_big_endian_2x2.npy')).bigEndian).toBe(true);
    expect(readNpyHeader(path.join(FIXTURES, 'npy', 'f8_fortran_2x3x4.npy')).fortranOrder).toBe(true);
  });

  it.each(names)('%s loads with identical values in C order (file and bytes)', (name) => {
    const file = path.join(FIXTURES, 'npy', `${name}.npy`);
    for (const t of [readNpy(file), readNpy(fs.readFileSync(file))]) {
      expect(t.shape).toEqual(expected[name].shape);
      expect(plain(t)).toEqual(expected[name].values);
    }
  });
});

describe('npy: writing', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('writes version 1.0 with a 64-byte aligned header that numpy loads identically', () => {
    const cases: Array<[string, Tensor | { dtype: DType; shape: number[]; data: ArrayLike<number> }]> = [
      ['f4', { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0.1, 1e-30, -0]) }],
      ['f8', { dtype: 'F64', shape: [3], data: new Float64Array([Math.PI, -1e300, 5e-324]) }],
      ['f2', { dtype: 'F16', shape: [2], data: new Float32Array([0.5, 65504]) }],
      ['u1', { dtype: 'U8', shape: [2, 2], data: new Uint8Array([0, 255, 7, 8]) }],
      ['b1', { dtype: 'BOOL', shape: [3], data: [1, 0, 1] }],
      ['i4', { dtype: 'I32', shape: [2], data: new Int32Array([-5, 2147483647]) }],
      ['u4', { dtype: 'U32', shape: [1, 1, 2], data: new Uint32Array([4294967295, 3]) }],
      ['s0', { dtype: 'F64', shape: [], data: [2.5] }],
      ['e0', { dtype: 'F32', shape: [0, 2], data: new Float32Array(0) }],
    ];
    const files = cases.map(([name, t]) => {
      const file = path.join(dir, `${name}.npy`);
      writeNpy(file, t);
      const bytes = fs.readFileSync(file);
      expect(new Uint8Array(bytes)).toEqual(encodeNpy(t));
      expect([bytes[6], bytes[7]]).toEqual([1, 0]);
      expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
      return file;
    });
    const py = runPython(
      `
import json, sys, numpy as np
out = []
for p in sys.argv[1:]:
    a = np.load(p)
    out.append({'descr': a.dtype.str, 'shape': list(a.shape), 'values': [float(v) for v in a.reshape(-1)]})
print(json.dumps(out))
`,
      files,
    ) as Array<{ descr: string; shape: number[]; values: number[] }>;
    const descr = ['<f4', '<f8', '<f2', '|u1', '|b1', '<i4', '<u4', '<f8', '<f4'];
    cases.forEach(([, t], i) => {
      expect(py[i].descr).toBe(descr[i]);
      expect(py[i].shape).toEqual(t.shape);
      expect(py[i].values).toEqual(Array.from(t.data as ArrayLike<number>, Number));
    });
  });

  it('writes I64 exactly (numpy reads the same integers)', () => {
    const file = path.join(dir, 'i8.npy');
    const data = new BigInt64Array([-(2n ** 63n), 2n ** 53n + 1n]);
    writeNpy(file, { dtype: 'I64', shape: [2], data });
    const py = runPython(
      `import json,sys,numpy as np; print(json.dumps([str(v) for v in np.load(sys.argv[1])]))`,
      [file],
    );
    expect(py).toEqual(Array.from(data, String));
    expect(readNpy(file).data).toEqual(data);
  });

  it('switches to version 2.0 when the header outgrows 65535 bytes, and reads it back', () => {
    const shape = new Array(25000).fill(1);
    const bytes = encodeNpy({ dtype: 'U8', shape, data: [42] });
    expect([bytes[6], bytes[7]]).toEqual([2, 0]);
    const t = decodeNpy(bytes);
    expect(t.shape.length).toBe(25000);
    expect(Array.from(t.data as Uint8Array)).toEqual([42]);
  });

  it('round-trips random arrays (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
        fc.constantFrom<DType>('F32', 'F64', 'I32', 'I16', 'I8', 'F16'),
        (shape, dtype) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = Array.from({ length: n }, (_, i) => ((i * 37) % 23) - 11);
          const t = decodeNpy(encodeNpy({ dtype, shape, data }));
          expect(t.shape).toEqual(shape);
          expect(Array.from(t.data as ArrayLike<number>)).toEqual(data);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects what numpy cannot represent or mismatched data', () => {
    expect(() => encodeNpy({ dtype: 'BF16', shape: [1], data: [1] })).toThrow(UnsupportedError);
    expect(() => encodeNpy({ dtype: 'F32', shape: [2], data: [1] })).toThrow(InvalidArgumentError);
  });
});

describe('npy: malformed and hostile files', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const H = (descr: string, shape: string, fortran = 'False') =>
    `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

  function rejects(
    bytes: Uint8Array,
    pattern: RegExp,
    type: typeof FormatError | typeof UnsupportedError = FormatError,
  ) {
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(type);
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(pattern);
    const file = path.join(dir, 'bad.npy');
    fs.writeFileSync(file, bytes);
    expect(() => readNpy(file)).toThrow(type);
    expect(() => readNpy(file)).toThrow(pattern);
  }

  it('every truncation of a valid file fails with a FormatError', () => {
    const valid = encodeNpy({ dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] });
    for (let len = 0; len < valid.length; len++)
      expect(() => decodeNpy(valid.subarray(0, len))).toThrow(FormatError);
    rejects(valid.subarray(0, valid.length - 3), /truncated/);
  });

  it('rejects bad magic, unknown versions and oversized header lengths', () => {
    rejects(new TextEncoder().encode('PK\x03\x04 not numpy at all'), /magic/);
    rejects(npy(H('<f4', '(1,)'), new Uint8Array(4), [4, 0]), /version 4\.0/, UnsupportedError);
    const huge = npy(H('<f4', '(1,)'), new Uint8Array(4), [2, 0]);
    new DataView(huge.buffer).setUint32(8, 0xfffffff0, true);
    rejects(huge, /exceeds the 1048576-byte limit/);
    const past = npy(H('<f4', '(1,)'), new Uint8Array(4));
    new DataView(past.buffer).setUint16(8, 60000, true);
    rejects(past, /runs past the end/);
  });

  it('rejects data sizes that do not match, including huge claimed shapes', () => {
    rejects(npy(H('<f4', '(3,)'), new Uint8Array(8)), /needs 12 bytes/);
    rejects(npy(H('<f4', '(1,)'), new Uint8Array(8)), /4 unexpected bytes/);
    rejects(npy(H('<f8', '(100000, 100000)'), new Uint8Array(8)), /needs 80000000000 bytes/);
  });

  it('rejects malformed headers with a clear message', () => {
    rejects(npy("{'descr': '<f4', 'fortran_order': False}\n", new Uint8Array(4)), /lacks the 'shape' key/);
    rejects(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) \n", new Uint8Array(4)),
      /Python dict literal/,
    );
    rejects(
      npy("{'descr': '<f4', 'fortran_order': __import__('os'), 'shape': (1,)}\n", new Uint8Array(4)),
      /unexpected token/,
    );
    rejects(npy(H('<f4', '(1, -2)'), new Uint8Array(4)), /shape/);
    rejects(npy(H('<f4', '(1,)', '1'), new Uint8Array(4)), /fortran_order/);
    rejects(npy(H('|f4', '(1,)'), new Uint8Array(4)), /no byte order/);
  });

  it('rejects unsupported dtypes by name', () => {
    rejects(npy(H('<U5', '(1,)'), new Uint8Array(20)), /dtype '<U5' is not supported/, UnsupportedError);
    rejects(npy(H('|O', '(1,)'), new Uint8Array(8)), /'\|O'/, UnsupportedError);
    rejects(npy(H('<c16', '(1,)'), new Uint8Array(16)), /c16/, UnsupportedError);
    rejects(npy(H('=f4', '(1,)'), new Uint8Array(4)), /byte order/, UnsupportedError);
    rejects(
      npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(4)),
      /structured dtype/,
      UnsupportedError,
    );
  });
});

describe('npy: robustness', () => {
  const base = encodeNpy({ dtype: 'F64', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });

  it('corrupted payloads either decode or throw a typed GraphonPaiError, never anything else (fuzz)', () => {
    expectCorruptionToThrowOnlyTypedErrors(base, decodeNpy);
  });

  it('header corruption targeted at the dict text never escapes as a non-typed error (fuzz)', () => {
    const text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.constantFrom(...`'"(),:{}[]-0123456789 TFLx\\`), (pos, ch) => {
        const h = `${text.slice(0, pos)}${ch}${text.slice(pos + 1)}\n`;
        try {
          decodeNpy(npy(h, new Uint8Array(48)));
        } catch (error) {
          expect(error).toBeInstanceOf(GraphonPaiError);
        }
      }),
      { numRuns: 800 },
    );
  });
});
