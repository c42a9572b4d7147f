// Headline: prune() — an exact-density mask from a criterion.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Mlp } from '@graphon-pai/nets';
import { prune } from '@graphon-pai/masks';

await tf.setBackend('cpu');
const network = Mlp.create({ widths: [8, 6, 4], activation: 'relu', seed: 0 });
const result = await prune({ network, criterion: 'magnitude', density: 0.25, seed: 0 });
const kept = [...result.mask.values()].reduce((s, m) => s + m.nnz(), 0);
console.log(kept, result.provenance.kept, result.provenance.total); // 18 18 72
// Within each layer, every kept weight is at least as large (in |w|) as every pruned one.
const ordered = network.layers.map((layer) => {
  const w = network.weight(layer.index);
  const m = result.mask.get(layer.weightName);
  let minKept = Infinity;
  let maxPruned = 0;
  for (let i = 0; i < w.length; i++) {
    const kept = m?.get(Math.floor(i / layer.shape.cols), i % layer.shape.cols);
    if (kept) minKept = Math.min(minKept, Math.abs(w[i]));
    else maxPruned = Math.max(maxPruned, Math.abs(w[i]));
  }
  return minKept >= maxPruned;
});
console.log(ordered.join(' ')); // true true
console.log(result.provenance.criterion); // graphon-pai/magnitude
network.dispose();
