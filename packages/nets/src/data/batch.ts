/**
 * A batch of examples on the host: the input format of every loss, gradient and criterion.
 *
 * Layout: `inputs` is `count × features`, row-major float32 (one example per row). Classification
 * batches carry integer `labels` in `[0, classes)`; regression batches carry `targets`
 * (`count × outputs`, row-major). A batch may carry both. The squared loss uses `targets` when present,
 * otherwise the one-hot encoding of `labels`.
 *
 * @example
 * const batch = makeBatch(new Float32Array([0, 1, 1, 0]), 2, 2, { labels: new Int32Array([1, 0]), classes: 2 });
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export interface Batch {
  /** `count × features` inputs, row-major. */
  readonly inputs: Float32Array;
  readonly count: number;
  readonly features: number;
  /** Class ids in `[0, classes)`, one per example. */
  readonly labels?: Int32Array;
  /** Number of classes the labels range over. */
  readonly classes?: number;
  /** Regression targets, `count × outputs`, row-major. */
  readonly targets?: Float32Array;
}

/** Builds a batch and validates its sizes. */
export function makeBatch(
  inputs: Float32Array,
  count: number,
  features: number,
  extra: { labels?: Int32Array; classes?: number; targets?: Float32Array } = {},
): Batch {
  const batch: Batch = { inputs, count, features, ...extra };
  checkBatch(batch);
  return batch;
}

/** Checks a batch's internal consistency (sizes, finite inputs, label range). Returns it. */
export function checkBatch(batch: Batch, argument = 'batch'): Batch {
  if (typeof batch !== 'object' || batch === null || !(batch.inputs instanceof Float32Array)) {
    throw new InvalidArgumentError(
      argument,
      batch,
      'a Batch { inputs: Float32Array, count, features, labels?, targets? }',
    );
  }
  const { count, features, inputs } = batch;
  if (!(Number.isInteger(count) && count > 0)) {
    throw new InvalidArgumentError(`${argument}.count`, count, 'a positive integer');
  }
  if (!(Number.isInteger(features) && features > 0)) {
    throw new InvalidArgumentError(`${argument}.features`, features, 'a positive integer');
  }
  if (inputs.length !== count * features) {
    throw new InvalidArgumentError(
      `${argument}.inputs`,
      inputs,
      `a Float32Array of length count · features = ${count * features}`,
    );
  }
  for (let i = 0; i < inputs.length; i++) {
    // x − x is 0 for every finite x and NaN for ±∞ and NaN: no global lookup in this loop over every input
    // (in a vm context such as jest's, `Number.isFinite` here cost ≈ 250 ns per value).
    if (inputs[i] - inputs[i] !== 0) {
      throw new InvalidArgumentError(`${argument}.inputs[${i}]`, inputs[i], 'a finite number', {
        fix: 'remove or impute non-finite inputs before scoring',
      });
    }
  }
  if (batch.labels !== undefined) {
    if (!(batch.labels instanceof Int32Array) || batch.labels.length !== count) {
      throw new InvalidArgumentError(
        `${argument}.labels`,
        batch.labels,
        `an Int32Array of length count = ${count}`,
      );
    }
    const classes = batch.classes;
    if (classes !== undefined && !(Number.isInteger(classes) && classes > 0)) {
      throw new InvalidArgumentError(`${argument}.classes`, classes, 'a positive integer');
    }
    for (let i = 0; i < count; i++) {
      const y = batch.labels[i];
      if (y < 0 || (classes !== undefined && y >= classes)) {
        throw new InvalidArgumentError(
          `${argument}.labels[${i}]`,
          y,
          `a class id in [0, ${classes ?? '∞'})`,
          {
            fix: 'relabel the data to 0-based class ids below the number of classes',
          },
        );
      }
    }
  }
  if (batch.targets !== undefined) {
    if (!(batch.targets instanceof Float32Array) || batch.targets.length % count !== 0) {
      throw new InvalidArgumentError(
        `${argument}.targets`,
        batch.targets,
        'a Float32Array of length count · outputs',
      );
    }
  }
  return batch;
}

/** Rows `[start, start + count)` of a batch, as a new batch sharing no memory with the original. */
export function sliceBatch(batch: Batch, start: number, count: number): Batch {
  if (
    !(
      Number.isInteger(start) &&
      Number.isInteger(count) &&
      start >= 0 &&
      count > 0 &&
      start + count <= batch.count
    )
  ) {
    throw new InvalidArgumentError(
      'start, count',
      [start, count],
      `a non-empty row range inside [0, ${batch.count})`,
    );
  }
  const f = batch.features;
  const out: { -readonly [K in keyof Batch]: Batch[K] } = {
    inputs: batch.inputs.slice(start * f, (start + count) * f),
    count,
    features: f,
  };
  if (batch.labels) out.labels = batch.labels.slice(start, start + count);
  if (batch.classes !== undefined) out.classes = batch.classes;
  if (batch.targets) {
    const k = batch.targets.length / batch.count;
    out.targets = batch.targets.slice(start * k, (start + count) * k);
  }
  return out;
}

/** Picks the listed rows of a batch (in the given order). */
export function selectRows(batch: Batch, rows: ArrayLike<number>): Batch {
  const f = batch.features;
  const n = rows.length;
  const inputs = new Float32Array(n * f);
  const labels = batch.labels ? new Int32Array(n) : undefined;
  const k = batch.targets ? batch.targets.length / batch.count : 0;
  const targets = batch.targets ? new Float32Array(n * k) : undefined;
  for (let r = 0; r < n; r++) {
    const src = rows[r];
    if (!(Number.isInteger(src) && src >= 0 && src < batch.count)) {
      throw new InvalidArgumentError(`rows[${r}]`, src, `a row index in [0, ${batch.count})`);
    }
    inputs.set(batch.inputs.subarray(src * f, (src + 1) * f), r * f);
    if (labels) labels[r] = batch.labels![src];
    if (targets) targets.set(batch.targets!.subarray(src * k, (src + 1) * k), r * k);
  }
  const out: { -readonly [K in keyof Batch]: Batch[K] } = { inputs, count: n, features: f };
  if (labels) out.labels = labels;
  if (batch.classes !== undefined) out.classes = batch.classes;
  if (targets) out.targets = targets;
  return out;
}
