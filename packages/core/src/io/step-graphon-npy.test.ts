import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../errors';
import { StepGraphon } from '../step-graphon';
import { readNpy, writeNpy } from './npy';
import { encodeStepGraphonNpy, readStepGraphonNpy, STEP_GRAPHON_FILES } from './step-graphon-npy';

describe('step graphons as .npy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-step-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = new StepGraphon([0, 0.25, 1], [0, 0.5, 0.75, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 1]);

  it('encodes values [K, L] and cuts [K+1], [L+1] as float64 and reads them back exactly', () => {
    const files = encodeStepGraphonNpy(g);
    expect([...files.keys()]).toEqual([...STEP_GRAPHON_FILES]);
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const values = readNpy(join(dir, 'graphon.npy'));
    expect(values).toMatchObject({ dtype: 'F64', shape: [2, 3] });
    expect(readNpy(join(dir, 'row_cuts.npy')).shape).toEqual([3]);
    const back = readStepGraphonNpy(join(dir, 'graphon.npy'));
    expect(back.rowCuts).toEqual(g.rowCuts);
    expect(back.colCuts).toEqual(g.colCuts);
    expect(back.values).toEqual(g.values);
  });

  it('another file name, or cuts of other lengths, read as the uniform grid', () => {
    writeNpy(join(dir, 'w.npy'), {
      dtype: 'F32',
      shape: [2, 3],
      data: Float32Array.from([0, 0.5, 1, 1, 0.5, 0]),
    });
    const uniform = readStepGraphonNpy(join(dir, 'w.npy'));
    expect([...uniform.rowCuts]).toEqual([0, 0.5, 1]);
    expect([...uniform.colCuts]).toEqual([0, 1 / 3, 2 / 3, 1]);
    const other = mkdtempSync(join(dir, 'mismatch-'));
    writeFileSync(join(other, 'graphon.npy'), encodeStepGraphonNpy(g).get('graphon.npy') as Uint8Array);
    writeNpy(join(other, 'row_cuts.npy'), { dtype: 'F64', shape: [2], data: Float64Array.from([0, 1]) });
    writeFileSync(join(other, 'col_cuts.npy'), encodeStepGraphonNpy(g).get('col_cuts.npy') as Uint8Array);
    expect([...readStepGraphonNpy(join(other, 'graphon.npy')).rowCuts]).toEqual([0, 0.5, 1]);
  });

  it('a missing file, a 1-D array or values outside [0, 1] are FormatErrors naming the file', () => {
    expect(() => readStepGraphonNpy(join(dir, 'absent.npy'))).toThrow(FormatError);
    writeNpy(join(dir, 'v.npy'), { dtype: 'F64', shape: [3], data: new Float64Array(3) });
    expect(() => readStepGraphonNpy(join(dir, 'v.npy'))).toThrow(/shape \[3\]; expected a 2-D matrix/);
    writeNpy(join(dir, 'big.npy'), { dtype: 'F64', shape: [1, 2], data: Float64Array.from([0.5, 1.5]) });
    expect(() => readStepGraphonNpy(join(dir, 'big.npy'))).toThrow(
      /outside \[0, 1\].*big\.npy|big\.npy.*outside \[0, 1\]/,
    );
  });
});
