import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from './npy';
import { writeFileAtomic } from './atomic-write';
import { readLabelFile } from './label-file';
import { readScoreFile, writeScoreFile } from './score-file';

test('score and label readers honour a per-call budget', () => {
  const d = mkdtempSync(join(tmpdir(), 'budget-'));
  const s = join(d, 's.safetensors');
  writeScoreFile(s, new Map([['a', { scores: new Float32Array(100), shape: { rows: 10, cols: 10 } }]]) as never);
  expect(readScoreFile(s).size).toBe(1);
  expect(() => readScoreFile(s, { budget: { maxBytes: 16 } })).toThrow(/implies/);
  const l = join(d, 'y.npy');
  writeFileAtomic(l, encodeNpy({ dtype: 'I32', shape: [50], data: new Int32Array(50) } as never));
  expect(readLabelFile(l).labels.length).toBe(50);
  expect(() => readLabelFile(l, { budget: { maxBytes: 16 } })).toThrow(/implies/);
});
