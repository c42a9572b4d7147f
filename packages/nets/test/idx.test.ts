import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FormatError } from '@graphon-pai/core';
import { decodeIdx, readIdx } from '../src/data/idx';

/** An IDX payload written independently of the reader: big-endian header and data by DataView. */
function idx(
  type: number,
  shape: number[],
  values: number[],
  write: (v: DataView, i: number, x: number) => void,
  size: number,
) {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = shape.length;
  for (const [i, d] of shape.entries()) view.setUint32(4 + 4 * i, d, false);
  for (const [i, x] of values.entries()) write(view, header + i * size, x);
  return bytes;
}

describe('IDX reader', () => {
  test('decodes every element type big-endian, with the header shape', () => {
    const u8 = decodeIdx(idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255], (v, o, x) => v.setUint8(o, x), 1));
    expect(u8).toEqual({ dtype: 'uint8', shape: [2, 3], data: new Uint8Array([0, 1, 2, 253, 254, 255]) });
    const i8 = decodeIdx(idx(0x09, [2], [-128, 127], (v, o, x) => v.setInt8(o, x), 1));
    expect(Array.from(i8.data)).toEqual([-128, 127]);
    const i16 = decodeIdx(idx(0x0b, [3], [-30000, 258, 7], (v, o, x) => v.setInt16(o, x, false), 2));
    expect(i16.dtype).toBe('int16');
    expect(Array.from(i16.data)).toEqual([-30000, 258, 7]);
    const i32 = decodeIdx(
      idx(0x0c, [1, 2], [-2147483648, 16909060], (v, o, x) => v.setInt32(o, x, false), 4),
    );
    expect(Array.from(i32.data)).toEqual([-2147483648, 16909060]);
    const f32 = decodeIdx(idx(0x0d, [2], [1.5, -0.25], (v, o, x) => v.setFloat32(o, x, false), 4));
    expect(f32.data).toEqual(new Float32Array([1.5, -0.25]));
    const f64 = decodeIdx(idx(0x0e, [2, 1, 1], [Math.PI, -1e300], (v, o, x) => v.setFloat64(o, x, false), 8));
    expect(f64.shape).toEqual([2, 1, 1]);
    expect(f64.data).toEqual(new Float64Array([Math.PI, -1e300]));
  });

  test('bad magic, gzip, unknown type, bad dimension count, truncated header or data, trailing bytes', () => {
    const good = idx(0x08, [4], [1, 2, 3, 4], (v, o, x) => v.setUint8(o, x), 1);
    const edited = (edits: Record<number, number>) => () => {
      const b = good.slice();
      for (const [i, v] of Object.entries(edits)) b[Number(i)] = v;
      return decodeIdx(b);
    };
    const cut = (length: number) => () => decodeIdx(good.subarray(0, length));
    expect(edited({ 0: 1 })).toThrow(/magic bytes 1, 0/);
    expect(edited({ 0: 0x1f, 1: 0x8b })).toThrow(/gzip/);
    expect(edited({ 2: 0x0a })).toThrow(/element type 0x0a/);
    expect(edited({ 3: 0 })).toThrow(/dimension count 0/);
    expect(cut(3)).toThrow(/at least 4/);
    expect(cut(6)).toThrow(/inside the header/);
    expect(cut(10)).toThrow(/truncated: 10 bytes.*needs 12/);
    expect(cut(10)).toThrow(FormatError);
    const longer = new Uint8Array(13);
    longer.set(good);
    expect(() => decodeIdx(longer)).toThrow(/1 bytes after the 12/);
  });

  test('a header announcing more than maxBytes fails before allocating', () => {
    // 2^31 × 2^31 uint8: the file is 12 bytes; nothing of that size may be allocated.
    const hostile = idx(0x08, [2 ** 31, 2 ** 31], [], () => {}, 1);
    expect(() => decodeIdx(hostile)).toThrow(/above the limit of 1073741824/);
    const small = idx(0x0d, [4], [1, 2, 3, 4], (v, o, x) => v.setFloat32(o, x, false), 4);
    expect(() => decodeIdx(small, { maxBytes: 15 })).toThrow(/16 data bytes/);
    expect(decodeIdx(small, { maxBytes: 16 }).data.length).toBe(4);
    expect(() => decodeIdx(small, { maxBytes: -1 })).toThrow(/maxBytes/);
  });

  test('files: read by path, same result as the payload; truncated files and missing paths are typed errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nets-idx-'));
    try {
      const bytes = idx(0x0c, [2, 2], [1, -2, 3, -4], (v, o, x) => v.setInt32(o, x, false), 4);
      const file = path.join(dir, 'a-idx2-int');
      fs.writeFileSync(file, bytes);
      expect(readIdx(file)).toEqual(decodeIdx(bytes));
      fs.writeFileSync(file, bytes.subarray(0, bytes.length - 1));
      expect(() => readIdx(file)).toThrow(/truncated/);
      expect(() => readIdx(path.join(dir, 'missing'))).toThrow(/readable IDX file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
