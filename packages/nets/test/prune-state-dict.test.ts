/**
 * `loadMlpSafetensors` on PyTorch files: a `torch.nn.utils.prune` state_dict loads its `X_orig` weights
 * (fixture written by packages/core/test/fixtures/prune-state-dict/make.py with numpy), and a 4-D convolution
 * weight is refused rather than silently dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors, FormatError } from '@graphon-pai/core';
import { loadMlpSafetensors } from '../src';
import { useCpu } from './helpers';

const fixtures = join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'prune-state-dict');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));

beforeAll(useCpu);

test('a pruned state_dict loads its unpruned weights (X_orig) and biases', () => {
  const net = loadMlpSafetensors(join(fixtures, 'mlp.safetensors'));
  try {
    expect(net.config.widths).toEqual([6, 5, 3]);
    expect(Array.from(net.weight(0))).toEqual(expected.mlp['0.weight'].weight.map(Math.fround));
    expect(Array.from(net.weight(1))).toEqual(expected.mlp['2.weight'].weight.map(Math.fround));
    expect(Array.from(net.stateDict().get('2.bias')!.data)).toEqual(
      expected.mlp['2.bias'].bias.map(Math.fround),
    );
  } finally {
    net.dispose();
  }
});

test('a 4-D convolution weight is refused with the reason', () => {
  const bytes = encodeSafetensors({
    'features.0.weight': { dtype: 'F32', shape: [2, 1, 2, 2], data: new Float32Array(8) },
    'classifier.weight': { dtype: 'F32', shape: [3, 8], data: new Float32Array(24) },
  });
  expect(() => loadMlpSafetensors(bytes)).toThrow(FormatError);
  expect(() => loadMlpSafetensors(bytes)).toThrow(
    /parameter 'features\.0\.weight' has shape \[2, 1, 2, 2\] \(a convolution\); an MLP uses only 2-D \[out, in\] weights\. Fix: load convolutional networks with loadConvNetSafetensors/,
  );
});
