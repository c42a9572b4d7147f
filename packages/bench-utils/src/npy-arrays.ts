/**
 * Typed arrays as `.npy` files for the numpy peers, through `@graphon-pai/core`'s `.npy` reader and writer:
 * the dtype follows the array type (Float64Array → `<f8`, Float32Array → `<f4`, Int32Array → `<i4`,
 * Uint8Array → `|u1`), C order.
 */
import { type DType, readNpy, writeNpy } from '@graphon-pai/core';

type NpyArray = Float64Array | Float32Array | Int32Array | Uint8Array;

function dtypeOf(data: NpyArray): DType {
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Int32Array) return 'I32';
  return 'U8';
}

/** Writes `data` with the given shape (the product of `shape` must be `data.length`). */
export function writeArrayNpy(path: string, data: NpyArray, shape: readonly number[]): void {
  writeNpy(path, { dtype: dtypeOf(data), shape: [...shape], data });
}

/** Reads a numeric `.npy` file (any real dtype, any shape) as float64 values in C order. */
export function readArrayNpy(path: string): Float64Array {
  const t = readNpy(path);
  return Float64Array.from(t.data as ArrayLike<number>);
}
