import * as fs from 'node:fs';
import * as path from 'node:path';
import { BitMatrix } from '../bit-matrix';
import { FormatError, InvalidArgumentError } from '../errors';
import type { NetworkMask } from '../layers';
import { Rng } from '../rng';
import { decodeMaskFile, encodeMaskFile, readMaskFile, writeMaskFile } from './mask-file';
import { runPython, tempDir } from './python.test-helper';
import { encodeSafetensors, readSafetensors } from './safetensors';

function randomMask(rng: Rng, rows: number, cols: number, density: number): BitMatrix {
  return BitMatrix.from(rows, cols, () => rng.uniform() < density);
}

describe('mask files', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const rng = new Rng(7);
  const mask: NetworkMask = new Map([
    ['0.weight', randomMask(rng, 5, 33, 0.3)],
    ['2.weight', randomMask(rng, 31, 5, 0.5)],
    ['4.weight', randomMask(rng, 1, 64, 0.9)],
  ]);

  it('round-trips masks (shapes not multiples of 32), order and metadata', () => {
    const file = path.join(dir, 'm.safetensors');
    writeMaskFile(file, mask, {
      criterion: 'graphon-pai/snip',
      seed: 42,
      toolVersion: '0.1.0',
      extra: { note: 'x' },
    });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(
      encodeMaskFile(mask, {
        criterion: 'graphon-pai/snip',
        seed: 42,
        toolVersion: '0.1.0',
        extra: { note: 'x' },
      }),
    );
    for (const loaded of [readMaskFile(file), decodeMaskFile(fs.readFileSync(file))]) {
      expect([...loaded.mask.keys()]).toEqual([...mask.keys()]);
      for (const [name, m] of mask) expect(loaded.mask.get(name)!.equals(m)).toBe(true);
      let kept = 0;
      let total = 0;
      for (const m of mask.values()) {
        kept += m.nnz();
        total += m.size;
      }
      expect(loaded.metadata).toEqual({
        criterion: 'graphon-pai/snip',
        density: kept / total,
        seed: 42,
        toolVersion: '0.1.0',
        extra: { note: 'x' },
      });
      expect(loaded.rawMetadata.format).toBe('graphon-pai/mask');
    }
  });

  it('keeps a convolution mask as [out, in, kh, kw]: numpy reads the 4-D tensor, the reader returns its shape', () => {
    const conv = randomMask(rng, 4, 3 * 2 * 5, 0.4);
    const m: NetworkMask = new Map([
      ['features.0.weight', conv],
      ['classifier.0.weight', randomMask(rng, 3, 7, 0.5)],
    ]);
    const tensorShapes = new Map([['features.0.weight', [4, 3, 2, 5]]]);
    const file = path.join(dir, 'conv.safetensors');
    writeMaskFile(file, m, {}, { tensorShapes });
    const back = readMaskFile(file);
    expect(back.mask.get('features.0.weight')!.equals(conv)).toBe(true);
    expect([...back.tensorShapes]).toEqual([['features.0.weight', [4, 3, 2, 5]]]);
    expect(
      decodeMaskFile(encodeMaskFile(m, {}, { tensorShapes })).tensorShapes.get('features.0.weight'),
    ).toEqual([4, 3, 2, 5]);
    // numpy: the stored tensor is 4-D, and its element [o, c, i, j] is the mask bit (o, c·10 + i·5 + j).
    const py = runPython(
      `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
e = json.loads(raw[8:8 + n])['features.0.weight']
b, en = e['data_offsets']
a = np.frombuffer(raw[8 + n + b:8 + n + en], dtype=np.bool_).reshape(e['shape'])
print(json.dumps({'shape': list(a.shape), 'bit': bool(a[3, 2, 1, 4])}))
`,
      [file],
    ) as { shape: number[]; bit: boolean };
    expect(py).toEqual({ shape: [4, 3, 2, 5], bit: conv.get(3, 2 * 10 + 1 * 5 + 4) });
    expect(() =>
      writeMaskFile(file, m, {}, { tensorShapes: new Map([['features.0.weight', [4, 3, 5, 5]]]) }),
    ).toThrow(/tensorShapes.*multiply to 30/);
  });

  it('stores BOOL [rows, cols] tensors that numpy reads as the same dense masks', () => {
    const file = path.join(dir, 'py.safetensors');
    writeMaskFile(file, mask, { seed: 'abc' });
    const py = runPython(
      `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
h = json.loads(raw[8:8 + n])
meta = h.pop('__metadata__')
out = {'meta': meta, 'layers': {}}
for name, e in h.items():
    b, en = e['data_offsets']
    a = np.frombuffer(raw[8 + n + b:8 + n + en], dtype=np.bool_).reshape(e['shape'])
    out['layers'][name] = {'dtype': e['dtype'], 'shape': list(a.shape), 'ones': [int(i) for i in np.flatnonzero(a)]}
print(json.dumps(out))
`,
      [file],
    ) as {
      meta: Record<string, string>;
      layers: Record<string, { dtype: string; shape: number[]; ones: number[] }>;
    };
    expect(py.meta.seed).toBe('abc');
    for (const [name, m] of mask) {
      expect(py.layers[name].dtype).toBe('BOOL');
      expect(py.layers[name].shape).toEqual([m.rows, m.cols]);
      const ones: number[] = [];
      m.forEachSet((r, c) => ones.push(r * m.cols + c));
      expect(py.layers[name].ones).toEqual(ones);
    }
  });

  it('streams large layers in blocks with identical results', () => {
    // Random packed words (padding bits cleared), so building the 70 × 70001 mask is cheap.
    const w = new BitMatrix(70, 70_001);
    const wordRng = new Rng(1);
    for (let i = 0; i < w.words.length; i++) w.words[i] = wordRng.uint32();
    for (let r = 0; r < w.rows; r++) w.words[(r + 1) * w.wordsPerRow - 1] &= (1 << (70_001 % 32)) - 1;
    const big = new Map([['w', w]]);
    const file = path.join(dir, 'big.safetensors');
    writeMaskFile(file, big);
    const t = readSafetensors(file).tensors.get('w')!;
    expect(t.shape).toEqual([70, 70_001]);
    expect(BitMatrix.fromDense(70, 70_001, t.data as Uint8Array).equals(big.get('w')!)).toBe(true);
    expect(readMaskFile(file).mask.get('w')!.equals(big.get('w')!)).toBe(true);
  });

  it('reads U8 masks and flattens conv-shaped masks to out × rest', () => {
    const bytes = encodeSafetensors({
      conv: { dtype: 'U8', shape: [2, 1, 2, 2], data: [1, 0, 0, 1, 0, 1, 1, 0] },
    });
    const m = decodeMaskFile(bytes).mask.get('conv')!;
    expect([m.rows, m.cols]).toEqual([2, 4]);
    expect(Array.from(m.toDense())).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
  });

  it('rejects files that are not masks with a clear FormatError', () => {
    const bad = (tensors: Parameters<typeof encodeSafetensors>[0], meta?: Record<string, string>) =>
      decodeMaskFile(encodeSafetensors(tensors, meta), 'bad.safetensors');
    expect(() => bad({ w: { dtype: 'F32', shape: [1, 1], data: [1] } })).toThrow(
      /dtype F32; a mask file holds BOOL or U8/,
    );
    expect(() => bad({ w: { dtype: 'U8', shape: [1, 2], data: [1, 3] } })).toThrow(/value 3 at index 1/);
    expect(() => bad({ b: { dtype: 'BOOL', shape: [3], data: [1, 0, 1] } })).toThrow(/at least 2-D/);
    expect(() => bad({}, { format: 'pt' })).toThrow(FormatError);
    expect(() => bad({}, { density: '1.5' })).toThrow(/density/);
    const file = path.join(dir, 'f32.safetensors');
    fs.writeFileSync(file, encodeSafetensors({ w: { dtype: 'F32', shape: [1, 1], data: [1] } }));
    expect(() => readMaskFile(file)).toThrow(FormatError);
  });

  it('validates the mask and metadata it writes', () => {
    expect(() => encodeMaskFile(new Map([['w', 'x' as unknown as BitMatrix]]))).toThrow(InvalidArgumentError);
    expect(() => encodeMaskFile(mask, { density: 2 })).toThrow(/density/);
    expect(() => encodeMaskFile(mask, { extra: { seed: '1' } })).toThrow(/reserved/);
  });
});
