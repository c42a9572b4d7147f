// Headline: an MLP on tfjs with exact gradients.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { evaluateLoss, lossGradients, makeBatch, Mlp } from '@graphon-pai/nets';

await tf.setBackend('cpu');
const net = Mlp.create({ widths: [4, 3, 2], activation: 'relu', seed: 0 });
console.log(
  net.weightCount,
  net.layers.map((l) => `${l.weightName}:${l.shape.rows}x${l.shape.cols}`).join(' '),
); // 18 0.weight:3x4 2.weight:2x3
const inputs = new Float32Array([1, 0, -1, 2, 0.5, 0.5, 0.5, 0.5]); // 2 examples × 4 features
const batch = makeBatch(inputs, 2, 4, { labels: new Int32Array([0, 1]), classes: 2 });
const g = lossGradients(net, batch);
console.log(
  g.weights.length,
  g.weights.every((w) => w.every(Number.isFinite)),
  Math.abs(g.loss - evaluateLoss(net, batch)) < 1e-6,
); // 2 true true
net.dispose();
console.log(tf.memory().numTensors); // 0
