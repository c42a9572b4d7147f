/** The tfjs CPU backend for tests (exact float32 kernels, no WebAssembly start-up). */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/** Switches tfjs to the CPU backend and waits until it is ready. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
