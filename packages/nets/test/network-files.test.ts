import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet } from '../src/conv/conv-net';
import { saveConvNetSafetensors } from '../src/conv/conv-safetensors';
import { Mlp } from '../src/mlp';
import {
  createNetwork,
  loadNetworkSafetensors,
  networkSpecString,
  networkWithParameters,
  parseNetworkSpec,
  saveNetworkSafetensors,
} from '../src/network-files';
import { saveMlpSafetensors } from '../src/safetensors';
import { useCpu } from './helpers';

beforeAll(useCpu);

describe('network spec strings and files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-net-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('specs: mlp widths, built-in conv networks, conv spec strings; anything else names the argument', () => {
    expect(parseNetworkSpec('mlp:784-300-10')).toEqual({ kind: 'mlp', widths: [784, 300, 10] });
    expect(parseNetworkSpec('lenet5').kind).toBe('conv');
    const custom = parseNetworkSpec('conv:input 1x8x8 | f: conv(2,3) relu | c: linear(3)');
    expect(custom.kind === 'conv' && custom.spec.input).toEqual([1, 8, 8]);
    expect(() => parseNetworkSpec('resnet18', '--net')).toThrow(/--net.*'lenet5', 'vgg-small'/s);
    expect(() => parseNetworkSpec('mlp:784-0-10')).toThrow(InvalidArgumentError);
    expect(() => parseNetworkSpec('conv:input 1x4x4 | f: conv')).toThrow(/a valid conv spec/);
  });

  test('createNetwork: the seed fixes the initialisation; networkSpecString gives the spec back', () => {
    const a = createNetwork('lenet5', { seed: 3 }) as ConvNet;
    const b = createNetwork(parseNetworkSpec('lenet5'), { seed: 3 }) as ConvNet;
    expect(a).toBeInstanceOf(ConvNet);
    expect(a.weight(0)).toEqual(b.weight(0));
    expect(networkSpecString(a)).toContain('features: conv(6,5,padding=2)');
    const m = createNetwork('mlp:12-5-3', { activation: 'tanh', init: 'xavier-normal', seed: 1 }) as Mlp;
    expect(networkSpecString(m)).toBe('mlp:12-5-3');
    expect(m.config.activation).toBe('tanh');
    for (const n of [a, b, m]) n.dispose();
  });

  test('a file of 4-D tensors loads as a conv network; a conflicting MLP spec is refused', () => {
    const file = join(dir, 'lenet.safetensors');
    const net = ConvNet.create({ spec: 'lenet5', seed: 1 });
    saveConvNetSafetensors(net, file);
    const loaded = loadNetworkSafetensors(file) as ConvNet;
    expect(loaded.weight('features.3.weight')).toEqual(net.weight('features.3.weight'));
    expect(() => loadNetworkSafetensors(file, { spec: 'mlp:784-10', argument: '--net' })).toThrow(
      /--net.*4-D convolution/s,
    );
    expect(() => loadNetworkSafetensors(file, { spec: 'vgg-small' })).toThrow(FormatError);
    net.dispose();
    loaded.dispose();
  });

  test('an MLP file stays an MLP; a conv spec or other widths are refused; a missing file is a FormatError', () => {
    const file = join(dir, 'mlp.safetensors');
    const mlp = Mlp.create({ widths: [12, 5, 3], seed: 0 });
    saveMlpSafetensors(mlp, file);
    const loaded = loadNetworkSafetensors(file, { spec: 'mlp:12-5-3' });
    expect(loaded).toBeInstanceOf(Mlp);
    expect(() => loadNetworkSafetensors(file, { spec: 'lenet5' })).toThrow(/an MLP spec/);
    expect(() => loadNetworkSafetensors(file, { spec: 'mlp:12-4-3' })).toThrow(/mlp:12-5-3/);
    expect(() => loadNetworkSafetensors(join(dir, 'absent.safetensors'))).toThrow(FormatError);
    mlp.dispose();
    loaded.dispose();
  });

  test('networkWithParameters + saveNetworkSafetensors round-trip other parameters exactly (MLP and conv)', () => {
    for (const net of [
      createNetwork('mlp:6-4-2', { seed: 2 }),
      createNetwork('conv:input 1x6x6 | f: conv(2,3) relu | c: linear(3)', { seed: 2 }),
    ]) {
      const parameters = net.layers.map((l) => ({
        weight: Float32Array.from(net.weight(l.index), (_, i) => i / 8 - 1),
        bias: net.bias(l.index)
          ? Float32Array.from(net.bias(l.index) as Float32Array, (_, i) => i / 4)
          : null,
      }));
      const other = networkWithParameters(net, parameters);
      const file = join(dir, `${net instanceof Mlp ? 'mlp' : 'conv'}-params.safetensors`);
      saveNetworkSafetensors(other, file, { epochs: '1' });
      const back = loadNetworkSafetensors(file);
      expect(networkSpecString(back)).toBe(networkSpecString(net));
      back.layers.forEach((l, i) => {
        expect(back.weight(l.index)).toEqual(parameters[i].weight);
        if (parameters[i].bias) expect(back.bias(l.index)).toEqual(parameters[i].bias);
      });
      for (const n of [net, other, back]) n.dispose();
    }
  });
});
