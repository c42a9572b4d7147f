import { Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { expectOperatorProducts } from '../test/reference';
import { wasmGatherAvailable } from './internal/wasm-gather';
import { sparsePatternOperator } from './sparse-pattern-operator';

/** A random CSR pattern (rows in random order, some repeated entries) and its dense count matrix. */
function randomPattern(rows: number, cols: number, density: number, seed: string) {
  const rng = new Rng(seed);
  const dense = new Float64Array(rows * cols);
  const rowPtr = new Uint32Array(rows + 1);
  const entries: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) if (rng.uniform() < density) row.push(c);
    if (row.length > 0 && rng.uniform() < 0.2) row.push(row[rng.int(row.length)]); // a repeated entry
    for (let i = row.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [row[i], row[j]] = [row[j], row[i]];
    }
    for (const c of row) dense[r * cols + c] += 1;
    entries.push(...row);
    rowPtr[r + 1] = entries.length;
  }
  return { rowPtr, colIdx: Uint32Array.from(entries), dense };
}

/** Column lists (increasing rows) of a dense count matrix, written out independently. */
function referenceCsc(dense: Float64Array, rows: number, cols: number) {
  const ptr = [0];
  const idx: number[] = [];
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) for (let t = 0; t < dense[r * cols + c]; t++) idx.push(r);
    ptr.push(idx.length);
  }
  return { ptr, idx };
}

const kernels = wasmGatherAvailable() ? (['auto', 'wasm', 'js'] as const) : (['auto', 'js'] as const);

describe('sparsePatternOperator', () => {
  test('the documented example', () => {
    const op = sparsePatternOperator(2, 3, Int32Array.of(0, 2, 3), Uint16Array.of(0, 2, 1));
    const out = new Float64Array(2);
    op.matmat(Float64Array.of(1, 10, 100), 1, out);
    expect(Array.from(out)).toEqual([101, 10]);
    const { ptr, idx } = op.csc();
    expect(Array.from(ptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(idx)).toEqual([0, 1, 0]);
    expect(op.nnz).toBe(3);
  });

  test.each(kernels)(
    'kernel %s: M·x and Mᵀ·y equal a float64 reference (unsorted rows, repeated entries, empty rows), widths 1…33',
    (kernel) => {
      const rows = 90;
      const cols = 61;
      const { rowPtr, colIdx, dense } = randomPattern(rows, cols, 0.15, `pattern-${kernel}`);
      for (let c = 0; c < cols; c++) dense[3 * cols + c] = 0; // row 3 empty
      const kept: number[] = [];
      const ptr = new Uint32Array(rows + 1);
      for (let r = 0; r < rows; r++) {
        if (r !== 3) for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) kept.push(colIdx[p]);
        ptr[r + 1] = kept.length;
      }
      const op = sparsePatternOperator(rows, cols, ptr, Uint32Array.from(kept), { kernel });
      expect([op.rows, op.cols, op.nnz]).toEqual([rows, cols, kept.length]);
      // 15 = 8 + 4 + 2 + 1 (every kernel), 33 = 4·8 + 1, then narrower blocks in grown buffers.
      expectOperatorProducts(op, dense, [1, 15, 33, 2, 5, 1], new Rng(`pattern-x-${kernel}`));
    },
  );

  test('every input type (Int32/Uint32 offsets, Uint16/Uint32 positions) gives the same products', () => {
    const rows = 40;
    const cols = 33;
    const { rowPtr, colIdx, dense } = randomPattern(rows, cols, 0.2, 'types');
    for (const ptr of [rowPtr, Int32Array.from(rowPtr)]) {
      for (const idx of [colIdx, Uint16Array.from(colIdx)]) {
        expectOperatorProducts(
          sparsePatternOperator(rows, cols, ptr, idx),
          dense,
          [1, 6],
          new Rng('types-x'),
        );
      }
    }
  });

  test('csr() and csc() are the index lists of the pattern; internal forms are kept by reference', () => {
    const rows = 30;
    const cols = 45;
    const { rowPtr, colIdx, dense } = randomPattern(rows, cols, 0.2, 'csc');
    const op = sparsePatternOperator(rows, cols, rowPtr, colIdx);
    const csr = op.csr();
    expect(csr.ptr).toBeInstanceOf(Int32Array);
    expect(csr.idx).toBeInstanceOf(Uint16Array);
    expect(Array.from(csr.ptr)).toEqual(Array.from(rowPtr));
    expect(Array.from(csr.idx)).toEqual(Array.from(colIdx));
    const csc = op.csc();
    const ref = referenceCsc(dense, rows, cols);
    expect(csc.idx).toBeInstanceOf(Uint16Array);
    expect(Array.from(csc.ptr)).toEqual(ref.ptr);
    expect(Array.from(csc.idx)).toEqual(ref.idx);
    expect(op.csc()).toBe(csc); // built once

    const ptr32 = Int32Array.from(rowPtr);
    const idx16 = Uint16Array.from(colIdx);
    const same = sparsePatternOperator(rows, cols, ptr32, idx16).csr();
    expect(same.ptr).toBe(ptr32);
    expect(same.idx).toBe(idx16);
  });

  test('a side above 65536: Uint32 positions in JavaScript for that direction, both products exact', () => {
    // 3 × 70000: the CSR holds column positions > 65535 (JavaScript gather), the CSC row positions < 3.
    const rows = 3;
    const cols = 70000;
    const { rowPtr, colIdx, dense } = randomPattern(rows, cols, 0.01, 'wide');
    const op = sparsePatternOperator(rows, cols, rowPtr, colIdx);
    expect(op.csr().idx).toBeInstanceOf(Uint32Array);
    expect(op.csc().idx).toBeInstanceOf(Uint16Array);
    expectOperatorProducts(op, dense, [1, 9], new Rng('wide-x'));
    // The transposed pattern, 70000 × 3: CSR in Uint16, CSC in Uint32.
    const ref = referenceCsc(dense, rows, cols);
    const opT = sparsePatternOperator(cols, rows, Int32Array.from(ref.ptr), Uint32Array.from(ref.idx));
    expect(opT.csc().idx).toBeInstanceOf(Uint32Array);
    const denseT = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) denseT[c * rows + r] = dense[r * cols + c];
    expectOperatorProducts(opT, denseT, [3, 1], new Rng('wide-t-x'));
  });

  test.each(kernels)(
    'kernel %s: sums of integers below 2^53 are exact (packed counters, any summation order)',
    (kernel) => {
      // Each input is an integer < 2^53 / (max degree + 1), so every partial sum is an exact integer.
      const rows = 50;
      const cols = 70;
      const { rowPtr, colIdx } = randomPattern(rows, cols, 0.3, `exact-${kernel}`);
      const op = sparsePatternOperator(rows, cols, rowPtr, colIdx, { kernel });
      const rng = new Rng(`exact-x-${kernel}`);
      const big = 2 ** 46;
      for (const k of [1, 7, 8]) {
        const x = new Float64Array(cols * k).map(() => Math.floor(rng.uniform() * big));
        const out = new Float64Array(rows * k);
        op.matmat(x, k, out);
        for (let r = 0; r < rows; r++) {
          for (let t = 0; t < k; t++) {
            let s = 0n;
            for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) s += BigInt(x[colIdx[p] * k + t]);
            expect(out[r * k + t]).toBe(Number(s));
          }
        }
        const y = new Float64Array(rows * k).map(() => Math.floor(rng.uniform() * big));
        const out2 = new Float64Array(cols * k);
        op.rmatmat(y, k, out2);
        const ref = new Array<bigint>(cols * k).fill(0n);
        for (let r = 0; r < rows; r++)
          for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++)
            for (let t = 0; t < k; t++) ref[colIdx[p] * k + t] += BigInt(y[r * k + t]);
        expect(Array.from(out2)).toEqual(ref.map(Number));
      }
    },
  );

  test('random patterns (property): products equal the dense reference', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 0, max: 12 }),
          cols: fc.integer({ min: 0, max: 12 }),
          density: fc.double({ min: 0, max: 1, noNaN: true }),
          seed: fc.integer(),
          k: fc.integer({ min: 1, max: 11 }),
        }),
        ({ rows, cols, density, seed, k }) => {
          const { rowPtr, colIdx, dense } = randomPattern(rows, cols, density, `prop-${seed}`);
          expectOperatorProducts(
            sparsePatternOperator(rows, cols, rowPtr, colIdx),
            dense,
            [k],
            new Rng(`prop-x-${seed}`),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  test('empty patterns write zeros', () => {
    const op = sparsePatternOperator(0, 4, Int32Array.of(0), new Uint16Array(0));
    const out = new Float64Array(8).fill(7);
    op.rmatmat(new Float64Array(0), 2, out);
    expect(Array.from(out)).toEqual(new Array(8).fill(0));
    const op2 = sparsePatternOperator(3, 2, new Int32Array(4), new Uint16Array(0));
    const out2 = new Float64Array(3).fill(7);
    op2.matmat(Float64Array.of(1, 2), 1, out2);
    expect(Array.from(out2)).toEqual([0, 0, 0]);
  });

  test('typed errors name the argument', () => {
    const ptr = Int32Array.of(0, 1, 2);
    const idx = Uint16Array.of(0, 1);
    expect(() => sparsePatternOperator(-1, 2, ptr, idx)).toThrow(/rows/);
    expect(() => sparsePatternOperator(2, 1.5, ptr, idx)).toThrow(/cols/);
    expect(() => sparsePatternOperator(3, 2, ptr, idx)).toThrow(/rowPtr.*rows \+ 1 = 4/);
    expect(() => sparsePatternOperator(2, 2, [0, 1, 2] as unknown as Int32Array, idx)).toThrow(/rowPtr/);
    expect(() => sparsePatternOperator(2, 2, ptr, Float64Array.of(0, 1) as unknown as Uint16Array)).toThrow(
      /colIdx/,
    );
    expect(() => sparsePatternOperator(2, 2, Int32Array.of(0, 1, 3), idx)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT', message: expect.stringMatching(/rowPtr/) }),
    );
    expect(() => sparsePatternOperator(2, 2, Int32Array.of(0, 2, 2), idx)).not.toThrow();
    expect(() => sparsePatternOperator(2, 2, Int32Array.of(1, 1, 2), idx)).toThrow(/rowPtr/);
    expect(() => sparsePatternOperator(3, 2, Int32Array.of(0, 2, 1, 2), idx)).toThrow(/rowPtr\[2\]/);
    expect(() => sparsePatternOperator(2, 1, ptr, idx)).toThrow(/colIdx\[1\].*cols = 1/);
    expect(() => sparsePatternOperator(2, 2, ptr, idx, { kernel: 'simd' as 'auto' })).toThrow(
      /options.kernel/,
    );
    expect(() => sparsePatternOperator(2, 70000, ptr, idx, { kernel: 'wasm' })).toThrow(
      expect.objectContaining({
        code: 'E_UNSUPPORTED',
        message: expect.stringMatching(/≤ 65536.*kernel: 'auto'/),
      }),
    );
  });
});
