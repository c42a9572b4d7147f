import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeSafetensors, FormatError, InvalidArgumentError, readSafetensors } from '@graphon-pai/core';
import { predict } from '../src/passes';
import { encodeMlpSafetensors, loadMlpSafetensors, saveMlpSafetensors } from '../src/safetensors';
import { Mlp } from '../src/mlp';
import { useCpu } from './helpers';
import { maxRelError } from './reference';

beforeAll(useCpu);

const DIR = path.join(__dirname, 'fixtures', 'pytorch-mlp');

test('a PyTorch-named state_dict (F32 and F64) loads and its logits equal numpy float64', () => {
  const expected = readSafetensors(path.join(DIR, 'expected.safetensors'));
  const x = expected.tensors.get('x')!;
  const logits = expected.tensors.get('logits')!.data as Float64Array;
  for (const file of ['net.safetensors', 'net-f64.safetensors']) {
    const net = loadMlpSafetensors(path.join(DIR, file), { activation: 'relu' });
    expect(net.config.widths).toEqual([5, 8, 6, 3]);
    expect(net.layers.map((l) => l.weightName)).toEqual(['0.weight', '2.weight', '4.weight']);
    expect(net.layers.map((l) => l.biasName)).toEqual(['0.bias', '2.bias', '4.bias']);
    const out = predict(net, { inputs: x.data as Float32Array, count: 7, features: 5 });
    expect(maxRelError(out, logits)).toBeLessThan(1e-6);
    net.dispose();
  }
});

test('save → load round-trips parameters and configuration exactly (file and buffer)', () => {
  const net = Mlp.create({
    widths: [4, 6, 2],
    activation: 'tanh',
    parametrization: 'ntk',
    sigmaW: 1.3,
    sigmaB: 0.2,
    seed: 9,
    names: ['fc1', 'fc2'],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nets-'));
  const file = path.join(dir, 'net.safetensors');
  saveMlpSafetensors(net, file, { note: 'test' });
  for (const source of [file, encodeMlpSafetensors(net)]) {
    const again = loadMlpSafetensors(source);
    expect(again.config).toEqual(net.config);
    expect(again.layers).toEqual(net.layers);
    for (const [name, p] of net.stateDict()) expect(again.stateDict().get(name)!.data).toEqual(p.data);
    again.dispose();
  }
  expect(readSafetensors(file).metadata.note).toBe('test');
  fs.rmSync(dir, { recursive: true });
  net.dispose();
});

describe('bad files name the parameter and the fix', () => {
  const base = () => {
    const t = readSafetensors(path.join(DIR, 'net.safetensors')).tensors;
    return new Map(
      [...t].map(([k, v]) => [k, { dtype: v.dtype, shape: [...v.shape], data: v.data as Float32Array }]),
    );
  };
  test('missing bias', () => {
    const t = base();
    t.delete('2.bias');
    const bytes = encodeSafetensors(t);
    expect(() => loadMlpSafetensors(bytes)).toThrow(FormatError);
    expect(() => loadMlpSafetensors(bytes)).toThrow(/'2\.bias' is missing.*bias: false/);
    const net = loadMlpSafetensors(bytes, { bias: false });
    expect(net.bias(0)).toBeNull();
    net.dispose();
  });
  test('missing weight of a named layer', () => {
    expect(() => loadMlpSafetensors(encodeSafetensors(base()), { names: ['0', '2', '6'] })).toThrow(
      /'6\.weight' is missing/,
    );
  });
  test('wrong bias shape', () => {
    const t = base();
    t.set('2.bias', { dtype: 'F32', shape: [5], data: new Float32Array(5) });
    expect(() => loadMlpSafetensors(encodeSafetensors(t))).toThrow(
      /'2\.bias' has shape \[5\]; expected \[6\]/,
    );
  });
  test('layer sizes that do not chain', () => {
    const t = base();
    t.set('2.weight', { dtype: 'F32', shape: [6, 7], data: new Float32Array(42) });
    expect(() => loadMlpSafetensors(encodeSafetensors(t))).toThrow(
      /do not chain: '0\.weight' has 8 outputs but '2\.weight' has 7 inputs/,
    );
  });
  test('widths that disagree with the file', () => {
    expect(() => loadMlpSafetensors(encodeSafetensors(base()), { widths: [5, 8, 3] })).toThrow(
      /widths \[5, 8, 6, 3\]/,
    );
  });
  test('NaN weights', () => {
    const t = base();
    const w = t.get('4.weight')!.data.slice();
    w[3] = Number.NaN;
    t.set('4.weight', { dtype: 'F32', shape: [3, 6], data: w });
    expect(() => loadMlpSafetensors(encodeSafetensors(t))).toThrow(InvalidArgumentError);
    expect(() => loadMlpSafetensors(encodeSafetensors(t))).toThrow(
      /params\['4\.weight'\]\[3\] must be a finite number/,
    );
  });
  test('integer dtype', () => {
    const t = new Map<string, { dtype: 'I32' | 'F32'; shape: number[]; data: Int32Array | Float32Array }>([
      ['0.weight', { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) }],
    ]);
    expect(() => loadMlpSafetensors(encodeSafetensors(t), { bias: false })).toThrow(/dtype I32/);
  });
});
