/**
 * The CLI's engine set-up falls back to tfjs's cpu backend when wasm cannot load, without tfjs's Node
 * banner ("Hi, looks like you are running TensorFlow.js in Node.js …") on the first tensor.
 */
jest.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error('wasm unavailable in this test');
});

import * as tf from '@tensorflow/tfjs-core';
import { setupEngine } from '../src/engine';

test('cpu fallback prints no tfjs banner', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    expect((await setupEngine()).backend).toBe('cpu');
    tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
    expect(warn.mock.calls.flat().join('\n')).not.toMatch(/looks like you are running TensorFlow\.js in Node/);
  } finally {
    warn.mockRestore();
  }
});
