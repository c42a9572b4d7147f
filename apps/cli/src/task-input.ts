/**
 * The inputs of `graphon-pai bounds`, read from its flags:
 *
 * - **A binary task** (`loadBinaryTask`): `--data mnist | synthetic[:…] | X.npy` (with `--labels y.npy`) gives a
 *   labelled batch, `@graphon-pai/nets`' `binaryTask` takes the first m examples of two classes, labels
 *   y = +1 (first class) / −1 (second), inputs rescaled to ‖x‖² = n_in unless `normalize` is false. MNIST:
 *   `@graphon-pai/experiments`' `mnistTaskBatch`, the batch of the presets' binary task.
 * - `--classes a,b` and `--coordinates active | top:K | i,j,…`.
 *
 * What is computed from them is `@graphon-pai/bounds`' `graphonNtkReport` and `uatReport`.
 */

import type { CoordinateSpec } from '@graphon-pai/bounds';
import { InvalidArgumentError } from '@graphon-pai/core';
import { mnistTaskBatch } from '@graphon-pai/experiments';
import { type Batch, type BinaryTask, binaryTask } from '@graphon-pai/nets';
import { npyBatch, syntheticBatch } from './data-source';

/** A binary task and a one-line description of where it came from. */
export interface BinaryTaskInput extends BinaryTask {
  description: string;
}

export interface TaskOptions {
  data: string;
  labels?: string;
  classes?: [number, number];
  samples: number;
  features: number;
  seed: number;
  normalize: boolean;
}

/** The batch behind `--data` (with enough rows to pick m of the two classes). */
async function loadBatch(o: TaskOptions): Promise<{ batch: Batch; what: string }> {
  if (o.data === 'mnist') {
    if (o.features !== 784) {
      throw new InvalidArgumentError(
        '--data',
        'mnist',
        `a data set with ${o.features} inputs (MNIST has 784)`,
        {
          fix: 'use a graphon or mask with 784 inputs, or --data synthetic / --data X.npy',
        },
      );
    }
    return mnistTaskBatch(o.samples, o.seed);
  }
  if (o.data === 'synthetic' || o.data.startsWith('synthetic:')) {
    return {
      batch: syntheticBatch(o.data, o.samples, o.features, o.seed),
      what: `${o.data} (seed ${o.seed})`,
    };
  }
  if (o.data.endsWith('.npy')) return { batch: npyBatch(o.data, o.labels, o.features), what: o.data };
  throw new InvalidArgumentError(
    '--data',
    o.data,
    "'mnist', 'synthetic[:…]' or a path to an X.npy file (with --labels y.npy)",
  );
}

/** Loads a binary task (see the file header). */
export async function loadBinaryTask(o: TaskOptions): Promise<BinaryTaskInput> {
  if (!(Number.isSafeInteger(o.samples) && o.samples >= 2 && o.samples <= 1726)) {
    throw new InvalidArgumentError('--samples', o.samples, 'an integer in [2, 1726]', {
      fix: 'the bound is an m-sample statement; e.g. --samples 500',
    });
  }
  const { batch, what } = await loadBatch(o);
  if (!batch.labels) throw new InvalidArgumentError('--data', o.data, 'a labelled data set');
  const labels = batch.labels;
  const present = [...new Set(labels)].sort((a, b) => a - b);
  let classes = o.classes ?? (o.data === 'mnist' ? ([3, 5] as [number, number]) : undefined);
  if (classes === undefined) {
    if (present.length !== 2) {
      throw new InvalidArgumentError(
        '--classes',
        undefined,
        `two of the classes present (${present.join(', ')})`,
        {
          fix: `the data has ${present.length} classes; pick a binary task, e.g. --classes ${present[0]},${present[1]}`,
        },
      );
    }
    classes = [present[1], present[0]];
  }
  const [a, b] = classes;
  const available = labels.reduce((n, c) => n + (c === a || c === b ? 1 : 0), 0);
  if (available < o.samples) {
    throw new InvalidArgumentError(
      '--samples',
      o.samples,
      `at most ${available} (examples of classes ${a} and ${b})`,
    );
  }
  const task = binaryTask(batch, { classes, samples: o.samples, normalize: o.normalize });
  return {
    ...task,
    description: `${what}: classes ${a} (+1) vs ${b} (−1), m = ${task.y.length}${o.normalize ? ', ‖x‖² = n_in' : ''}`,
  };
}

/** Parses `--coordinates`: 'active', 'top:K' or a comma-separated list of input indices. */
export function parseCoordinates(value: string | undefined): CoordinateSpec {
  if (value === undefined || value === 'active') return { kind: 'active' };
  const top = /^top:(\d+)$/.exec(value);
  if (top && Number(top[1]) >= 1) return { kind: 'top', k: Number(top[1]) };
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length > 0 && parts.every((i) => Number.isSafeInteger(i) && i >= 0))
    return { kind: 'list', indices: parts };
  throw new InvalidArgumentError(
    '--coordinates',
    value,
    "'active', 'top:K' (the K densest active inputs) or indices 'i,j,…'",
    {
      fix: 'e.g. --coordinates top:4',
    },
  );
}
