import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BitMatrix, encodeSafetensors, FormatError, InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet } from '../../src/conv/conv-net';
import {
  encodeConvNetSafetensors,
  loadConvNetSafetensors,
  saveConvNetSafetensors,
} from '../../src/conv/conv-safetensors';
import { CONV_NETS, formatConvNetSpec, parseConvNetSpec, scaleConvNetWidth } from '../../src/conv/conv-spec';
import { convPredict } from '../../src/conv/conv-passes';
import { randomBatch, useCpu } from '../helpers';

beforeAll(useCpu);

describe('spec strings', () => {
  test.each(Object.keys(CONV_NETS))('%s: format ∘ parse is the identity on canonical strings', (name) => {
    const spec = parseConvNetSpec(name);
    expect(parseConvNetSpec(formatConvNetSpec(spec))).toEqual(spec);
    expect(formatConvNetSpec(spec)).toBe(CONV_NETS[name as keyof typeof CONV_NETS]);
  });

  test('options, rectangular sizes and whitespace inside modules', () => {
    const spec = parseConvNetSpec(
      'input 3x10x12 | f: conv(4, 3x5, stride=2, padding=1x2, bias=false) tanh avgpool(2,stride=1) flatten linear(7,bias=false)',
    );
    expect(spec.groups[0].modules[0]).toEqual({
      kind: 'conv',
      outChannels: 4,
      kernel: [3, 5],
      stride: [2, 2],
      padding: [1, 2],
      bias: false,
    });
    expect(parseConvNetSpec(formatConvNetSpec(spec))).toEqual(spec);
  });

  test.each([
    ['conv(6,5)', /input CxHxW/],
    ['input 1x28x28 | conv(6)', /2 positional/],
    ['input 1x28x28 | conv(6,5,dilation=2)', /option of conv.*dilation/],
    ['input 1x28x28 | dropout', /known module/],
    ['input 1x28x28 | a: relu | relu', /name for every group/],
    ['input 1x28x28 | a: relu | a: linear(3)', /distinct group names/],
  ])('%s is refused', (text, message) => {
    expect(() => parseConvNetSpec(text)).toThrow(InvalidArgumentError);
    expect(() => parseConvNetSpec(text)).toThrow(message);
  });

  test('width multipliers scale channels and hidden widths, not the classes', () => {
    const spec = scaleConvNetWidth(parseConvNetSpec('lenet5'), 2);
    expect(formatConvNetSpec(spec)).toBe(
      'input 1x28x28 | features: conv(12,5,padding=2) relu maxpool(2) conv(32,5) relu maxpool(2) | classifier: linear(240) relu linear(168) relu linear(10)',
    );
  });
});

describe('ConvNet', () => {
  test('LeNet-5: PyTorch names, shapes and 61,706 parameters', () => {
    const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
    const sd = net.stateDict();
    expect([...sd].map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual([
      'features.0.weight 6x1x5x5',
      'features.0.bias 6',
      'features.3.weight 16x6x5x5',
      'features.3.bias 16',
      'classifier.0.weight 120x400',
      'classifier.0.bias 120',
      'classifier.2.weight 84x120',
      'classifier.2.bias 84',
      'classifier.4.weight 10x84',
      'classifier.4.bias 10',
    ]);
    expect([...sd.values()].reduce((s, p) => s + p.data.length, 0)).toBe(61706);
    expect(net.layer('features.3.weight').shape).toEqual({ rows: 16, cols: 150, tensorShape: [16, 6, 5, 5] });
    expect(net.outputSize).toBe(10);
  });

  test('vgg-small: shapes chain to a 64 × 7 × 7 flatten', () => {
    const net = ConvNet.create({ spec: 'vgg-small', seed: 0 });
    expect(net.layers.map((l) => l.weightName)).toEqual([
      'features.0.weight',
      'features.2.weight',
      'features.5.weight',
      'features.7.weight',
      'classifier.0.weight',
      'classifier.2.weight',
    ]);
    expect(net.layer('classifier.0.weight').shape).toEqual({ rows: 256, cols: 3136 });
  });

  test('Kaiming-normal initialisation: std √2 / √(C·kh·kw), zero biases, seeded', () => {
    const net = ConvNet.create({
      spec: 'input 16x8x8 | f: conv(256,3) relu | h: linear(2)',
      seed: 1,
    });
    const w = net.weight('f.0.weight');
    let s2 = 0;
    for (const v of w) s2 += v * v;
    const std = Math.sqrt(s2 / w.length);
    // 36,864 draws: the sample std is within 2 % of √2/√144 with overwhelming probability.
    expect(Math.abs(std / (Math.SQRT2 / 12) - 1)).toBeLessThan(0.02);
    expect(net.bias('f.0.weight')!.every((b) => b === 0)).toBe(true);
    const again = ConvNet.create({ spec: net.spec, seed: 1 });
    expect(again.weight(0)).toEqual(w);
  });

  test.each([
    ['input 1x4x4 | f: conv(2,5)', /f\.0 \(conv\): kernel.*padded input 4 × 4/],
    [
      'input 1x28x28 | f: conv(6,5) maxpool(2) conv(16,5) maxpool(2) conv(8,5)',
      /f\.4 \(conv\): kernel.*padded input 4 × 4.*input 16 × 4 × 4/,
    ],
    ['input 1x8x8 | f: linear(4) conv(2,1)', /f\.1 \(conv\).*C × H × W input/],
    ['input 1x3x3 | f: maxpool(4)', /f\.0 \(maxpool\): kernel/],
  ])('%s: the layer that does not fit is named', (spec, message) => {
    expect(() => ConvNet.create({ spec })).toThrow(InvalidArgumentError);
    expect(() => ConvNet.create({ spec })).toThrow(message);
  });
});

describe('state_dict and safetensors', () => {
  const net = ConvNet.create({ spec: 'lenet5', seed: 4 });
  const batch = randomBatch(3, 784, 10, 2);

  test('round trip through safetensors keeps [out, in, kh, kw] and the outputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convnet-'));
    try {
      saveConvNetSafetensors(net, join(dir, 'n.safetensors'));
      const again = loadConvNetSafetensors(join(dir, 'n.safetensors'));
      expect(again.specString).toBe(net.specString);
      expect(convPredict(again, batch)).toEqual(convPredict(net, batch));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  const withChange = (
    name: string,
    entry: { shape: number[]; data: Float32Array } | null,
    extra?: [string, { shape: number[]; data: Float32Array }],
  ) => {
    const tensors = new Map(
      [...net.stateDict()].map(([n, p]) => [n, { dtype: 'F32' as const, shape: p.shape, data: p.data }]),
    );
    if (entry) tensors.set(name, { dtype: 'F32', ...entry });
    else tensors.delete(name);
    if (extra) tensors.set(extra[0], { dtype: 'F32', ...extra[1] });
    return encodeSafetensors(tensors, {});
  };

  test('a PyTorch state_dict without metadata needs the spec', () => {
    const bytes = withChange('x', null);
    expect(() => loadConvNetSafetensors(bytes)).toThrow(/which network.*--net/);
    expect(convPredict(loadConvNetSafetensors(bytes, { spec: 'lenet5' }), batch)).toEqual(
      convPredict(net, batch),
    );
  });

  test.each([
    // Channel counts do not chain: features.3 sees 6 channels from features.2.
    [
      'features.3.weight',
      { shape: [16, 5, 5, 5], data: new Float32Array(2000) },
      /features\.3\.weight.*\[16, 6, 5, 5\].*6 × 14 × 14 of features\.2 \(maxpool\).*\[16, 5, 5, 5\]/,
    ],
    // Spatial size after pooling: classifier.0 sees 16 × 5 × 5 = 400 features.
    [
      'classifier.0.weight',
      { shape: [120, 256], data: new Float32Array(120 * 256) },
      /classifier\.0\.weight.*\[120, 400\].*16 × 5 × 5 of features\.5 \(maxpool\)/,
    ],
    ['features.0.bias', null, /features\.0\.bias.*missing|lacks/],
  ])(
    '%s with a wrong shape or missing: an error naming it and the expected shape',
    (name, entry, message) => {
      const bytes = withChange(name, entry as never);
      expect(() => loadConvNetSafetensors(bytes, { spec: 'lenet5' })).toThrow(FormatError);
      expect(() => loadConvNetSafetensors(bytes, { spec: 'lenet5' })).toThrow(message);
    },
  );

  test('an unknown parameter name is refused, listing the expected ones', () => {
    const bytes = withChange('x', null, ['features.1.weight', { shape: [6], data: new Float32Array(6) }]);
    expect(() => loadConvNetSafetensors(bytes, { spec: 'lenet5' })).toThrow(
      /features\.1\.weight.*features\.0\.weight, features\.0\.bias/,
    );
  });

  test('masks are checked against rows × in·kh·kw', () => {
    expect(() => net.checkMask(new Map([['features.3.weight', new BitMatrix(16, 6)]]))).toThrow(
      /16 × 150 mask.*\[16, 6, 5, 5\]/,
    );
  });

  test('a bare payload without the spec metadata, encoded here, loads back', () => {
    expect(loadConvNetSafetensors(encodeConvNetSafetensors(net)).weight(0)).toEqual(net.weight(0));
  });
});
