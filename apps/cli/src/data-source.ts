/**
 * Labelled data named on the command line, for `prune`, `bounds` and the experiment presets:
 *
 * - `--data synthetic[:informative=K,classes=C,teacher=linear|relu,noise=P]`: the synthetic classification
 *   task of `@graphon-pai/nets` (`syntheticTask`); unknown keys are {@link InvalidArgumentError}s naming `--data`;
 * - `--data X.npy --labels y.npy`: an example matrix and its labels, read and validated by
 *   `@graphon-pai/core` (`readExampleMatrix`, `readLabelFile`: finite values, integer labels in range, both
 *   within the read budget), one label per row.
 */
import { FormatError, InvalidArgumentError, readExampleMatrix, readLabelFile } from '@graphon-pai/core';
import { type Batch, makeBatch, syntheticTask } from '@graphon-pai/nets';

const KEYS = ['informative', 'classes', 'teacher', 'noise'];

/** A batch of `count` examples with `features` inputs from `spec` (`synthetic` or `synthetic:k=v,…`). */
export function syntheticBatch(spec: string, count: number, features: number, seed: number): Batch {
  const opts: Record<string, string> = {};
  const body = spec.slice('synthetic'.length).replace(/^:/, '');
  for (const part of body ? body.split(',') : []) {
    const [k, v] = part.split('=');
    if (!KEYS.includes(k) || v === undefined) {
      throw new InvalidArgumentError(
        '--data',
        spec,
        "'synthetic[:informative=K,classes=C,teacher=linear|relu,noise=P]'",
      );
    }
    opts[k] = v;
  }
  return syntheticTask({
    count,
    features,
    informative: opts.informative ? Number(opts.informative) : Math.min(10, features),
    classes: opts.classes ? Number(opts.classes) : 2,
    teacher: opts.teacher ? teacher(opts.teacher) : undefined,
    labelNoise: opts.noise ? Number(opts.noise) : undefined,
    seed,
  }).batch;
}

function teacher(value: string): 'linear' | 'relu' {
  if (value !== 'linear' && value !== 'relu') {
    throw new InvalidArgumentError('--data teacher', value, "one of 'linear', 'relu'");
  }
  return value;
}

/**
 * The batch of `--data X.npy --labels y.npy`: `features` columns, labels in [0, maxClasses) (the network's
 * outputs, when known).
 */
export function npyBatch(
  data: string,
  labels: string | undefined,
  features: number,
  maxClasses?: number,
): Batch {
  const x = readExampleMatrix(data, { features });
  if (labels === undefined) {
    throw new InvalidArgumentError(
      '--labels',
      undefined,
      'a .npy file of integer class labels when --data is a .npy file',
    );
  }
  const y = readLabelFile(labels, { maxClasses });
  if (y.labels.length !== x.count) {
    throw new FormatError(`holds ${y.labels.length} labels for the ${x.count} rows of ${data}`, {
      source: labels,
      fix: 'store one label per row of --data',
    });
  }
  return makeBatch(x.data, x.count, features, { labels: y.labels, classes: y.classes });
}
