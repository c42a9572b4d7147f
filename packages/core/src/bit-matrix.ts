/**
 * A bit-packed binary matrix: the storage of every mask in graphon-pai.
 *
 * Layout: row-major, each row padded to whole 32-bit words, bit `c % 32` of word
 * `r * wordsPerRow + (c >>> 5)` holds entry (r, c) (least significant bit first). Padding bits are always 0,
 * so word-level operations (popcount, AND, equality) need no masking. A 16384 × 16384 mask takes
 * 16384 · 512 · 4 B = 32 MiB.
 *
 * Orientation for layer masks follows PyTorch's `Linear.weight`: rows = output neurons, cols = inputs.
 *
 * Complexity: `get`/`set` O(1); `nnz`, `rowDegrees` O(rows · wordsPerRow); `colDegrees` and iteration over
 * set bits O(words + nnz). The set-bit scans (`colDegrees`, `forEachSet`, `entries`, `rowIndices`, `toCsr`)
 * repeat the same lowest-bit loop on purpose: each is a hot loop, and sharing it through a callback costs a
 * call per set bit (`colDegrees` through `forEachSet` measured 1.5-2.5× slower on a 4096 × 4096 mask of
 * density 3/8, Node 20).
 *
 * @example
 * const m = BitMatrix.fromDense(2, 3, [1, 0, 1, 0, 1, 1]);
 * m.nnz();          // 4
 * m.colDegrees();   // Uint32Array [1, 1, 2]
 */
import { InvalidArgumentError } from './errors';

export class BitMatrix {
  readonly rows: number;
  readonly cols: number;
  /** 32-bit words per row: ceil(cols / 32). */
  readonly wordsPerRow: number;
  /** The packed words, `rows * wordsPerRow` long. Exposed for fast kernels; keep padding bits zero. */
  readonly words: Uint32Array;

  /** An all-zero `rows × cols` matrix, or a view over existing packed `words`. */
  constructor(rows: number, cols: number, words?: Uint32Array) {
    checkDim('rows', rows);
    checkDim('cols', cols);
    this.rows = rows;
    this.cols = cols;
    this.wordsPerRow = Math.ceil(cols / 32);
    const length = rows * this.wordsPerRow;
    if (words) {
      if (words.length !== length) {
        throw new InvalidArgumentError('words', words, `a Uint32Array of length ${length} for ${rows} × ${cols}`);
      }
      this.words = words;
    } else {
      this.words = new Uint32Array(length);
    }
  }

  /** Number of entries, rows · cols. */
  get size(): number {
    return this.rows * this.cols;
  }

  /** Builds a matrix from a dense row-major array of 0/1 (any non-zero or `true` counts as 1). */
  static fromDense(rows: number, cols: number, dense: ArrayLike<number | boolean>): BitMatrix {
    const m = new BitMatrix(rows, cols);
    if (dense.length !== rows * cols) {
      throw new InvalidArgumentError('dense', dense, `an array of length rows · cols = ${rows * cols}`);
    }
    const { words, wordsPerRow } = m;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const wbase = r * wordsPerRow;
      for (let c = 0; c < cols; c++) {
        if (dense[base + c]) words[wbase + (c >>> 5)] |= 1 << (c & 31);
      }
    }
    return m;
  }

  /** Builds a matrix whose entry (r, c) is `predicate(r, c)`. */
  static from(rows: number, cols: number, predicate: (row: number, col: number) => boolean): BitMatrix {
    const m = new BitMatrix(rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) if (predicate(r, c)) m.words[r * m.wordsPerRow + (c >>> 5)] |= 1 << (c & 31);
    }
    return m;
  }

  /** Entry (row, col) as a boolean. No bounds check beyond the typed array's (hot path). */
  get(row: number, col: number): boolean {
    return ((this.words[row * this.wordsPerRow + (col >>> 5)] >>> (col & 31)) & 1) === 1;
  }

  /** Sets entry (row, col) to `value` (default true). */
  set(row: number, col: number, value = true): void {
    const i = row * this.wordsPerRow + (col >>> 5);
    const bit = 1 << (col & 31);
    if (value) this.words[i] |= bit;
    else this.words[i] &= ~bit;
  }

  /** The packed words of one row (a view, not a copy). */
  rowWords(row: number): Uint32Array {
    return this.words.subarray(row * this.wordsPerRow, (row + 1) * this.wordsPerRow);
  }

  /** Number of set entries. */
  nnz(): number {
    let n = 0;
    const w = this.words;
    for (let i = 0; i < w.length; i++) n += popcount(w[i]);
    return n;
  }

  /** Fraction of entries set (the kept fraction of a mask), 0 for an empty matrix. */
  density(): number {
    return this.size === 0 ? 0 : this.nnz() / this.size;
  }

  /** Number of set entries in each row (out-degree of each output neuron). */
  rowDegrees(): Uint32Array {
    const d = new Uint32Array(this.rows);
    const { words, wordsPerRow } = this;
    for (let r = 0; r < this.rows; r++) {
      let n = 0;
      const end = (r + 1) * wordsPerRow;
      for (let i = r * wordsPerRow; i < end; i++) n += popcount(words[i]);
      d[r] = n;
    }
    return d;
  }

  /** Number of set entries in each column (fan-out of each input). */
  colDegrees(): Uint32Array {
    const d = new Uint32Array(this.cols);
    const { words, wordsPerRow } = this;
    for (let r = 0; r < this.rows; r++) {
      const wbase = r * wordsPerRow;
      for (let k = 0; k < wordsPerRow; k++) {
        let w = words[wbase + k];
        const cbase = k << 5;
        while (w !== 0) {
          const low = w & -w;
          d[cbase + 31 - Math.clz32(low)]++;
          w ^= low;
        }
      }
    }
    return d;
  }

  /** Calls `fn(row, col)` for every set entry, in row-major order. */
  forEachSet(fn: (row: number, col: number) => void): void {
    const { words, wordsPerRow } = this;
    for (let r = 0; r < this.rows; r++) {
      const wbase = r * wordsPerRow;
      for (let k = 0; k < wordsPerRow; k++) {
        let w = words[wbase + k];
        const cbase = k << 5;
        while (w !== 0) {
          const low = w & -w;
          fn(r, cbase + 31 - Math.clz32(low));
          w ^= low;
        }
      }
    }
  }

  /** Iterates `[row, col]` over set entries in row-major order. */
  *entries(): IterableIterator<[number, number]> {
    const { words, wordsPerRow } = this;
    for (let r = 0; r < this.rows; r++) {
      for (let k = 0; k < wordsPerRow; k++) {
        let w = words[r * wordsPerRow + k];
        while (w !== 0) {
          const low = w & -w;
          yield [r, (k << 5) + 31 - Math.clz32(low)];
          w ^= low;
        }
      }
    }
  }

  /** Column indices of the set entries of one row, increasing. */
  rowIndices(row: number): Uint32Array {
    const out: number[] = [];
    const wbase = row * this.wordsPerRow;
    for (let k = 0; k < this.wordsPerRow; k++) {
      let w = this.words[wbase + k];
      while (w !== 0) {
        const low = w & -w;
        out.push((k << 5) + 31 - Math.clz32(low));
        w ^= low;
      }
    }
    return Uint32Array.from(out);
  }

  /**
   * Compressed sparse rows of the set entries: `rowPtr` (rows + 1 offsets) and increasing column indices per
   * row, as Uint16 when `cols ≤ 65536` (half the memory; the form linalg's `sparsePatternOperator` takes
   * without copying), else Uint32. O(words + nnz).
   */
  toCsr(): { rowPtr: Int32Array; colIdx: Uint16Array | Uint32Array } {
    const { rows, cols, words, wordsPerRow } = this;
    const rowPtr = new Int32Array(rows + 1);
    const nnz = this.nnz();
    const colIdx = cols <= 65536 ? new Uint16Array(nnz) : new Uint32Array(nnz);
    let p = 0;
    for (let r = 0; r < rows; r++) {
      const wbase = r * wordsPerRow;
      for (let k = 0; k < wordsPerRow; k++) {
        let w = words[wbase + k];
        const cbase = k << 5;
        while (w !== 0) {
          const low = w & -w;
          colIdx[p++] = cbase + 31 - Math.clz32(low);
          w ^= low;
        }
      }
      rowPtr[r + 1] = p;
    }
    return { rowPtr, colIdx };
  }

  /** Same shape and same entries. */
  equals(other: BitMatrix): boolean {
    if (this.rows !== other.rows || this.cols !== other.cols) return false;
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Dense row-major 0/1 copy. Costs rows · cols bytes: avoid for large masks. */
  toDense(): Uint8Array {
    const out = new Uint8Array(this.rows * this.cols);
    this.forEachSet((r, c) => {
      out[r * this.cols + c] = 1;
    });
    return out;
  }

  clone(): BitMatrix {
    return new BitMatrix(this.rows, this.cols, this.words.slice());
  }

  /** The `cols × rows` transpose. */
  transpose(): BitMatrix {
    const t = new BitMatrix(this.cols, this.rows);
    this.forEachSet((r, c) => {
      t.words[c * t.wordsPerRow + (r >>> 5)] |= 1 << (r & 31);
    });
    return t;
  }

  /** Entry-wise AND with a matrix of the same shape, as a new matrix. */
  and(other: BitMatrix): BitMatrix {
    assertSameShape(this, other);
    const out = this.clone();
    for (let i = 0; i < out.words.length; i++) out.words[i] &= other.words[i];
    return out;
  }

  /** True when every set entry of `this` is also set in `other`. */
  isSubsetOf(other: BitMatrix): boolean {
    assertSameShape(this, other);
    for (let i = 0; i < this.words.length; i++) if ((this.words[i] & ~other.words[i]) !== 0) return false;
    return true;
  }
}

/** Number of set bits of a 32-bit word (SWAR). */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function checkDim(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) {
    throw new InvalidArgumentError(name, v, 'a non-negative integer');
  }
}

function assertSameShape(a: BitMatrix, b: BitMatrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InvalidArgumentError('other', `${b.rows} × ${b.cols}`, `a ${a.rows} × ${a.cols} BitMatrix`);
  }
}
