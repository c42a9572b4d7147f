import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BitMatrix, PluginRegistry, Rng, readSafetensors } from '@graphon-pai/core';
import { type Batch, loadMlpSafetensors } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '../src';
import { useCpu } from './helpers';

beforeAll(useCpu);

const DIR = path.join(__dirname, 'fixtures', 'scores');
const registry = new PluginRegistry();
registerBuiltinCriteria(registry);

/**
 * Elementwise relative error |ours − ref| / |ref|, with entries below 1e-6 · max|ref| compared absolutely
 * against that floor (float32 cannot carry a relative 1e-4 on values 10⁶ times smaller than the layer's largest).
 */
function maxRelative(ours: Float32Array, ref: Float64Array): number {
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-6 * scale));
  }
  return worst;
}

describe.each(['tanh-ce', 'relu-ntk-mse-masked'])('numpy float64 fixture %s', (name) => {
  const expected = readSafetensors(path.join(DIR, `${name}.expected.safetensors`));
  const meta = expected.metadata;
  const criteria: [string, Record<string, unknown>][] = [
    ['magnitude', {}],
    ['snip', {}],
    ['grasp', { samplesPerClass: 0, temperature: Number(meta.graspTemperature) }],
    ['grasp-magnitude', { samplesPerClass: 0, temperature: Number(meta.graspTemperature) }],
    ['synflow', {}],
    ['synflow-biases', { includeBiases: true }],
    ['synflow', { engine: 'tensor' }],
    ['synflow-biases', { includeBiases: true, engine: 'tensor' }],
  ];
  test.each(criteria)('%s %o scores equal numpy to 1e-4 relative', async (criterion, options) => {
    const net = loadMlpSafetensors(path.join(DIR, `${name}.net.safetensors`), {
      activation: meta.activation as 'relu' | 'tanh',
      parametrization: meta.parametrization as 'standard' | 'ntk',
      ...(meta.sigmaW ? { sigmaW: Number(meta.sigmaW), sigmaB: Number(meta.sigmaB) } : {}),
    });
    const x = expected.tensors.get('x')!;
    const data: Batch = {
      inputs: x.data as Float32Array,
      count: x.shape[0],
      features: x.shape[1],
      labels: expected.tensors.get('labels')!.data as Int32Array,
      classes: net.outputSize,
    };
    const mask = new Map<string, BitMatrix>();
    for (const layer of net.layers) {
      const m = expected.tensors.get(`mask/${layer.weightName}`);
      if (m)
        mask.set(
          layer.weightName,
          BitMatrix.fromDense(layer.shape.rows, layer.shape.cols, m.data as Uint8Array),
        );
    }
    const ctx: CriterionContext = {
      network: net,
      data,
      loss: meta.loss as 'cross-entropy' | 'mse',
      ...(mask.size > 0 ? { mask } : {}),
      rng: new Rng(0),
      options,
    };
    const id = criterion === 'synflow-biases' ? 'synflow' : criterion;
    const before = tf.memory().numTensors;
    const scores = await registry.criterion<CriterionContext>(id).spec.score(ctx);
    expect(tf.memory().numTensors).toBe(before);
    for (const layer of net.layers) {
      const ref = expected.tensors.get(`${criterion}/${layer.weightName}`)!.data as Float64Array;
      const ours = scores.get(layer.weightName)!.scores;
      expect(ours.length).toBe(ref.length);
      expect(maxRelative(ours, ref)).toBeLessThan(1e-4);
    }
    net.dispose();
  });
});
