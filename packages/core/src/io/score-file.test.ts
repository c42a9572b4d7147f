import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../errors';
import { readSafetensorsHeader, writeSafetensors } from './safetensors';
import { writeNpy } from './npy';
import { readScoreFile, readScoreMatrix, writeScoreFile } from './score-file';

describe('score files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gp-scores-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a score map (float32, layer order kept); F64 and rank-4 tensors read as rows × rest', () => {
    const path = join(dir, 's.safetensors');
    const scores = new Map([
      ['b', { shape: { rows: 2, cols: 3 }, scores: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      ['a', { shape: { rows: 1, cols: 2 }, scores: Float32Array.from([0.5, -1]) }],
    ]);
    writeScoreFile(path, scores);
    expect(readScoreFile(path)).toEqual(scores);
    const conv = join(dir, 'conv.safetensors');
    writeSafetensors(conv, {
      c: { dtype: 'F64', shape: [2, 1, 2, 2], data: Float64Array.from({ length: 8 }, (_, i) => i) },
    });
    expect(readScoreFile(conv).get('c')).toEqual({
      shape: { rows: 2, cols: 4, tensorShape: [2, 1, 2, 2] },
      scores: Float32Array.from({ length: 8 }, (_, i) => i),
    });
  });

  it("writes a convolution's scores in the weight's layout [out, in, kh, kw] and reads them back", () => {
    const path = join(dir, 'conv-scores.safetensors');
    const scores = new Map([
      [
        'conv',
        {
          shape: { rows: 3, cols: 8, tensorShape: [3, 2, 2, 2] },
          scores: Float32Array.from({ length: 24 }, (_, i) => i / 2),
        },
      ],
      ['fc', { shape: { rows: 2, cols: 3 }, scores: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ]);
    writeScoreFile(path, scores);
    expect(readSafetensorsHeader(path).entries.get('conv')?.shape).toEqual([3, 2, 2, 2]);
    expect(readSafetensorsHeader(path).entries.get('fc')?.shape).toEqual([2, 3]);
    expect(readScoreFile(path)).toEqual(scores);
    const wrong = new Map([
      ['conv', { shape: { rows: 3, cols: 8, tensorShape: [3, 2, 3, 2] }, scores: new Float32Array(24) }],
    ]);
    expect(() => writeScoreFile(path, wrong)).toThrow(/trailing sizes multiply to 8/);
  });

  it.each([
    ['an integer tensor', { t: { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) } }, /"t" is I32/],
    ['a 1-D tensor', { t: { dtype: 'F32', shape: [4], data: new Float32Array(4) } }, /shape \[4\]/],
    ['an empty layer', { t: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) } }, /shape \[0, 4\]/],
    [
      'a NaN score',
      { t: { dtype: 'F32', shape: [1, 2], data: Float32Array.from([1, Number.NaN]) } },
      /NaN at index 1/,
    ],
    ['no tensor', {}, /holds no tensors/],
  ] as const)('%s is a FormatError', (_what, tensors, message) => {
    const path = join(dir, 'bad.safetensors');
    writeSafetensors(path, tensors as never);
    expect(() => readScoreFile(path)).toThrow(FormatError);
    expect(() => readScoreFile(path)).toThrow(message);
  });

  it('a mask file is not a score file', () => {
    const path = join(dir, 'm.safetensors');
    writeSafetensors(
      path,
      { t: { dtype: 'F32', shape: [1, 1], data: new Float32Array(1) } },
      { format: 'graphon-pai/mask' },
    );
    expect(() => readScoreFile(path)).toThrow(/not a score file/);
  });

  it('readScoreMatrix: one float .npy array or one tensor as stored (float64 kept), viewed as rows × rest', () => {
    const npy = join(dir, 'm.npy');
    const values = Float64Array.from({ length: 12 }, (_, i) => i / 3);
    writeNpy(npy, { dtype: 'F64', shape: [3, 2, 2], data: values });
    expect(readScoreMatrix(npy)).toEqual({ name: npy, rows: 3, cols: 4, scores: values });
    const st = join(dir, 'two.safetensors');
    writeSafetensors(st, {
      a: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      b: { dtype: 'F64', shape: [1, 2], data: Float64Array.from([0.5, 0.25]) },
    });
    expect(readScoreMatrix(st, 'b')).toEqual({
      name: 'b',
      rows: 1,
      cols: 2,
      scores: Float64Array.from([0.5, 0.25]),
    });
    expect(() => readScoreMatrix(st)).toThrow(
      /tensor must be one of the tensors of .*two\.safetensors: a, b/,
    );
    writeNpy(npy, { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) });
    expect(() => readScoreMatrix(npy)).toThrow(/array is I32 of shape \[2, 2\]; expected a float matrix/);
  });
});
