/**
 * A binary classification task drawn from a labelled batch, in the form the NTK generalisation bound takes:
 * the first `samples` examples of two classes (in batch order), labels `y = +1` for the first class and `−1`
 * for the second, inputs as float64 and, with `normalize`, rescaled to `‖x‖² = d` — the normalisation under
 * which the hidden-layer NTK of a two-layer ReLU network is Arora et al.'s H^∞ (arXiv 1901.08584).
 *
 * The same examples are also returned unnormalised with labels 0 (first class) / 1 (second class), as the
 * batch pruning criteria score on.
 *
 * With `classes` omitted the batch must hold exactly two classes; the larger label becomes +1.
 *
 * @example
 * const task = binaryTask(await mnistSubset({ count: 2510, seed: 0 }), { classes: [3, 5], samples: 500 });
 * task.y; // Float64Array of ±1
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type Batch, checkBatch, makeBatch } from './batch';

export interface BinaryTask {
  /** samples × inputs, row-major float64. */
  x: { rows: number; cols: number; data: Float64Array };
  /** ±1 labels. */
  y: Float64Array;
  /** The two classes: [label of +1, label of −1]. */
  classes: [number, number];
  normalized: boolean;
  /** The same examples unnormalised, labels 0 (first class) / 1 (second class). */
  raw: Batch;
}

export interface BinaryTaskOptions {
  /** [class of +1, class of −1]; default: the two classes present, the larger one first. */
  classes?: [number, number];
  /** m, the number of examples taken. */
  samples: number;
  /** Rescale every example to ‖x‖² = d (default true). */
  normalize?: boolean;
}

function chooseClasses(labels: Int32Array): [number, number] {
  const present = [...new Set(labels)].sort((a, b) => a - b);
  if (present.length !== 2) {
    throw new InvalidArgumentError('classes', undefined, `two of the classes present (${present.join(', ')})`, {
      fix: `the data has ${present.length} classes; pick a binary task, e.g. classes [${present[0]}, ${present[1]}]`,
    });
  }
  return [present[1], present[0]];
}

export function binaryTask(batch: Batch, options: BinaryTaskOptions): BinaryTask {
  checkBatch(batch);
  const labels = batch.labels;
  if (!labels) throw new InvalidArgumentError('batch.labels', undefined, 'class labels (a classification batch)');
  if (!(Number.isSafeInteger(options.samples) && options.samples >= 2)) {
    throw new InvalidArgumentError('samples', options.samples, 'an integer ≥ 2');
  }
  const classes = options.classes ?? chooseClasses(labels);
  const normalize = options.normalize ?? true;
  const d = batch.features;
  const picked: number[] = [];
  for (let r = 0; r < batch.count && picked.length < options.samples; r++) {
    if (labels[r] === classes[0] || labels[r] === classes[1]) picked.push(r);
  }
  if (picked.length < options.samples) {
    throw new InvalidArgumentError(
      'samples',
      options.samples,
      `at most ${picked.length} (examples of classes ${classes.join(' and ')})`,
    );
  }
  const m = picked.length;
  const data = new Float64Array(m * d);
  const y = new Float64Array(m);
  const rawInputs = new Float32Array(m * d);
  const rawLabels = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const r = picked[k];
    const row = batch.inputs.subarray(r * d, (r + 1) * d);
    rawInputs.set(row, k * d);
    rawLabels[k] = labels[r] === classes[0] ? 0 : 1;
    let s = 0;
    for (let i = 0; i < d; i++) s += row[i] ** 2;
    if (normalize && !(s > 0)) {
      throw new InvalidArgumentError(`batch row ${r}`, 'all zeros', 'examples with a non-zero norm (they are rescaled to ‖x‖² = d)', {
        fix: 'drop all-zero examples, or pass normalize: false',
      });
    }
    const scale = normalize ? Math.sqrt(d / s) : 1;
    for (let i = 0; i < d; i++) data[k * d + i] = row[i] * scale;
    y[k] = labels[r] === classes[0] ? 1 : -1;
  }
  return {
    x: { rows: m, cols: d, data },
    y,
    classes,
    normalized: normalize,
    raw: makeBatch(rawInputs, m, d, { labels: rawLabels, classes: 2 }),
  };
}
