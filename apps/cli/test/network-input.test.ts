import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet, Mlp, saveConvNetSafetensors, saveMlpSafetensors } from '@graphon-pai/nets';
import { setupEngine } from '../src/engine';
import { buildNetwork, describeNetwork, parseNetworkSpec } from '../src/network-input';

const base = { activation: 'relu' as const, init: 'kaiming-normal' as const };

describe('--net / --weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-net-'));
  beforeAll(() => setupEngine());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('specs: mlp widths, built-in conv networks, conv spec strings; anything else is refused', () => {
    expect(parseNetworkSpec('mlp:784-300-10')).toEqual({ kind: 'mlp', widths: [784, 300, 10] });
    const lenet = parseNetworkSpec('lenet5');
    expect(lenet.kind).toBe('conv');
    const custom = parseNetworkSpec('conv:input 1x8x8 | f: conv(2,3) relu | c: linear(3)');
    expect(custom.kind === 'conv' && custom.spec.input).toEqual([1, 8, 8]);
    expect(() => parseNetworkSpec('resnet18')).toThrow(/lenet5, --net vgg-small/);
    expect(() => parseNetworkSpec('conv:input 1x4x4 | f: conv')).toThrow(InvalidArgumentError);
  });

  test('--net lenet5 builds LeNet-5; the seed fixes the initialisation', () => {
    const a = buildNetwork({ ...base, net: 'lenet5' }, 3) as ConvNet;
    const b = buildNetwork({ ...base, net: 'lenet5' }, 3) as ConvNet;
    expect(a).toBeInstanceOf(ConvNet);
    expect(a.weight(0)).toEqual(b.weight(0));
    expect(describeNetwork(a)).toContain('features: conv(6,5,padding=2)');
  });

  test('--weights with 4-D tensors reads a conv network; a conflicting --net is refused', () => {
    const file = join(dir, 'lenet.safetensors');
    const net = ConvNet.create({ spec: 'lenet5', seed: 1 });
    saveConvNetSafetensors(net, file);
    const loaded = buildNetwork({ ...base, weights: file }, 0) as ConvNet;
    expect(loaded.weight('features.3.weight')).toEqual(net.weight('features.3.weight'));
    expect(() => buildNetwork({ ...base, weights: file, net: 'mlp:784-10' }, 0)).toThrow(/4-D convolution/);
    expect(() => buildNetwork({ ...base, weights: file, net: 'vgg-small' }, 0)).toThrow(FormatError);
  });

  test('--weights of an MLP stays an MLP; --net lenet5 with it is refused', () => {
    const file = join(dir, 'mlp.safetensors');
    const mlp = Mlp.create({ widths: [12, 5, 3], seed: 0 });
    saveMlpSafetensors(mlp, file);
    const loaded = buildNetwork({ ...base, weights: file }, 0);
    expect(loaded).toBeInstanceOf(Mlp);
    expect(describeNetwork(loaded)).toBe('mlp:12-5-3');
    expect(() => buildNetwork({ ...base, weights: file, net: 'lenet5' }, 0)).toThrow(/MLP spec/);
    mlp.dispose();
    loaded.dispose();
  });
});
