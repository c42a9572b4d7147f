/** The README example, run on the wasm backend with @graphon-pai/linalg's fast matmul installed. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { registry, Rng } from '@graphon-pai/core';
import { installFastMatMul, uninstallFastMatMul } from '@graphon-pai/linalg';
import { Mlp, mnistSubset } from '@graphon-pai/nets';
import { maxRelativeError } from '@graphon-pai/test-utils';
import { type CriterionContext, fsmFactors, registerBuiltinCriteria } from '../src';

afterAll(() => uninstallFastMatMul(tf));

test('README example: SNIP, GraSP, SynFlow and the FSM view on MNIST (wasm + fast matmul), equal to the cpu backend', async () => {
  await tf.setBackend('wasm');
  installFastMatMul(tf);
  registerBuiltinCriteria(registry);
  registerBuiltinCriteria(registry); // idempotent

  const network = Mlp.create({ widths: [784, 300, 10], activation: 'relu', seed: 0 });
  const data = await mnistSubset({ count: 100, seed: 0 });
  const ctx: CriterionContext = { network, data, rng: new Rng(0), options: {} };
  const before = tf.memory().numTensors;
  const snip = await registry.criterion<CriterionContext>('snip').spec.score(ctx);
  const grasp = await registry
    .criterion<CriterionContext>('grasp')
    .spec.score({ ...ctx, options: { temperature: 200 } });
  const synflow = await registry.criterion<CriterionContext>('synflow').spec.score(ctx);
  expect(tf.memory().numTensors).toBe(before);
  expect(snip.get('0.weight')!.scores.length).toBe(300 * 784);
  const { rowFactor, colFactor } = fsmFactors('synflow', ctx);
  expect(rowFactor.length).toBe(300);
  expect(colFactor.every((b) => b === 1)).toBe(true);
  const weights = network.layers.map((l) => ({
    weight: network.weight(l.index),
    bias: network.bias(l.index),
  }));
  network.dispose();

  // Same scores on the stock cpu backend (float32 rounding apart).
  await tf.setBackend('cpu');
  const cpuNet = Mlp.fromParameters(network.config, weights);
  const cpuCtx = { ...ctx, network: cpuNet };
  const rel = maxRelativeError;
  const cpuSnip = await registry.criterion<CriterionContext>('snip').spec.score(cpuCtx);
  const cpuGrasp = await registry
    .criterion<CriterionContext>('grasp')
    .spec.score({ ...cpuCtx, options: { temperature: 200 } });
  // On wasm SynFlow ran on the tensor engine; on cpu it runs on the host engine.
  const cpuSynflow = await registry.criterion<CriterionContext>('synflow').spec.score(cpuCtx);
  for (const name of ['0.weight', '2.weight']) {
    expect(rel(snip.get(name)!.scores, cpuSnip.get(name)!.scores)).toBeLessThan(1e-4);
    expect(rel(grasp.get(name)!.scores, cpuGrasp.get(name)!.scores)).toBeLessThan(1e-4);
    expect(rel(synflow.get(name)!.scores, cpuSynflow.get(name)!.scores)).toBeLessThan(1e-5);
  }
  cpuNet.dispose();
});
