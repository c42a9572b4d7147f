/**
 * The weighted block operator every cut-norm method works on.
 *
 * A kernel difference is represented on the common refinement of all its summands' grids: row pieces
 * `p = 0..rows-1` with lengths `h_p` (Σ h = 1), column pieces `q` with lengths `g_q`, and the value matrix
 *
 *     D_pq = Σ_t coef_t · T_t[rowMap_t(p), colMap_t(q)]  +  Σ_l coef_l · s_l(p) · t_l(q)
 *
 * where each summand `T_t` is a dense unit matrix (a matrix read as a step function, or a step kernel's
 * block values) or a bit-packed mask (stored as CSR column indices), and the optional rank-one terms hold
 * the cuts already extracted by the weak-regularity decomposition. The **mass matrix** is
 * `B_pq = h_p g_q D_pq`, so that the cut norm of the kernel is `max_{S,T} |Σ_{p∈S,q∈T} B_pq|`: for a step
 * function the supremum over measurable sets is attained on unions of pieces (the integral is bilinear in
 * the fraction of each piece taken, so a vertex of the box is optimal).
 *
 * Products `B·X` and `Bᵀ·Y` with row-major blocks of width R never densify: a mask summand costs
 * O(nnz·R), a dense summand O(units·R) per entry, the rest O((rows + cols)·R).
 */

import { gemm } from '@graphon-pai/linalg';

export type FloatArray = Float32Array | Float64Array;

export interface DenseSummand {
  kind: 'dense';
  coef: number;
  unitRows: number;
  unitCols: number;
  /** Row-major unit values. */
  data: FloatArray;
  rowMap: Uint32Array | null;
  colMap: Uint32Array | null;
  /** Float64 copy of a Float32 `data`, made on the first matrix-vector product. */
  data64?: Float64Array;
  /** Transposed copies (made lazily for matrices up to {@link TRANSPOSE_LIMIT} entries). */
  data32T?: Float32Array;
  data64T?: Float64Array;
}

/**
 * Providers run `A·x` two to three times faster than `Aᵀ·x` on these machines, so matrices up to this many
 * entries keep a transposed copy (12 bytes per entry at most).
 */
export const TRANSPOSE_LIMIT = 1 << 23;

export interface MaskSummand {
  kind: 'mask';
  coef: number;
  unitRows: number;
  unitCols: number;
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  rowMap: Uint32Array | null;
  colMap: Uint32Array | null;
  /** Column-major copy (CSC) made on the first transposed product, so both directions gather. */
  colPtr?: Uint32Array;
  rowIdx?: Uint32Array;
}

export type Summand = DenseSummand | MaskSummand;

export interface RankOneTerm {
  coef: number;
  /** Indicator (or any vector) over row pieces. */
  s: Float64Array;
  /** Indicator (or any vector) over column pieces. */
  t: Float64Array;
}

interface Scratch {
  xg: Float64Array;
  zin: Float64Array[];
  zout: Float64Array[];
}

export class BlockOperator {
  readonly rows: number;
  readonly cols: number;
  /** Row piece lengths h (sum 1). */
  readonly rowWeights: Float64Array;
  /** Column piece lengths g (sum 1). */
  readonly colWeights: Float64Array;
  readonly summands: Summand[];
  readonly rankOne: RankOneTerm[] = [];
  private readonly scratch = new Map<string, Scratch>();

  constructor(rowWeights: Float64Array, colWeights: Float64Array, summands: Summand[]) {
    this.rowWeights = rowWeights;
    this.colWeights = colWeights;
    this.rows = rowWeights.length;
    this.cols = colWeights.length;
    this.summands = summands;
  }

  private buffers(r: number, transposed: boolean): Scratch {
    const key = `${transposed ? 't' : 'n'}${r}`;
    let s = this.scratch.get(key);
    if (!s) {
      const inner = transposed ? this.rows : this.cols;
      s = {
        xg: new Float64Array(inner * r),
        zin: this.summands.map((t) => new Float64Array((transposed ? t.unitRows : t.unitCols) * r)),
        zout: this.summands.map((t) => new Float64Array((transposed ? t.unitCols : t.unitRows) * r)),
      };
      this.scratch.set(key, s);
    }
    return s;
  }

  /** out (rows×r) = B · x, x is cols×r (row-major). */
  mul(x: Float64Array, r: number, out: Float64Array): void {
    this.product(false, x, r, out);
  }

  /** out (cols×r) = Bᵀ · y, y is rows×r (row-major). */
  mulT(y: Float64Array, r: number, out: Float64Array): void {
    this.product(true, y, r, out);
  }

  private product(transposed: boolean, x: Float64Array, r: number, out: Float64Array): void {
    const inW = transposed ? this.rowWeights : this.colWeights;
    const outW = transposed ? this.colWeights : this.rowWeights;
    const nIn = inW.length;
    const nOut = outW.length;
    const buf = this.buffers(r, transposed);
    const xg = buf.xg;
    for (let q = 0; q < nIn; q++) {
      const w = inW[q];
      const base = q * r;
      for (let k = 0; k < r; k++) xg[base + k] = w * x[base + k];
    }
    out.fill(0, 0, nOut * r);
    for (let t = 0; t < this.summands.length; t++) {
      const s = this.summands[t];
      const inMap = transposed ? s.rowMap : s.colMap;
      const outMap = transposed ? s.colMap : s.rowMap;
      let z = xg;
      if (inMap) {
        z = buf.zin[t];
        z.fill(0);
        for (let q = 0; q < nIn; q++) {
          const src = q * r;
          const dst = inMap[q] * r;
          for (let k = 0; k < r; k++) z[dst + k] += xg[src + k];
        }
      }
      const direct = outMap === null;
      const w = direct ? out : buf.zout[t];
      if (!direct) w.fill(0);
      const coef = s.coef;
      if (s.kind === 'dense') denseProduct(s, transposed, z, r, w, coef);
      else if (transposed) {
        if (!s.colPtr || !s.rowIdx) Object.assign(s, cscOf(s));
        csrMul(s.colPtr!, s.rowIdx!, s.unitCols, z, r, w, coef);
      } else csrMul(s.rowPtr, s.colIdx, s.unitRows, z, r, w, coef);
      if (!direct && outMap) {
        for (let p = 0; p < nOut; p++) {
          const src = outMap[p] * r;
          const dst = p * r;
          for (let k = 0; k < r; k++) out[dst + k] += w[src + k];
        }
      }
    }
    for (const term of this.rankOne) {
      const vin = transposed ? term.s : term.t;
      const vout = transposed ? term.t : term.s;
      for (let k = 0; k < r; k++) {
        let c = 0;
        for (let q = 0; q < nIn; q++) c += vin[q] * xg[q * r + k];
        c *= term.coef;
        if (c !== 0) for (let p = 0; p < nOut; p++) out[p * r + k] += vout[p] * c;
      }
    }
    for (let p = 0; p < nOut; p++) {
      const w = outW[p];
      const base = p * r;
      for (let k = 0; k < r; k++) out[base + k] *= w;
    }
  }

  /** Row p of the value matrix D (not the mass), written into out (length cols). */
  valueRow(p: number, out: Float64Array): void {
    out.fill(0);
    for (const s of this.summands) {
      const u = s.rowMap ? s.rowMap[p] : p;
      const cm = s.colMap;
      const coef = s.coef;
      if (s.kind === 'dense') {
        const base = u * s.unitCols;
        if (cm) for (let q = 0; q < this.cols; q++) out[q] += coef * s.data[base + cm[q]];
        else for (let q = 0; q < this.cols; q++) out[q] += coef * s.data[base + q];
      } else if (cm) {
        // Mark the unit columns of this mask row, then read them through the map.
        const marks = this.unitMarks(s.unitCols);
        const start = s.rowPtr[u];
        const end = s.rowPtr[u + 1];
        for (let i = start; i < end; i++) marks[s.colIdx[i]] = 1;
        for (let q = 0; q < this.cols; q++) out[q] += coef * marks[cm[q]];
        for (let i = start; i < end; i++) marks[s.colIdx[i]] = 0;
      } else {
        for (let i = s.rowPtr[u]; i < s.rowPtr[u + 1]; i++) out[s.colIdx[i]] += coef;
      }
    }
    for (const term of this.rankOne) {
      const c = term.coef * term.s[p];
      if (c !== 0) for (let q = 0; q < this.cols; q++) out[q] += c * term.t[q];
    }
  }

  private marks: Uint8Array | undefined;
  private unitMarks(n: number): Uint8Array {
    if (!this.marks || this.marks.length < n) this.marks = new Uint8Array(n);
    return this.marks;
  }

  /** Dense mass matrix B (rows×cols, row-major). Only for small operators (exact method, tests). */
  denseMass(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    const row = new Float64Array(this.cols);
    for (let p = 0; p < this.rows; p++) {
      this.valueRow(p, row);
      const h = this.rowWeights[p];
      for (let q = 0; q < this.cols; q++) out[p * this.cols + q] = h * this.colWeights[q] * row[q];
    }
    return out;
  }

  /** Signed cut value Σ_{p∈S, q∈T} B_pq for 0/1 indicators. */
  cutValue(s: Float64Array, t: Float64Array): number {
    const y = new Float64Array(this.rows);
    this.mul(t, 1, y);
    let v = 0;
    for (let p = 0; p < this.rows; p++) v += s[p] * y[p];
    return v;
  }
}

/**
 * w += coef · op(T) · z through the linalg GEMM provider. Block products (r > 1) of a Float32 matrix run in
 * float32 (the SDP iteration tolerates it); matrix-vector products (cut values, alternating steps, the
 * certificate) always run in float64 on a float64 copy.
 */
function denseProduct(
  s: DenseSummand,
  transposed: boolean,
  z: Float64Array,
  r: number,
  w: Float64Array,
  coef: number,
): void {
  const outRows = transposed ? s.unitCols : s.unitRows;
  const inner = transposed ? s.unitRows : s.unitCols;
  const zIn = z.length === inner * r ? z : z.subarray(0, inner * r);
  const wOut = w.length === outRows * r ? w : w.subarray(0, outRows * r);
  const copyT = transposed && s.unitRows * s.unitCols <= TRANSPOSE_LIMIT && s.unitRows * s.unitCols >= 4096;
  if (r > 1 && s.data instanceof Float32Array) {
    const z32 = f32Scratch(0, inner * r);
    z32.set(zIn);
    const w32 = f32Scratch(1, outRows * r);
    if (copyT) {
      if (!s.data32T)
        s.data32T = transposeCopy(s.data, s.unitRows, s.unitCols, new Float32Array(s.data.length));
      gemm(false, false, outRows, r, inner, coef, s.data32T, z32, 0, w32);
    } else gemm(transposed, false, outRows, r, inner, coef, s.data, z32, 0, w32);
    for (let i = 0; i < outRows * r; i++) wOut[i] += w32[i];
    return;
  }
  let d64: Float64Array;
  if (s.data instanceof Float64Array) d64 = s.data;
  else {
    if (!s.data64) s.data64 = new Float64Array(s.data);
    d64 = s.data64;
  }
  if (copyT) {
    if (!s.data64T) s.data64T = transposeCopy(d64, s.unitRows, s.unitCols, new Float64Array(d64.length));
    gemm(false, false, outRows, r, inner, coef, s.data64T, zIn, 1, wOut);
  } else gemm(transposed, false, outRows, r, inner, coef, d64, zIn, 1, wOut);
}

function transposeCopy<T extends FloatArray>(a: FloatArray, m: number, n: number, out: T): T {
  // Tiled so both sides stay in cache.
  const B = 64;
  for (let i0 = 0; i0 < m; i0 += B) {
    const i1 = Math.min(m, i0 + B);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * m + i] = a[i * n + j];
    }
  }
  return out;
}

const f32Buffers: Float32Array[] = [new Float32Array(0), new Float32Array(0)];

function f32Scratch(slot: number, length: number): Float32Array {
  if (f32Buffers[slot].length !== length) f32Buffers[slot] = new Float32Array(length);
  return f32Buffers[slot];
}

/** Column pointers and row indices of a CSR mask. */
function cscOf(s: MaskSummand): { colPtr: Uint32Array; rowIdx: Uint32Array } {
  const colPtr = new Uint32Array(s.unitCols + 1);
  for (let e = 0; e < s.colIdx.length; e++) colPtr[s.colIdx[e] + 1]++;
  for (let j = 0; j < s.unitCols; j++) colPtr[j + 1] += colPtr[j];
  const fill = colPtr.slice(0, s.unitCols);
  const rowIdx = new Uint32Array(s.colIdx.length);
  for (let i = 0; i < s.unitRows; i++)
    for (let e = s.rowPtr[i]; e < s.rowPtr[i + 1]; e++) rowIdx[fill[s.colIdx[e]]++] = i;
  return { colPtr, rowIdx };
}

/** out[i,:] += coef · Σ_{e ∈ row i} z[idx[e], :] (a gather; r = 1 and r = 8 unrolled into registers). */
function csrMul(
  ptr: Uint32Array,
  idx: Uint32Array,
  m: number,
  z: Float64Array,
  r: number,
  out: Float64Array,
  coef: number,
): void {
  if (r === 1) {
    for (let i = 0; i < m; i++) {
      let acc = 0;
      const end = ptr[i + 1];
      for (let e = ptr[i]; e < end; e++) acc += z[idx[e]];
      out[i] += coef * acc;
    }
    return;
  }
  if (r === 8) {
    for (let i = 0; i < m; i++) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      const end = ptr[i + 1];
      for (let e = ptr[i]; e < end; e++) {
        const b = idx[e] << 3;
        a0 += z[b];
        a1 += z[b + 1];
        a2 += z[b + 2];
        a3 += z[b + 3];
        a4 += z[b + 4];
        a5 += z[b + 5];
        a6 += z[b + 6];
        a7 += z[b + 7];
      }
      const o = i << 3;
      out[o] += coef * a0;
      out[o + 1] += coef * a1;
      out[o + 2] += coef * a2;
      out[o + 3] += coef * a3;
      out[o + 4] += coef * a4;
      out[o + 5] += coef * a5;
      out[o + 6] += coef * a6;
      out[o + 7] += coef * a7;
    }
    return;
  }
  // Wider blocks: eight columns at a time in registers, then the remainder.
  let c0 = 0;
  for (; c0 + 8 <= r; c0 += 8) {
    for (let i = 0; i < m; i++) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      const end = ptr[i + 1];
      for (let e = ptr[i]; e < end; e++) {
        const b = idx[e] * r + c0;
        a0 += z[b];
        a1 += z[b + 1];
        a2 += z[b + 2];
        a3 += z[b + 3];
        a4 += z[b + 4];
        a5 += z[b + 5];
        a6 += z[b + 6];
        a7 += z[b + 7];
      }
      const o = i * r + c0;
      out[o] += coef * a0;
      out[o + 1] += coef * a1;
      out[o + 2] += coef * a2;
      out[o + 3] += coef * a3;
      out[o + 4] += coef * a4;
      out[o + 5] += coef * a5;
      out[o + 6] += coef * a6;
      out[o + 7] += coef * a7;
    }
  }
  if (c0 === r) return;
  for (let i = 0; i < m; i++) {
    const end = ptr[i + 1];
    for (let k = c0; k < r; k++) {
      let acc = 0;
      for (let e = ptr[i]; e < end; e++) acc += z[idx[e] * r + k];
      out[i * r + k] += coef * acc;
    }
  }
}
