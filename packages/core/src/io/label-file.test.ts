import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../errors';
import { readLabelFile } from './label-file';
import { writeNpy } from './npy';

describe('readLabelFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gp-labels-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, t: Parameters<typeof writeNpy>[1]) => {
    const path = join(dir, name);
    writeNpy(path, t);
    return path;
  };

  it('reads integer labels of any integer dtype, and integer-valued floats; classes = max + 1', () => {
    const i64 = file('i64.npy', { dtype: 'I64', shape: [4], data: BigInt64Array.from([0n, 3n, 1n, 3n]) });
    expect(readLabelFile(i64)).toEqual({ labels: Int32Array.from([0, 3, 1, 3]), classes: 4 });
    const f = file('f.npy', { dtype: 'F64', shape: [3, 1], data: Float64Array.from([2, 0, 1]) });
    expect(readLabelFile(f)).toEqual({ labels: Int32Array.from([2, 0, 1]), classes: 3 });
    const empty = file('empty.npy', { dtype: 'U8', shape: [0], data: new Uint8Array(0) });
    expect(readLabelFile(empty)).toEqual({ labels: new Int32Array(0), classes: 0 });
  });

  it.each([
    ['a fraction', Float64Array.from([0, 1.5]), /label 1\.5 at index 1/],
    ['NaN', Float64Array.from([Number.NaN]), /label NaN at index 0/],
    ['a negative label', Float64Array.from([0, -1]), /label -1 at index 1/],
    ['a label beyond maxClasses', Float64Array.from([70_000]), /not an integer class in \[0, 65536\)/],
  ])('%s is a FormatError naming the index', (_what, data, message) => {
    const path = file('bad.npy', { dtype: 'F64', shape: [data.length], data });
    expect(() => readLabelFile(path)).toThrow(FormatError);
    expect(() => readLabelFile(path)).toThrow(message);
  });

  it('refuses 2-D arrays and labels beyond a given class count', () => {
    const m = file('m.npy', { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) });
    expect(() => readLabelFile(m)).toThrow(/shape \(2, 2\)/);
    const y = file('y.npy', { dtype: 'I32', shape: [2], data: Int32Array.from([0, 10]) });
    expect(() => readLabelFile(y, { maxClasses: 10 })).toThrow(
      /label 10 at index 1 is not an integer class in \[0, 10\)/,
    );
  });
});
