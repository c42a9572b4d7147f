import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BitMatrix } from '../bit-matrix';
import { FormatError } from '../errors';
import type { DType, Tensor } from './dtype';
import {
  foldPruneStateDict,
  isPruneStateDict,
  maskFromTensor,
  readPruneStateDictMasks,
} from './prune-state-dict';
import { readSafetensors, SafetensorsFile, writeSafetensors } from './safetensors';

// Written by test/fixtures/prune-state-dict/make.py (numpy; the layout torch.nn.utils.prune + safetensors write).
const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'prune-state-dict');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<
  string,
  Record<string, { weight?: number[]; bias?: number[]; mask?: number[]; shape?: number[] }>
>;

const info = (shape: number[], dtype: DType = 'F32') => ({ dtype, shape });
const formatError = (f: () => unknown): FormatError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
};

describe('foldPruneStateDict', () => {
  it('maps the state_dict torch.nn.utils.prune leaves to parameter names, weights and masks', () => {
    const { tensors } = readSafetensors(join(fixtures, 'mlp.safetensors'));
    expect(isPruneStateDict(tensors.keys())).toBe(true);
    const { parameters, masks } = foldPruneStateDict(tensors);
    expect([...parameters.keys()]).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect([...masks.keys()]).toEqual(['0.weight', '2.weight']);
    for (const name of ['0.weight', '2.weight']) {
      const want = expected.mlp[name];
      expect(parameters.get(name)).toBe(tensors.get(`${name}_orig`));
      expect(Array.from(parameters.get(name)!.data as Float32Array)).toEqual(want.weight!.map(Math.fround));
      const mask = maskFromTensor(name, masks.get(name)!);
      expect([mask.rows, mask.cols]).toEqual(want.shape);
      expect(Array.from(mask.toDense())).toEqual(want.mask);
      // l1_unstructured with amount 0.4 prunes round(0.4 n) weights.
      expect(mask.nnz()).toBe(mask.rows * mask.cols - Math.round(0.4 * mask.rows * mask.cols));
    }
    expect(Array.from(parameters.get('0.bias')!.data as Float32Array)).toEqual(
      expected.mlp['0.bias'].bias!.map(Math.fround),
    );
  });

  it('leaves a plain state_dict (and a file of X_mask masks alone) unchanged', () => {
    const plain = new Map([
      ['0.weight', info([2, 3])],
      ['0.bias', info([2])],
    ]);
    expect(isPruneStateDict(plain.keys())).toBe(false);
    const folded = foldPruneStateDict(plain);
    expect([...folded.parameters.entries()]).toEqual([...plain.entries()]);
    expect(folded.masks.size).toBe(0);
    const masksOnly = new Map([['0.weight_mask', info([2, 3], 'BOOL')]]);
    expect([...foldPruneStateDict(masksOnly).parameters.keys()]).toEqual(['0.weight_mask']);
  });

  it.each([
    [
      { '0.weight_orig': info([2, 3]) },
      /'0\.weight_orig' has no '0\.weight_mask' beside it\. Fix: .*prune\.remove\(module, 'weight'\)/,
    ],
    [
      { '0.weight_orig': info([2, 3]), '0.weight_mask': info([2, 3]), '1.weight_mask': info([2, 3]) },
      /'1\.weight_mask' has no '1\.weight_orig' beside it/,
    ],
    [
      { '0.weight': info([2, 3]), '0.weight_orig': info([2, 3]), '0.weight_mask': info([2, 3]) },
      /both '0\.weight' and '0\.weight_orig' are stored/,
    ],
    [
      { '0.weight_orig': info([2, 3]), '0.weight_mask': info([3, 2]) },
      /'0\.weight_mask' has shape \[3, 2\] but '0\.weight_orig' has \[2, 3\]/,
    ],
    [
      { '0.weight_orig': info([2, 3]), '0.weight_mask': info([2, 3], 'I32') },
      /mask '0\.weight_mask' has dtype I32/,
    ],
  ])('refuses an inconsistent state_dict %#', (tensors, message) => {
    expect(
      formatError(() => foldPruneStateDict(new Map(Object.entries(tensors)), 'x.safetensors')).message,
    ).toMatch(message);
  });
});

describe('maskFromTensor', () => {
  const tensor = (dtype: DType, shape: number[], values: number[]): Tensor =>
    ({
      dtype,
      shape,
      data:
        dtype === 'F64'
          ? Float64Array.from(values)
          : dtype === 'F32'
            ? Float32Array.from(values)
            : Uint8Array.from(values),
    }) as Tensor;

  it('reads float, BOOL and U8 0/1 tensors; rank > 2 as out × (in·kh·kw)', () => {
    for (const dtype of ['F32', 'F64', 'BOOL', 'U8'] as DType[]) {
      const m = maskFromTensor('w', tensor(dtype, [2, 3], [1, 0, 1, 0, 0, 1]));
      expect(m.equals(BitMatrix.fromDense(2, 3, Uint8Array.from([1, 0, 1, 0, 0, 1])))).toBe(true);
    }
    const conv = maskFromTensor('c', tensor('F32', [2, 1, 2, 2], [1, 1, 0, 0, 0, 1, 0, 1]));
    expect([conv.rows, conv.cols, conv.nnz()]).toEqual([2, 4, 4]);
  });

  it('refuses values other than 0 and 1, and masks of rank < 2', () => {
    expect(formatError(() => maskFromTensor('w', tensor('F32', [1, 3], [1, 0.5, 0]))).message).toMatch(
      /the mask of 'w' holds the value 0\.5 at flat index 1/,
    );
    expect(formatError(() => maskFromTensor('0.bias', tensor('F32', [3], [1, 0, 1]))).message).toMatch(
      /the mask of '0\.bias' has shape \[3\]; graphon-pai masks weights of rank 2 or more.*prune\.remove\(module, 'bias'\)/,
    );
  });
});

describe('readPruneStateDictMasks', () => {
  it('reads only the masks of a pruned conv state_dict, with their stored shape', () => {
    const file = SafetensorsFile.open(join(fixtures, 'conv.safetensors'));
    try {
      const read = readPruneStateDictMasks(file)!;
      const want = expected.conv['conv.weight'];
      expect([...read.mask.keys()]).toEqual(['conv.weight']);
      expect(Array.from(read.mask.get('conv.weight')!.toDense())).toEqual(want.mask);
      expect(read.tensorShapes.get('conv.weight')).toEqual(want.shape);
    } finally {
      file.close();
    }
  });

  it('is undefined for a file that is not a pruned state_dict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-state-dict-'));
    try {
      const path = join(dir, 'plain.safetensors');
      writeSafetensors(path, { '0.weight': { dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] } });
      const file = SafetensorsFile.open(path);
      try {
        expect(readPruneStateDictMasks(file)).toBeUndefined();
      } finally {
        file.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
