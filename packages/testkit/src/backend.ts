/**
 * Backend selection for conformance runs. Library packages never pick a tfjs backend; the testkit does,
 * because a test run needs one: it keeps the backend a test file already set, otherwise loads and sets
 * `@tensorflow/tfjs-backend-cpu` (deterministic, no wasm files to locate). Install it as a dev dependency
 * next to the testkit.
 */
import { UnsupportedError } from '@graphon-pai/core';
import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'cpu' | 'wasm';

/** Ensures a tfjs backend is active; returns its name. */
export async function ensureBackend(name?: BackendName): Promise<string> {
  const current = (tf.engine() as unknown as { backendName: string | null }).backendName;
  if (name === undefined && current) return current;
  const wanted = name ?? 'cpu';
  try {
    if (wanted === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
    else await import('@tensorflow/tfjs-backend-wasm');
  } catch (cause) {
    throw new UnsupportedError(`the tfjs ${wanted} backend is not installed`, {
      fix: `npm i -D @tensorflow/tfjs-backend-${wanted}@4.22.0`,
      cause,
    });
  }
  if (current !== wanted) await tf.setBackend(wanted);
  await tf.ready();
  return tf.getBackend();
}
