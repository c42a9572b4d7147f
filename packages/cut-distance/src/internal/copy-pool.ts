/**
 * Reusable storage for the copies a dense summand makes of its matrix (the float64 copy of a float32
 * matrix, the transposed copies; see `operator.ts`), so that cutting one matrix after another does not
 * allocate them afresh each time.
 *
 * Why: a 1000 × 1000 float32 difference gets 20 MB of copies per `cutNorm` call. Allocated per call, that
 * external memory started one of V8's concurrent marking cycles about once per call (`--trace-gc`), and on 2
 * cores the marking thread took a core from the two native threads of the deterministic certificate's Gram
 * product and factorisation: over 16 calls 14 marking cycles and a median certificate of 16–19 ms; with the
 * copies reused, 1–5 cycles and 12 ms.
 *
 * A buffer is lent to one operator at a time ({@link borrowCopy}) and comes back when the operator is
 * released ({@link returnCopy}, through `BlockOperator.release`); an operator that is never released simply
 * leaves its copies to the garbage collector. Borrowed buffers hold stale values: the borrower fills them.
 * At most {@link POOL_BYTES} are kept; larger or surplus buffers are dropped.
 */

/** Bytes of idle copies kept for reuse (the 20 MB of a 1000 × 1000 float32 matrix fit three times). */
export const POOL_BYTES = 64 * 1024 * 1024;

const idle = new Map<string, (Float32Array | Float64Array)[]>();
let idleBytes = 0;

const key = (float32: boolean, length: number): string => `${float32 ? 32 : 64}:${length}`;

/** A buffer of `length` entries (contents unspecified), idle if one of that type and length is kept. */
export function borrowCopy(length: number, float32: true): Float32Array;
export function borrowCopy(length: number, float32: false): Float64Array;
export function borrowCopy(length: number, float32: boolean): Float32Array | Float64Array {
  const kept = idle.get(key(float32, length))?.pop();
  if (kept) {
    idleBytes -= kept.byteLength;
    return kept;
  }
  return float32 ? new Float32Array(length) : new Float64Array(length);
}

/** Gives a borrowed buffer back; kept for reuse while the idle total stays within {@link POOL_BYTES}. */
export function returnCopy(buffer: Float32Array | Float64Array): void {
  if (idleBytes + buffer.byteLength > POOL_BYTES) return;
  const k = key(buffer instanceof Float32Array, buffer.length);
  const list = idle.get(k);
  if (list) list.push(buffer);
  else idle.set(k, [buffer]);
  idleBytes += buffer.byteLength;
}

/** Bytes currently kept idle (for tests). */
export function idleCopyBytes(): number {
  return idleBytes;
}
