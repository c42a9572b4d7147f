import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { FormatError, InvalidArgumentError, UnsupportedError } from '../errors';
import type { DType, Tensor, TensorInput } from './dtype';
import { expectCorruptionToThrowOnlyTypedErrors } from './corruption.test-helper';
import { FIXTURES, runPython, tempDir } from './python.test-helper';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  readSafetensorsHeader,
  SafetensorsFile,
  writeSafetensors,
} from './safetensors';

interface Expected {
  safetensors: Record<
    string,
    { dtype: DType; shape: number[]; values: Array<number | string>; bits?: number[] }
  >;
  safetensors_metadata: Record<string, string>;
  safetensors_order: string[];
}
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Expected;
const FIXTURE_FILE = path.join(FIXTURES, 'weights.safetensors');

function asPlain(t: Tensor): Array<number | string> {
  if (t.data instanceof BigInt64Array || t.data instanceof BigUint64Array)
    return Array.from(t.data, (v) => v.toString());
  return Array.from(t.data as ArrayLike<number>);
}

/** Builds a raw safetensors payload from a header object and a data buffer (for hostile-file tests). */
function raw(header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: bigint): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('safetensors: numpy-written fixture', () => {
  it('loads every tensor with identical values, in header order, with metadata', () => {
    for (const load of [
      () => readSafetensors(FIXTURE_FILE),
      () => readSafetensors(fs.readFileSync(FIXTURE_FILE)),
    ]) {
      const { tensors, metadata } = load();
      expect(metadata).toEqual(expected.safetensors_metadata);
      expect([...tensors.keys()]).toEqual(expected.safetensors_order);
      for (const [name, exp] of Object.entries(expected.safetensors)) {
        const t = tensors.get(name)!;
        expect(t.dtype).toBe(exp.dtype);
        expect(t.shape).toEqual(exp.shape);
        expect(asPlain(t)).toEqual(exp.values);
      }
    }
  });

  it('decodes to the documented typed arrays', () => {
    const { tensors } = readSafetensors(FIXTURE_FILE);
    expect(tensors.get('f16')!.data).toBeInstanceOf(Float32Array);
    expect(tensors.get('bf16')!.data).toBeInstanceOf(Float32Array);
    expect(tensors.get('i64')!.data).toBeInstanceOf(BigInt64Array);
    expect(tensors.get('mask')!.data).toBeInstanceOf(Uint8Array);
    expect(tensors.get('f64')!.data).toBeInstanceOf(Float64Array);
    expect(tensors.get('scalar')!.shape).toEqual([]);
    expect(tensors.get('empty')!.data.length).toBe(0);
  });

  it('reads the header alone, and single tensors on demand', () => {
    const h = readSafetensorsHeader(FIXTURE_FILE);
    expect([...h.entries.keys()]).toEqual(expected.safetensors_order);
    expect(h.entries.get('layer.0.weight')).toEqual({ dtype: 'F32', shape: [3, 4], dataOffsets: [0, 48] });
    const f = SafetensorsFile.open(FIXTURE_FILE);
    try {
      expect(asPlain(f.read('u8'))).toEqual(expected.safetensors.u8.values);
      expect(() => f.read('nope')).toThrow(InvalidArgumentError);
    } finally {
      f.close();
    }
    expect(() => f.read('u8')).toThrow(/closed/);
    const some = readSafetensors(FIXTURE_FILE, { names: ['i8', 'f64'] });
    expect([...some.tensors.keys()]).toEqual(['i8', 'f64']);
  });
});

describe('safetensors: writing', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  const sample = (): Record<string, TensorInput> => ({
    'net.0.weight': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-8, -7]) },
    half: { dtype: 'F16', shape: [3], data: new Float32Array([0.5, -1, 1024]) },
    brain: { dtype: 'BF16', shape: [2], data: [1, -0.375] },
    mask: { dtype: 'BOOL', shape: [2, 2], data: [true, false, false, true] },
    ids: { dtype: 'I64', shape: [2], data: new BigInt64Array([-(2n ** 40n), 9n]) },
    small: { dtype: 'I16', shape: [1, 2], data: new Int16Array([-3, 4]) },
    big: { dtype: 'F64', shape: [], data: new Float64Array([Math.E]) },
    none: { dtype: 'U32', shape: [0, 4], data: new Uint32Array(0) },
  });

  it('round-trips in memory and through a file, keeping order and metadata', () => {
    const bytes = encodeSafetensors(sample(), { criterion: 'snip', density: '0.1' });
    // The header is padded to a multiple of 8 bytes, so the data buffer starts 8-aligned.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const file = path.join(dir, 'sample.safetensors');
    writeSafetensors(file, sample(), { criterion: 'snip', density: '0.1' });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
    for (const { tensors, metadata } of [decodeSafetensors(bytes), readSafetensors(file)]) {
      expect(metadata).toEqual({ criterion: 'snip', density: '0.1' });
      expect([...tensors.keys()]).toEqual(Object.keys(sample()));
      expect(Array.from(tensors.get('net.0.weight')!.data as Float32Array)).toEqual(
        Array.from(new Float32Array([1, -2, 3.5, 0, 1e-8, -7])),
      );
      expect(Array.from(tensors.get('half')!.data as Float32Array)).toEqual([0.5, -1, 1024]);
      expect(Array.from(tensors.get('brain')!.data as Float32Array)).toEqual([1, -0.375]);
      expect(Array.from(tensors.get('mask')!.data as Uint8Array)).toEqual([1, 0, 0, 1]);
      expect(tensors.get('ids')!.data).toEqual(new BigInt64Array([-(2n ** 40n), 9n]));
      expect(tensors.get('big')!.shape).toEqual([]);
      expect(tensors.get('none')!.shape).toEqual([0, 4]);
    }
  });

  it('files written here load in Python (numpy parsing the raw layout) with identical values', () => {
    const file = path.join(dir, 'for-python.safetensors');
    writeSafetensors(file, sample(), { criterion: 'snip' });
    const script = `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n].decode('utf-8'))
buf = raw[8 + n:]
np_dtype = {'F32': '<f4', 'F64': '<f8', 'F16': '<f2', 'BOOL': '?', 'I64': '<i8', 'I16': '<i2', 'U32': '<u4'}
out = {'metadata': header.pop('__metadata__', {}), 'order': list(header.keys()), 'tensors': {}}
for name, e in header.items():
    b, e_ = e['data_offsets']
    if e['dtype'] == 'BF16':
        bits = np.frombuffer(buf[b:e_], '<u2').astype(np.uint32) << 16
        arr = bits.view(np.float32)
    else:
        arr = np.frombuffer(buf[b:e_], np_dtype[e['dtype']])
    arr = arr.reshape(e['shape'])
    vals = [str(int(v)) for v in arr.reshape(-1)] if e['dtype'] == 'I64' else [float(v) for v in arr.reshape(-1)]
    out['tensors'][name] = {'shape': list(arr.shape), 'values': vals}
print(json.dumps(out))
`;
    const py = runPython(script, [file]) as {
      metadata: Record<string, string>;
      order: string[];
      tensors: Record<string, { shape: number[]; values: Array<number | string> }>;
    };
    expect(py.metadata).toEqual({ criterion: 'snip' });
    expect(py.order).toEqual(Object.keys(sample()));
    const back = readSafetensors(file).tensors;
    for (const [name, t] of back) {
      expect(py.tensors[name].shape).toEqual(t.shape);
      expect(py.tensors[name].values).toEqual(asPlain(t));
    }
    expect(py.tensors['net.0.weight'].values[4]).toBe(Math.fround(1e-8));
  });

  it('round-trips random tensors of every dtype (property)', () => {
    const dtypes: DType[] = ['BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'F16', 'BF16', 'F32', 'F64'];
    const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...dtypes), shapeArb, fc.integer()), { maxLength: 5 }),
        (specs) => {
          const tensors = new Map<string, TensorInput>();
          specs.forEach(([dtype, shape, seed], i) => {
            const n = shape.reduce((a, b) => a * b, 1);
            const vals = Array.from({ length: n }, (_, k) => {
              const x = Math.abs(Math.imul(seed + k, 2654435761)) % 100;
              return dtype === 'BOOL' ? x % 2 : dtype.startsWith('F') || dtype === 'BF16' ? (x - 50) / 4 : x;
            });
            tensors.set(`t${i}`, { dtype, shape, data: vals });
          });
          const back = decodeSafetensors(encodeSafetensors(tensors)).tensors;
          expect([...back.keys()]).toEqual([...tensors.keys()]);
          for (const [name, t] of tensors) {
            expect(back.get(name)!.shape).toEqual(t.shape);
            expect(Array.from(back.get(name)!.data as ArrayLike<number>)).toEqual(
              Array.from(t.data as ArrayLike<number>),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects bad input to the writer with typed errors', () => {
    expect(() =>
      encodeSafetensors({ a: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }),
    ).toThrow(/tensors\["a"\]\.data/);
    expect(() => encodeSafetensors({ a: { dtype: 'Q8' as DType, shape: [1], data: [1] } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: [1] } })).toThrow(
      /reserved/,
    );
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(/metadata\.n/);
    expect(() => encodeSafetensors({ a: { dtype: 'U8', shape: [1], data: [256] } })).toThrow(
      InvalidArgumentError,
    );
  });

  it('leaves the previous file intact when a write fails half-way', () => {
    const file = path.join(dir, 'keep.safetensors');
    writeSafetensors(file, { a: { dtype: 'U8', shape: [1], data: [1] } });
    const before = fs.readFileSync(file);
    // The second tensor fails to encode (300 does not fit U8) after the first one was streamed.
    expect(() =>
      writeSafetensors(file, {
        big: { dtype: 'F32', shape: [1000], data: new Float32Array(1000) },
        bad: { dtype: 'U8', shape: [1], data: [300] },
      }),
    ).toThrow(InvalidArgumentError);
    expect(fs.readFileSync(file)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('safetensors: hostile and malformed files', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const valid = encodeSafetensors({
    a: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    b: { dtype: 'U8', shape: [3], data: [1, 2, 3] },
  });
  const f32 = (n: number) => new Uint8Array(4 * n);

  /** Both entry points (bytes and file) must reject with a FormatError whose message matches. */
  function rejects(
    bytes: Uint8Array,
    pattern: RegExp,
    ErrorType: typeof FormatError | typeof UnsupportedError = FormatError,
  ) {
    expect(() => decodeSafetensors(bytes, 'hostile.safetensors')).toThrow(ErrorType);
    expect(() => decodeSafetensors(bytes, 'hostile.safetensors')).toThrow(pattern);
    const file = path.join(dir, 'hostile.safetensors');
    fs.writeFileSync(file, bytes);
    let caught: unknown;
    try {
      readSafetensors(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ErrorType);
    expect((caught as Error).message).toMatch(pattern);
    expect((caught as Error).message).toContain(file);
  }

  it('every truncation of a valid file fails with a FormatError', () => {
    for (let len = 0; len < valid.length; len++) {
      expect(() => decodeSafetensors(valid.subarray(0, len))).toThrow(FormatError);
    }
    rejects(valid.subarray(0, valid.length - 1), /bytes after the last tensor|outside/);
    rejects(valid.subarray(0, 5), /shorter than the 8-byte/);
  });

  it('rejects header lengths over 100 MB or past the end of the file, before allocating', () => {
    rejects(raw({}, new Uint8Array(0), 2n ** 63n), /exceeds the 100000000-byte limit/);
    rejects(raw({}, new Uint8Array(0), 100_000_001n), /exceeds/);
    rejects(raw({}, new Uint8Array(0), 5000n), /runs past the end/);
    rejects(raw('', new Uint8Array(0), 0n), /too short/);
  });

  it('rejects bad JSON, non-objects, invalid UTF-8 and headers not starting with {', () => {
    rejects(raw('{"a": {"dtype": "F32",'), /not valid JSON/);
    rejects(raw('["a"]'), /start with '\{'/);
    rejects(raw(' {}'), /start with '\{'/);
    const bad = raw('{"\xff": 1}');
    bad[10] = 0xff;
    rejects(bad, /UTF-8/);
  });

  it('rejects offsets out of range, overlapping, with gaps, or trailing bytes', () => {
    rejects(
      raw({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 16] } }, f32(2)),
      /outside the 8-byte data buffer/,
    );
    rejects(raw({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32(2)), /outside/);
    rejects(
      raw(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      ),
      /overlap/,
    );
    rejects(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /gap of 4 bytes/);
    rejects(
      raw({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)),
      /4 bytes after the last tensor/,
    );
    rejects(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [0, -4] } }, f32(1)), /data_offsets/);
    rejects(raw({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, f32(1)), /data_offsets/);
  });

  it('rejects sizes that do not match dtype × shape (including huge claimed shapes)', () => {
    rejects(
      raw({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, f32(2)),
      /occupies 8 bytes but F64 × shape \[2\] needs 16/,
    );
    rejects(
      raw({ a: { dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 8] } }, f32(2)),
      /needs 4398046511104/,
    );
    rejects(raw({ a: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, f32(2)), /shape/);
    rejects(raw({ a: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, f32(2)), /shape/);
  });

  it('rejects unknown dtypes, and names unsupported ones', () => {
    rejects(
      raw({ a: { dtype: 'F33', shape: [2], data_offsets: [0, 8] } }, f32(2)),
      /unknown dtype "F33".*use one of BOOL/,
    );
    rejects(
      raw({ a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)),
      /F8_E4M3/,
      UnsupportedError,
    );
  });

  it('rejects duplicate tensor names, bad metadata and non-0/1 BOOL bytes', () => {
    const dup =
      '{"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}';
    rejects(raw(dup, new Uint8Array(2)), /names tensor "a" twice/);
    rejects(raw({ __metadata__: { n: 3 } }), /metadata values must be strings/);
    rejects(raw({ __metadata__: ['x'] }), /__metadata__ must be an object/);
    rejects(raw({ a: 'F32' }), /header entry must be an object/);
    rejects(
      raw({ m: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, new Uint8Array([1, 7])),
      /byte value 7/,
    );
  });

  it('accepts a header padded with trailing spaces, and an empty file body', () => {
    const padded = raw(
      '{"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}     ',
      new Uint8Array([9]),
    );
    expect(Array.from(decodeSafetensors(padded).tensors.get('a')!.data as Uint8Array)).toEqual([9]);
    expect(decodeSafetensors(raw({})).tensors.size).toBe(0);
  });
});

describe('safetensors: robustness', () => {
  const base = encodeSafetensors(
    {
      w: { dtype: 'F32', shape: [2, 3], data: new Float32Array(6).fill(1.5) },
      m: { dtype: 'BOOL', shape: [4], data: [1, 0, 1, 1] },
      h: { dtype: 'F16', shape: [1], data: [2] },
    },
    { k: 'v' },
  );

  it('corrupted payloads either decode or throw a typed GraphonPaiError, never anything else (fuzz)', () => {
    expectCorruptionToThrowOnlyTypedErrors(base, decodeSafetensors);
  });

  it('keeps tensors and metadata named like Object.prototype members', () => {
    const bytes = encodeSafetensors(
      new Map<string, TensorInput>([
        ['__proto__', { dtype: 'U8', shape: [1], data: [7] }],
        ['constructor', { dtype: 'U8', shape: [1], data: [8] }],
      ]),
      JSON.parse('{"__proto__": "p", "toString": "t"}'),
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['__proto__', 'constructor']);
    expect(Array.from(tensors.get('__proto__')!.data as Uint8Array)).toEqual([7]);
    expect(Object.keys(metadata)).toEqual(['__proto__', 'toString']);
  });
});

describe('safetensors: header order', () => {
  it('accepts entries listed in any order (offsets decide the layout), and keeps header order', () => {
    const header = {
      b: { dtype: 'U8', shape: [2], data_offsets: [4, 6] },
      a: { dtype: 'I16', shape: [2], data_offsets: [0, 4] },
    };
    const text = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + text.length + 6);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
    bytes.set(text, 8);
    bytes.set([0xff, 0xff, 2, 0, 9, 8], 8 + text.length);
    const { tensors } = decodeSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['b', 'a']);
    expect(Array.from(tensors.get('a')!.data as Int16Array)).toEqual([-1, 2]);
    expect(Array.from(tensors.get('b')!.data as Uint8Array)).toEqual([9, 8]);
  });
});
