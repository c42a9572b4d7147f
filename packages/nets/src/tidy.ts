/**
 * `tf.tidy` for results that hold `null` entries (layers without bias): tfjs walks such containers
 * correctly at run time (null is skipped), only its `TensorContainer` type rejects them.
 */
import * as tf from '@tensorflow/tfjs-core';

export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
