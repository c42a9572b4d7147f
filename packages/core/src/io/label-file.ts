/**
 * Label files: one integer class label per example, a 1-D `.npy` array (or `[count, 1]`) of any integer
 * dtype, or of a float dtype holding only integer values (as numpy writes labels loaded from CSV).
 *
 * Validation: every label an integer in [0, maxClasses) (default {@link DEFAULT_MAX_CLASSES}); NaN,
 * fractions, negatives and huge values are {@link FormatError}s naming the first offending index; the file
 * within the read budget (`./read-budget`). The class count is max + 1.
 *
 * @example
 * const { labels, classes } = readLabelFile('y.npy'); // Int32Array, e.g. classes = 10
 */
import { FormatError } from '../errors';
import { readNpy } from './npy';
import type { ReadBudget } from './read-budget';

/** Default bound on label values: labels are class indices, and one-hot targets cost count × classes. */
export const DEFAULT_MAX_CLASSES = 65_536;

export interface LabelFileOptions {
  budget?: ReadBudget;
  /** Labels must be below this (default {@link DEFAULT_MAX_CLASSES}). */
  maxClasses?: number;
}

/** Reads and validates a label file (see the file header). */
export function readLabelFile(
  path: string,
  options: LabelFileOptions = {},
): { labels: Int32Array; classes: number } {
  const maxClasses = options.maxClasses ?? DEFAULT_MAX_CLASSES;
  const t = readNpy(path, options);
  if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)) || t.dtype === 'BOOL') {
    throw new FormatError(`holds a ${t.dtype} array of shape (${t.shape.join(', ')})`, {
      source: path,
      fix: 'save one integer class label per example as a 1-D array, e.g. numpy.save(path, y.astype(numpy.int64))',
    });
  }
  const data = t.data as ArrayLike<number | bigint>;
  const labels = new Int32Array(data.length);
  let classes = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!(Number.isInteger(v) && v >= 0 && v < maxClasses)) {
      throw new FormatError(
        `label ${String(data[i])} at index ${i} is not an integer class in [0, ${maxClasses})`,
        {
          source: path,
          fix: 'labels are class indices 0, 1, …; map them to integers before saving',
        },
      );
    }
    labels[i] = v;
    if (v + 1 > classes) classes = v + 1;
  }
  return { labels, classes };
}
