/**
 * Browser side of the package probe: the tfjs cpu backend, then `probe` (from the packages' browser
 * builds); the result (or the error) lands on `window.__probe`.
 */
import { registry } from '@graphon-pai/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { probe } from './probe';

declare global {
  interface Window {
    __probe?: { result?: unknown; error?: string };
  }
}

tf.setBackend('cpu')
  .then(() => tf.ready())
  .then(() => probe(registry))
  .then(
    (result) => {
      window.__probe = { result };
    },
    (error: unknown) => {
      window.__probe = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    },
  );
