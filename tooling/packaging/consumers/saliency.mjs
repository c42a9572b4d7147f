// Headline: the built-in criteria, registered as plugins; magnitude scores are |w|.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { PluginRegistry, Rng } from '@graphon-pai/core';
import { Mlp } from '@graphon-pai/nets';
import { registerBuiltinCriteria } from '@graphon-pai/saliency';

await tf.setBackend('cpu');
const registry = new PluginRegistry();
registerBuiltinCriteria(registry);
console.log(
  registry
    .list('criterion')
    .map((e) => e.localId)
    .join(' '),
); // grasp grasp-magnitude magnitude random snip synflow
const network = Mlp.create({ widths: [4, 3, 2], activation: 'relu', seed: 0 });
const ctx = { network, rng: new Rng(0), options: {} };
const scores = await registry.criterion('magnitude').spec.score(ctx);
const w = network.weight(0);
console.log(scores.get('0.weight')?.scores.every((s, i) => s === Math.abs(w[i]))); // true
const synflow = await registry.criterion('synflow').spec.score(ctx);
console.log([...synflow.values()].every((e) => e.scores.every((s) => Number.isFinite(s) && s >= 0))); // true
network.dispose();
