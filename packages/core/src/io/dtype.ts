/**
 * Element types of tensor files (safetensors and `.npy`), and their in-memory typed arrays.
 *
 * One vocabulary for both formats, named as in safetensors. Every file is **little-endian** on disk;
 * readers and writers byte-swap on a big-endian host (and for big-endian `.npy` files).
 *
 * | dtype | bytes | decoded as | notes |
 * |---|---|---|---|
 * | `BOOL` | 1 | `Uint8Array` of 0/1 | other byte values are rejected |
 * | `U8` / `I8` | 1 | `Uint8Array` / `Int8Array` | |
 * | `U16` / `I16` | 2 | `Uint16Array` / `Int16Array` | |
 * | `U32` / `I32` | 4 | `Uint32Array` / `Int32Array` | |
 * | `U64` / `I64` | 8 | `BigUint64Array` / `BigInt64Array` | exact; {@link int64ToNumbers} converts with a range check |
 * | `F16` / `BF16` | 2 | `Float32Array` | exact widening; writing rounds to nearest, ties to even |
 * | `F32` / `F64` | 4 / 8 | `Float32Array` / `Float64Array` | |
 *
 * @example
 * dtypeInfo('BF16').itemSize; // 2
 */
import { FormatError, InvalidArgumentError } from '../errors';
import { jsonExcerpt } from './json-excerpt';

export type DType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'U16'
  | 'I16'
  | 'U32'
  | 'I32'
  | 'U64'
  | 'I64'
  | 'F16'
  | 'BF16'
  | 'F32'
  | 'F64';

/** The typed array a tensor of each dtype decodes to. */
export interface DTypeArray {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  U16: Uint16Array;
  I16: Int16Array;
  U32: Uint32Array;
  I32: Int32Array;
  U64: BigUint64Array;
  I64: BigInt64Array;
  F16: Float32Array;
  BF16: Float32Array;
  F32: Float32Array;
  F64: Float64Array;
}

export type TensorData = DTypeArray[DType];

/** A dense tensor in C (row-major) order. */
export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DTypeArray[D];
}

/** What a writer accepts as tensor data (converted to `dtype`, with range checks for integer dtypes). */
export interface TensorInput {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData | ArrayLike<number> | ArrayLike<boolean>;
}

export interface DTypeInfo {
  readonly dtype: DType;
  /** Bytes per element on disk. */
  readonly itemSize: number;
  readonly kind: 'bool' | 'uint' | 'int' | 'float';
}

const INFO: Record<DType, DTypeInfo> = {
  BOOL: { dtype: 'BOOL', itemSize: 1, kind: 'bool' },
  U8: { dtype: 'U8', itemSize: 1, kind: 'uint' },
  I8: { dtype: 'I8', itemSize: 1, kind: 'int' },
  U16: { dtype: 'U16', itemSize: 2, kind: 'uint' },
  I16: { dtype: 'I16', itemSize: 2, kind: 'int' },
  U32: { dtype: 'U32', itemSize: 4, kind: 'uint' },
  I32: { dtype: 'I32', itemSize: 4, kind: 'int' },
  U64: { dtype: 'U64', itemSize: 8, kind: 'uint' },
  I64: { dtype: 'I64', itemSize: 8, kind: 'int' },
  F16: { dtype: 'F16', itemSize: 2, kind: 'float' },
  BF16: { dtype: 'BF16', itemSize: 2, kind: 'float' },
  F32: { dtype: 'F32', itemSize: 4, kind: 'float' },
  F64: { dtype: 'F64', itemSize: 8, kind: 'float' },
};

/** Every supported dtype, in the order of the table above. */
export const DTYPES: readonly DType[] = Object.keys(INFO) as DType[];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(INFO, value);
}

export function dtypeInfo(dtype: DType): DTypeInfo {
  const info = isDType(dtype) ? INFO[dtype] : undefined;
  if (!info) throw new InvalidArgumentError('dtype', dtype, `one of ${DTYPES.join(', ')}`);
  return info;
}

/** True when this machine stores multi-byte numbers little-endian (every x86/ARM Node build). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A copy of `src[begin, end)` in a fresh, 8-byte aligned buffer. (Node's `Buffer#slice` returns a view,
 * so `slice` cannot be trusted to copy.)
 */
export function copyBytes(src: Uint8Array, begin: number, end: number): Uint8Array {
  const out = new Uint8Array(end - begin);
  out.set(src.subarray(begin, end));
  return out;
}

/**
 * A fresh byte array at offset 0 of its own ArrayBuffer, **not zero-filled** (every byte is about to be
 * overwritten by a file read; skipping the fill halves the cost of loading a large tensor).
 */
export function allocateForRead(length: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}

/**
 * Sets an own enumerable property, even for the key `__proto__` (plain assignment would change the
 * prototype instead and silently lose the entry: a tensor may legitimately be named `__proto__`).
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Reverses the byte order of each `itemSize`-byte element of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  for (let i = 0; i + itemSize <= bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Number of elements of a shape, with each dimension checked; throws `FormatError` when `source` is given. */
export function shapeSize(shape: unknown, what: string, source?: string): number {
  const fail = (expected: string): never => {
    if (source !== undefined)
      throw new FormatError(`${what} is ${jsonExcerpt(shape)}; expected ${expected}`, { source });
    throw new InvalidArgumentError(what, shape, expected);
  };
  if (!Array.isArray(shape)) return fail('an array of non-negative integers');
  let n = 1;
  for (const d of shape) {
    if (!(typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
      return fail('an array of non-negative integers');
    n *= d;
    if (!Number.isSafeInteger(n)) return fail('a shape with fewer than 2^53 elements');
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Half precision. F16: IEEE 754 binary16 (1 sign, 5 exponent, 10 fraction bits). BF16: the top 16 bits of a
// binary32. Decoding is exact; encoding rounds to nearest, ties to even, overflows to ±Infinity and keeps NaN.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64view = new DataView(new ArrayBuffer(8));

/** Exact value of an F16 bit pattern. */
export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** F16 bit pattern nearest to `value`, rounded once from float64 (ties to even), as numpy's `astype(float16)`. */
export function numberToF16(value: number): number {
  f64view.setFloat64(0, value);
  const hi = f64view.getUint32(0);
  const lo = f64view.getUint32(4);
  const sign = (hi >>> 16) & 0x8000;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (hi & 0xfffff) * 4294967296 + lo; // exact: < 2^52
  if (exp === 0x7ff) return mant !== 0 ? sign | 0x7e00 : sign | 0x7c00;
  let e = exp - 1023 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal result: value = full · 2^(exp − 1075), in units of 2^−24.
    if (exp === 0) return sign;
    const shift = 1051 - exp;
    if (shift > 53) return sign;
    const full = mant + 4503599627370496; // + 2^52
    const unit = 2 ** shift;
    let h = Math.floor(full / unit);
    const rest = full - h * unit;
    const half = unit / 2;
    if (rest > half || (rest === half && (h & 1) === 1)) h++;
    return sign | h; // h = 0x400 is the smallest normal, encoded the same way
  }
  let h = Math.floor(mant / 4398046511104); // 2^42: keep the top 10 fraction bits
  const rest = mant - h * 4398046511104;
  if (rest > 2199023255552 || (rest === 2199023255552 && (h & 1) === 1)) {
    h++;
    if (h === 0x400) {
      h = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | h;
}

/** Exact value of a BF16 bit pattern. */
export function bf16ToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0];
}

/** BF16 bit pattern nearest to `value` (rounded through float32 like PyTorch's float32 → bfloat16; ties to even; NaN stays NaN). */
export function numberToBf16(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  const lsb = (x >>> 16) & 1;
  return ((x + 0x7fff + lsb) >>> 16) & 0xffff;
}

/**
 * Converts an `I64`/`U64` tensor's data to float64 numbers, throwing when a value is not exactly
 * representable (|x| > 2^53).
 */
export function int64ToNumbers(data: BigInt64Array | BigUint64Array, name = 'data'): Float64Array {
  const out = new Float64Array(data.length);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > max || v < -max) {
      throw new InvalidArgumentError(`${name}[${i}]`, v, 'an integer of magnitude at most 2^53 − 1', {
        fix: 'keep the BigInt64Array, or store such values as F64',
      });
    }
    out[i] = Number(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Raw little-endian bytes ↔ typed arrays.

/**
 * Decodes `count` elements of `dtype` from little-endian `bytes` (exactly `count · itemSize` bytes).
 * `bytes` may be modified (byte-swapped) on a big-endian host; pass a copy you own.
 * When `bytes` is 8-byte aligned and owns its whole buffer, the result is a view over it (no copy).
 */
export function decodeLittleEndian<D extends DType>(
  dtype: D,
  bytes: Uint8Array,
  count: number,
  what: string,
  source?: string,
): DTypeArray[D] {
  const { itemSize } = INFO[dtype];
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, itemSize);
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : copyBytes(bytes, 0, bytes.length);
  const { buffer, byteOffset } = aligned;
  let out: TensorData;
  switch (dtype) {
    case 'BOOL': {
      const v = new Uint8Array(buffer, byteOffset, count);
      for (let i = 0; i < count; i++) {
        if (v[i] > 1) {
          throw new FormatError(
            `${what} is BOOL but element ${i} has byte value ${v[i]}; BOOL bytes must be 0 or 1`,
            {
              source,
              fix: 'store the tensor as U8 if it holds other values',
            },
          );
        }
      }
      out = v;
      break;
    }
    case 'U8':
      out = new Uint8Array(buffer, byteOffset, count);
      break;
    case 'I8':
      out = new Int8Array(buffer, byteOffset, count);
      break;
    case 'U16':
      out = new Uint16Array(buffer, byteOffset, count);
      break;
    case 'I16':
      out = new Int16Array(buffer, byteOffset, count);
      break;
    case 'U32':
      out = new Uint32Array(buffer, byteOffset, count);
      break;
    case 'I32':
      out = new Int32Array(buffer, byteOffset, count);
      break;
    case 'U64':
      out = new BigUint64Array(buffer, byteOffset, count);
      break;
    case 'I64':
      out = new BigInt64Array(buffer, byteOffset, count);
      break;
    case 'F32':
      out = new Float32Array(buffer, byteOffset, count);
      break;
    case 'F64':
      out = new Float64Array(buffer, byteOffset, count);
      break;
    case 'F16':
    case 'BF16': {
      const bits = new Uint16Array(buffer, byteOffset, count);
      const f = new Float32Array(count);
      const conv = dtype === 'F16' ? f16ToNumber : bf16ToNumber;
      for (let i = 0; i < count; i++) f[i] = conv(bits[i]);
      out = f;
      break;
    }
    default:
      throw new InvalidArgumentError('dtype', dtype, `one of ${DTYPES.join(', ')}`);
  }
  return out as DTypeArray[D];
}

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  U8: [0, 255],
  I8: [-128, 127],
  U16: [0, 65535],
  I16: [-32768, 32767],
  U32: [0, 4294967295],
  I32: [-2147483648, 2147483647],
};

/**
 * Little-endian bytes of `data` as `dtype`. Accepts the dtype's own typed array (see the table), or any
 * numeric array: integers are range-checked (never wrapped), BOOL takes 0/1/true/false, F16/BF16 round
 * to nearest even. The result may share memory with `data` (when no conversion is needed on a
 * little-endian host): do not modify it.
 */
export function encodeLittleEndian(dtype: DType, data: TensorInput['data'], what: string): Uint8Array {
  const info = INFO[dtype];
  const n = data.length;
  let out: Uint8Array;
  const asBytes = (v: ArrayBufferView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const bad = (i: number, expected: string): never => {
    throw new InvalidArgumentError(`${what}[${i}]`, (data as ArrayLike<unknown>)[i], expected, {
      fix: `convert the values to ${dtype} first, or choose a dtype that holds them`,
    });
  };
  if (dtype === 'U64' || dtype === 'I64') {
    const Ctor = dtype === 'I64' ? BigInt64Array : BigUint64Array;
    if (data instanceof Ctor) out = asBytes(data);
    else {
      const arr = new Ctor(n);
      for (let i = 0; i < n; i++) {
        const v = (data as ArrayLike<unknown>)[i];
        if (typeof v === 'bigint') {
          if (BigInt.asIntN(64, v) !== v && dtype === 'I64') bad(i, 'a 64-bit signed integer');
          if ((v < 0n || BigInt.asUintN(64, v) !== v) && dtype === 'U64') bad(i, 'a 64-bit unsigned integer');
          arr[i] = v;
        } else if (typeof v === 'number' && Number.isSafeInteger(v) && (dtype === 'I64' || v >= 0)) {
          arr[i] = BigInt(v);
        } else bad(i, `a safe integer${dtype === 'U64' ? ' ≥ 0' : ''}`);
      }
      out = asBytes(arr);
    }
  } else if (dtype === 'F16' || dtype === 'BF16') {
    const bits = new Uint16Array(n);
    const conv = dtype === 'F16' ? numberToF16 : numberToBf16;
    for (let i = 0; i < n; i++) {
      const v = (data as ArrayLike<unknown>)[i];
      if (typeof v !== 'number') bad(i, 'a number');
      bits[i] = conv(v as number);
    }
    out = asBytes(bits);
  } else {
    const Ctor = {
      BOOL: Uint8Array,
      U8: Uint8Array,
      I8: Int8Array,
      U16: Uint16Array,
      I16: Int16Array,
      U32: Uint32Array,
      I32: Int32Array,
      F32: Float32Array,
      F64: Float64Array,
    }[dtype];
    if (data instanceof Ctor && dtype !== 'BOOL') out = asBytes(data);
    else {
      const arr = new Ctor(n);
      const range = INT_RANGE[dtype];
      for (let i = 0; i < n; i++) {
        const v = (data as ArrayLike<unknown>)[i];
        if (dtype === 'BOOL') {
          if (v === true || v === 1) arr[i] = 1;
          else if (!(v === false || v === 0)) bad(i, '0, 1, true or false');
        } else if (typeof v === 'bigint' || typeof v !== 'number') bad(i, 'a number');
        else if (range) {
          if (!(Number.isInteger(v) && v >= range[0] && v <= range[1]))
            bad(i, `an integer in [${range[0]}, ${range[1]}]`);
          arr[i] = v;
        } else arr[i] = v;
      }
      out = asBytes(arr);
    }
  }
  if (!HOST_LITTLE_ENDIAN && info.itemSize > 1) {
    out = copyBytes(out, 0, out.length);
    swapBytes(out, info.itemSize);
  }
  return out;
}
