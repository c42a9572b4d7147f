/**
 * The binary MNIST task of the `ntk` and `accuracy` presets (and of `graphon-pai bounds --data mnist`): the
 * first m digits of two classes, labels y = +1 (first class) / −1 (second), in the class-balanced subset
 * `mnistSubset({ count: min(8630, 5m + 10), seed })` of the training split (deterministic for a seed; 5m + 10
 * digits hold at least m of any two classes), built by `@graphon-pai/nets`' `binaryTask`. `@graphon-pai/nets`
 * (and with it tfjs) loads on the first call, so importing this package stays light.
 */
import type { Batch, BinaryTask } from '@graphon-pai/nets';

/** The class-balanced MNIST batch the binary task of `samples` digits is drawn from, and its description. */
export async function mnistTaskBatch(samples: number, seed: number): Promise<{ batch: Batch; what: string }> {
  const { mnistSubset } = await import('@graphon-pai/nets');
  const count = Math.min(8630, 5 * samples + 10);
  return {
    batch: await mnistSubset({ count, seed }),
    what: `MNIST (mnistSubset count ${count}, seed ${seed})`,
  };
}

export interface MnistTaskOptions {
  /** [digit of y = +1, digit of y = −1]. */
  classes: [number, number];
  /** m, the digits taken. */
  samples: number;
  seed: number;
  /** Rescale every example to ‖x‖² = 784 (default true). */
  normalize?: boolean;
}

/** The binary MNIST task of the file header. */
export async function mnistBinaryTask(o: MnistTaskOptions): Promise<BinaryTask> {
  const { binaryTask } = await import('@graphon-pai/nets');
  const { batch } = await mnistTaskBatch(o.samples, o.seed);
  return binaryTask(batch, { classes: o.classes, samples: o.samples, normalize: o.normalize ?? true });
}
