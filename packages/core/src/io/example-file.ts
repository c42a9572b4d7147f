/**
 * Example files: a 2-D `.npy` array `[count, features]`, one example per row, of any numeric dtype, read as
 * float32 (the precision the networks compute in). Validation: rank 2; `features` columns when the caller
 * names them; every value finite; the file within the read budget (`./read-budget`).
 *
 * @example
 * const x = readExampleMatrix('X.npy', { features: 784 }); // { count, features: 784, data: Float32Array }
 */
import { FormatError } from '../errors';
import { readNpy } from './npy';
import type { ReadBudget } from './read-budget';

export interface ExampleMatrix {
  readonly count: number;
  readonly features: number;
  /** `count × features` values, row-major. */
  readonly data: Float32Array;
}

/** Reads and validates an example matrix (see the file header). */
export function readExampleMatrix(
  path: string,
  options: { features?: number; budget?: ReadBudget } = {},
): ExampleMatrix {
  const t = readNpy(path, options);
  const [count, features] = t.shape;
  if (t.shape.length !== 2 || (options.features !== undefined && features !== options.features)) {
    throw new FormatError(
      `holds an array of shape (${t.shape.join(', ')}); expected [count, ${options.features ?? 'features'}]`,
      { source: path, fix: 'store a 2-D numeric array with one example per row' },
    );
  }
  const source = t.data as ArrayLike<number | bigint>;
  const data = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = Number(source[i]);
    if (!Number.isFinite(v)) {
      throw new FormatError(`holds ${v} at row ${Math.floor(i / features)}, column ${i % features}`, {
        source: path,
        fix: 'replace NaN and infinite values before saving',
      });
    }
    data[i] = v;
  }
  return { count, features, data };
}
