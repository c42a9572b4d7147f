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
 * O(nnz·R) (gathers of `@graphon-pai/linalg`'s `sparsePatternOperator`, WebAssembly SIMD kernels for sides
 * ≤ 65536), a dense summand O(units·R) per entry, the rest O((rows + cols)·R).
 */

import { gemm, type SparsePatternOperator, sparsePatternOperator } from '@graphon-pai/linalg';
import { borrowCopy, returnCopy } from './copy-pool';

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
  /**
   * Float64 copy of a Float32 `data`, made on the first matrix-vector product. The copies are borrowed from
   * `copy-pool.ts` and go back with {@link BlockOperator.release}.
   */
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
  /** CSR: row offsets and column positions (Uint16 when unitCols ≤ 65536: linalg's gathers keep those by reference). */
  rowPtr: Int32Array;
  colIdx: Uint16Array | Uint32Array;
  rowMap: Uint32Array | null;
  colMap: Uint32Array | null;
  /** Largest row / column degree (bits per counter of the packed indicator products). */
  maxRowDegree?: number;
  maxColDegree?: number;
}

export type Summand = DenseSummand | MaskSummand;

export type ProductMode = 'fast' | 'indicator' | 'float64';

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
  /** {@link BlockOperator.addProduct}: sparse weighted input and accumulator. */
  xd?: Float64Array;
  acc?: Float64Array;
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
  /** The common row / column piece length when all pieces are equally long (up to 1e-12), else 0. */
  private readonly rowUniform: number;
  private readonly colUniform: number;
  private packed = new Float64Array(0);

  constructor(rowWeights: Float64Array, colWeights: Float64Array, summands: Summand[]) {
    this.rowWeights = rowWeights;
    this.colWeights = colWeights;
    this.rows = rowWeights.length;
    this.cols = colWeights.length;
    this.summands = summands;
    this.rowUniform = uniformWeight(rowWeights);
    this.colUniform = uniformWeight(colWeights);
    this.denseSummands = summands.filter((t): t is DenseSummand => t.kind === 'dense');
    this.denseRowsShared = this.denseSummands.every((t) => t.rowMap !== null);
  }

  /** The dense summands, and whether all of them read rows through a row map (rows can share them). */
  private readonly denseSummands: DenseSummand[];
  private readonly denseRowsShared: boolean;
  /** The dense part of the last value row computed, for {@link valueRow}. */
  private readonly denseCache: {
    row: number;
    withAbs: boolean;
    value?: Float64Array;
    abs?: Float64Array;
  } = { row: -1, withAbs: false };

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

  /**
   * out (rows×r) = B · x, x is cols×r (row-major). Modes: `'fast'` lets block products (r > 1) of float32
   * dense summands run in float32; `'float64'` keeps every product in float64 (certificates);
   * `'indicator'` is `'fast'` where the caller promises x ∈ {0, 1}, which lets mask summands count the set
   * bits of several columns at once in packed integers (exact; see {@link countPacked}).
   */
  mul(x: Float64Array, r: number, out: Float64Array, mode: ProductMode = 'fast'): void {
    this.product(false, x, r, out, mode);
  }

  /** out (cols×r) = Bᵀ · y, y is rows×r (row-major); `mode` as for {@link mul}. */
  mulT(y: Float64Array, r: number, out: Float64Array, mode: ProductMode = 'fast'): void {
    this.product(true, y, r, out, mode);
  }

  /** Piece weights on the input and output side of B (of Bᵀ when `transposed`) and the r-column scratch. */
  private sides(transposed: boolean, r: number) {
    const inW = transposed ? this.rowWeights : this.colWeights;
    const outW = transposed ? this.colWeights : this.rowWeights;
    return { inW, outW, nIn: inW.length, nOut: outW.length, buf: this.buffers(r, transposed) };
  }

  private product(
    transposed: boolean,
    x: Float64Array,
    r: number,
    out: Float64Array,
    mode: ProductMode,
  ): void {
    const { inW, outW, nIn, nOut, buf } = this.sides(transposed, r);
    const xg = buf.xg;
    scaleRows(xg, x, inW, r, nIn);
    out.fill(0, 0, nOut * r);
    for (let t = 0; t < this.summands.length; t++) {
      const s = this.summands[t];
      const inMap = transposed ? s.rowMap : s.colMap;
      const outMap = transposed ? s.colMap : s.rowMap;
      let z = xg;
      if (inMap) {
        z = buf.zin[t];
        z.fill(0);
        scatterAdd(z, xg, inMap, r, nIn);
      }
      const direct = outMap === null;
      const w = direct ? out : buf.zout[t];
      if (!direct) w.fill(0);
      const coef = s.coef;
      const uniform = transposed ? this.rowUniform : this.colUniform;
      if (s.kind === 'dense') denseProduct(s, transposed, z, r, w, coef, mode !== 'float64');
      else {
        const pattern = maskPattern(s);
        const m = transposed ? s.unitCols : s.unitRows;
        // 0/1 input on the mask's own (uniform) grid: z = w·x, so the product is w · (counts of set bits).
        if (mode === 'indicator' && !inMap && uniform > 0 && r > 1) {
          if (transposed) s.maxColDegree ??= maxDegree(pattern.csc().ptr);
          else s.maxRowDegree ??= maxDegree(pattern.csr().ptr);
          const bits = bitsFor((transposed ? s.maxColDegree : s.maxRowDegree) as number);
          const fields = Math.floor(53 / bits);
          const groups = Math.ceil(r / fields);
          if (this.packed.length < nIn * groups) this.packed = new Float64Array(nIn * groups);
          packIndicators(x, nIn, r, bits, fields, groups, this.packed);
          countPacked(pattern, transposed, m, this.packed, groups, r, bits, fields, w, coef * uniform);
        } else {
          const sums = sumScratch(m * r);
          if (transposed) pattern.rmatmat(z, r, sums);
          else pattern.matmat(z, r, sums);
          for (let i = 0; i < m * r; i++) w[i] += coef * sums[i];
        }
      }
      if (!direct && outMap) gatherAdd(out, w, outMap, r, nOut);
    }
    addRankOne(this.rankOne, transposed, xg, r, out, nIn);
    scaleRows(out, out, outW, r, nOut);
  }

  /**
   * Whether {@link addProduct} is cheap: every mask summand sits on the pieces themselves (no maps) and
   * every dense summand is a small step kernel (≤ 4096 units), so a change in a few input rows costs
   * O(their stored entries + rows + cols) instead of a full product.
   */
  get incremental(): boolean {
    return this.summands.every((t) =>
      t.kind === 'mask' ? !t.rowMap && !t.colMap : t.unitRows * t.unitCols <= 4096,
    );
  }

  /**
   * out += B · dx (or Bᵀ · dx when `transposed`), where dx (nIn × r, row-major) is zero outside its rows
   * `changed[0..count)`. Masks scatter the changed rows' stored entries (CSC for B, CSR for Bᵀ); small dense
   * summands and rank-one terms take their (cheap) full products. Only when {@link incremental}.
   */
  addProduct(
    transposed: boolean,
    dx: Float64Array,
    changed: Uint32Array,
    count: number,
    r: number,
    out: Float64Array,
  ): void {
    const { inW, outW, nIn, nOut, buf } = this.sides(transposed, r);
    // A private weighted input that is zero outside `changed` (cleared again below).
    if (!buf.xd || buf.xd.length !== nIn * r) buf.xd = new Float64Array(nIn * r);
    if (!buf.acc || buf.acc.length !== nOut * r) buf.acc = new Float64Array(nOut * r);
    const xd = buf.xd;
    const acc = buf.acc;
    acc.fill(0);
    scaleRows(xd, dx, inW, r, count, changed);
    for (let t = 0; t < this.summands.length; t++) {
      const s = this.summands[t];
      const inMap = transposed ? s.rowMap : s.colMap;
      const outMap = transposed ? s.colMap : s.rowMap;
      const w = outMap ? buf.zout[t] : acc;
      if (outMap) w.fill(0);
      if (s.kind === 'mask') {
        const pattern = maskPattern(s);
        const { ptr, idx } = transposed ? pattern.csr() : pattern.csc();
        scatterRows(ptr, idx, changed, count, xd, r, w, s.coef);
      } else {
        let z = xd;
        if (inMap) {
          z = buf.zin[t];
          z.fill(0);
          scatterAdd(z, xd, inMap, r, count, changed);
        }
        denseProduct(s, transposed, z, r, w, s.coef, true);
      }
      if (outMap) gatherAdd(acc, w, outMap, r, nOut);
    }
    addRankOne(this.rankOne, transposed, xd, r, acc, count, changed);
    for (let p = 0; p < nOut; p++) {
      const w = outW[p];
      const base = p * r;
      for (let k = 0; k < r; k++) out[base + k] += w * acc[base + k];
    }
    for (let c = 0; c < count; c++) xd.fill(0, changed[c] * r, changed[c] * r + r);
  }

  /**
   * Row p of the value matrix D (not the mass), written into out (length cols). With `absOut`, also the row
   * of Σ_terms |term| (the magnitudes the rounding of each sum is relative to; certificates). Each entry is
   * the float64 sum of the terms in this order: the row-constant dense summands (one unit column, e.g. a
   * constant graphon; the first of them is a fill), the other dense summands, then the masks, each group in
   * summand order. The dense part depends only on the unit rows its summands read, so consecutive calls for
   * rows that read the same ones (a step kernel's rows on a finer grid) reuse it.
   */
  valueRow(p: number, out: Float64Array, absOut?: Float64Array): void {
    const cols = this.cols;
    const dense = this.denseSummands;
    if (dense.length === 0) {
      out.fill(0);
      absOut?.fill(0);
    } else if (!this.denseRowsShared) this.denseRow(p, out, absOut);
    else {
      const cache = this.denseCache;
      const last = cache.row;
      if (last < 0 || (absOut && !cache.withAbs) || !sameDenseKey(dense, last, p)) {
        cache.value ??= new Float64Array(cols);
        if (absOut) cache.abs ??= new Float64Array(cols);
        this.denseRow(p, cache.value, absOut ? cache.abs : undefined);
        cache.row = p;
        cache.withAbs = absOut !== undefined;
      }
      out.set(cache.value as Float64Array);
      if (absOut) absOut.set(cache.abs as Float64Array);
    }
    for (const s of this.summands) {
      if (s.kind !== 'mask') continue;
      const u = s.rowMap ? s.rowMap[p] : p;
      const start = s.rowPtr[u];
      const end = s.rowPtr[u + 1];
      const coef = s.coef;
      // A mask row adds coef only at its set unit columns (adding coef·0 elsewhere changes nothing); through a
      // column map, unit column j covers the pieces [first[j], first[j + 1]) (maps are monotone).
      if (s.colMap) addMaskRuns(out, absOut, s.colIdx, start, end, unitStartsOf(s.colMap, s.unitCols), coef);
      else {
        addAt(out, s.colIdx, start, end, coef);
        if (absOut) addAt(absOut, s.colIdx, start, end, Math.abs(coef));
      }
    }
    for (const term of this.rankOne) {
      const c = term.coef * term.s[p];
      if (c !== 0) for (let q = 0; q < this.cols; q++) out[q] += c * term.t[q];
      if (absOut && c !== 0) for (let q = 0; q < this.cols; q++) absOut[q] += Math.abs(c * term.t[q]);
    }
  }

  /** The dense summands' part of row p (see {@link valueRow}): row-constant ones first, then the others. */
  private denseRow(p: number, out: Float64Array, absOut: Float64Array | undefined): void {
    const cols = this.cols;
    const dense = this.denseSummands;
    let filled = false;
    for (const s of dense) {
      if (s.unitCols !== 1) continue;
      const t = s.coef * s.data[s.rowMap ? s.rowMap[p] : p];
      // 0 + t, as the sum starts (a −0 term leaves +0).
      if (!filled) {
        out.fill(0 + t);
        absOut?.fill(Math.abs(t));
      } else {
        addConstant(out, t, cols);
        if (absOut) addConstant(absOut, Math.abs(t), cols);
      }
      filled = true;
    }
    if (!filled) {
      out.fill(0);
      absOut?.fill(0);
    }
    for (const s of dense) {
      if (s.unitCols === 1) continue;
      const base = (s.rowMap ? s.rowMap[p] : p) * s.unitCols;
      // Through a column map, unit column j covers the pieces [first[j], first[j + 1]).
      if (s.colMap) addUnitRuns(out, absOut, s.data, base, unitStartsOf(s.colMap, s.unitCols), s.coef);
      else if (absOut) addScaledRowWithMagnitudes(out, absOut, s.data, base, s.coef, cols);
      // The common case (one matrix on its own grid): a plain pass, no map, no magnitudes.
      else addScaledRow(out, s.data, base, s.coef, cols);
    }
  }

  /**
   * `max(Σ B⁺, Σ B⁻)`, a deterministic upper bound on every |Σ_{S×T} B|, or undefined when it would cost
   * more than `budget` elementary steps. Rows whose dense summands read the same unit rows share one dense
   * value row (consecutive pieces, as the maps are monotone); mask summands then only correct the entries
   * they set. So a mask minus a step graphon costs O(distinct dense rows · cols + nnz), not O(rows · cols).
   */
  positiveNegativeMass(budget: number): number | undefined {
    const dense = this.denseSummands;
    const masks = this.summands.filter((t): t is MaskSummand => t.kind === 'mask');
    const cols = this.cols;
    // Work estimate: one dense value row per run of equal dense keys, plus the stored mask entries.
    let runs = 0;
    for (let p = 0; p < this.rows; p++) if (p === 0 || !sameDenseKey(dense, p - 1, p)) runs++;
    if (this.rankOne.length > 0) runs = this.rows;
    let stored = 0;
    for (const t of masks) stored += t.colIdx.length * (t.colMap ? Math.ceil(cols / t.unitCols) : 1);
    if (runs * cols * Math.max(1, dense.length + this.rankOne.length) + stored > budget) return undefined;
    // Pieces of each mask's unit columns: [first[j], first[j + 1]) (colMap is monotone).
    const firsts = masks.map((t) => (t.colMap ? unitStartsOf(t.colMap, t.unitCols) : null));
    const d = new Float64Array(cols);
    const delta = new Float64Array(cols);
    const touched = new Uint8Array(cols);
    const list = new Uint32Array(cols);
    const g = this.colWeights;
    let basePos = 0;
    let baseNeg = 0;
    let pos = 0;
    let neg = 0;
    for (let p = 0; p < this.rows; p++) {
      if (p === 0 || this.rankOne.length > 0 || !sameDenseKey(dense, p - 1, p)) {
        d.fill(0);
        for (const t of dense) {
          const base = (t.rowMap ? t.rowMap[p] : p) * t.unitCols;
          const cm = t.colMap;
          const coef = t.coef;
          if (cm) for (let q = 0; q < cols; q++) d[q] += coef * t.data[base + cm[q]];
          else for (let q = 0; q < cols; q++) d[q] += coef * t.data[base + q];
        }
        for (const term of this.rankOne) {
          const c = term.coef * term.s[p];
          if (c !== 0) for (let q = 0; q < cols; q++) d[q] += c * term.t[q];
        }
        basePos = 0;
        baseNeg = 0;
        for (let q = 0; q < cols; q++) {
          const v = d[q] * g[q];
          if (v > 0) basePos += v;
          else baseNeg -= v;
        }
      }
      const h = this.rowWeights[p];
      if (masks.length === 1 && !masks[0].colMap) {
        // One mask on the column pieces themselves: each stored entry is one piece, no bookkeeping.
        const t = masks[0];
        const u = t.rowMap ? t.rowMap[p] : p;
        let rowPos = basePos;
        let rowNeg = baseNeg;
        for (let e = t.rowPtr[u]; e < t.rowPtr[u + 1]; e++) {
          const q = t.colIdx[e];
          const before = d[q] * g[q];
          const after = (d[q] + t.coef) * g[q];
          if (before > 0) rowPos -= before;
          else rowNeg += before;
          if (after > 0) rowPos += after;
          else rowNeg -= after;
        }
        pos += h * Math.max(rowPos, 0);
        neg += h * Math.max(rowNeg, 0);
        continue;
      }
      // Mask corrections on the pieces this row's mask entries cover.
      let count = 0;
      for (let k = 0; k < masks.length; k++) {
        const t = masks[k];
        const u = t.rowMap ? t.rowMap[p] : p;
        const first = firsts[k];
        for (let e = t.rowPtr[u]; e < t.rowPtr[u + 1]; e++) {
          const j = t.colIdx[e];
          const q0 = first ? first[j] : j;
          const q1 = first ? first[j + 1] : j + 1;
          for (let q = q0; q < q1; q++) {
            if (!touched[q]) {
              touched[q] = 1;
              list[count++] = q;
            }
            delta[q] += t.coef;
          }
        }
      }
      let rowPos = basePos;
      let rowNeg = baseNeg;
      for (let i = 0; i < count; i++) {
        const q = list[i];
        const before = d[q] * g[q];
        const after = (d[q] + delta[q]) * g[q];
        if (before > 0) rowPos -= before;
        else rowNeg += before;
        if (after > 0) rowPos += after;
        else rowNeg -= after;
        delta[q] = 0;
        touched[q] = 0;
      }
      pos += h * Math.max(rowPos, 0);
      neg += h * Math.max(rowNeg, 0);
    }
    return Math.max(pos, neg);
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
  /**
   * Gives the dense summands' copies back to the pool for the next operator (`copy-pool.ts`); the operator
   * stays usable and makes them again if it needs them. Callers that own the operator call it when done.
   */
  release(): void {
    for (const s of this.summands) {
      if (s.kind !== 'dense') continue;
      for (const copy of [s.data64, s.data32T, s.data64T]) if (copy) returnCopy(copy);
      s.data64 = undefined;
      s.data32T = undefined;
      s.data64T = undefined;
    }
  }

  cutValue(s: Float64Array, t: Float64Array): number {
    const y = new Float64Array(this.rows);
    this.mul(t, 1, y);
    let v = 0;
    for (let p = 0; p < this.rows; p++) v += s[p] * y[p];
    return v;
  }
}

/** out[q] += t for q < cols (a function of its own, so that it is optimised once). */
function addConstant(out: Float64Array, t: number, cols: number): void {
  for (let q = 0; q < cols; q++) out[q] += t;
}

/** out[idx[i]] += t for i in [start, end): a mask row's entries. */
function addAt(
  out: Float64Array,
  idx: Uint16Array | Uint32Array,
  start: number,
  end: number,
  t: number,
): void {
  for (let i = start; i < end; i++) out[idx[i]] += t;
}

/** out[q] += coef · data[base + q] for q < cols (a function of its own, so that it is optimised once). */
function addScaledRow(out: Float64Array, data: FloatArray, base: number, coef: number, cols: number): void {
  for (let q = 0; q < cols; q++) out[q] += coef * data[base + q];
}

/** out[q] += coef·row[base + q] and absOut[q] += |coef·row[base + q]|, q < cols (one fused pass). */
function addScaledRowWithMagnitudes(
  out: Float64Array,
  absOut: Float64Array,
  row: FloatArray,
  base: number,
  coef: number,
  cols: number,
): void {
  for (let q = 0; q < cols; q++) {
    const t = coef * row[base + q];
    out[q] += t;
    absOut[q] += Math.abs(t);
  }
}

/**
 * A unit row read through a column map: t_j = coef·row[base + j] added to the pieces [first[j], first[j + 1])
 * of unit column j (and |t_j| to `absOut`): one product per unit, no per-piece map reads.
 */
function addUnitRuns(
  out: Float64Array,
  absOut: Float64Array | undefined,
  row: FloatArray,
  base: number,
  first: Uint32Array,
  coef: number,
): void {
  const units = first.length - 1;
  if (!absOut) {
    for (let j = 0; j < units; j++) {
      const t = coef * row[base + j];
      for (let q = first[j], end = first[j + 1]; q < end; q++) out[q] += t;
    }
    return;
  }
  for (let j = 0; j < units; j++) {
    const t = coef * row[base + j];
    const a = Math.abs(t);
    for (let q = first[j], end = first[j + 1]; q < end; q++) {
      out[q] += t;
      absOut[q] += a;
    }
  }
}

/** A mask row read through a column map: coef (and |coef|) added to the pieces of its set unit columns. */
function addMaskRuns(
  out: Float64Array,
  absOut: Float64Array | undefined,
  idx: Uint16Array | Uint32Array,
  start: number,
  end: number,
  first: Uint32Array,
  coef: number,
): void {
  const a = Math.abs(coef);
  for (let i = start; i < end; i++) {
    const j = idx[i];
    for (let q = first[j], stop = first[j + 1]; q < stop; q++) {
      out[q] += coef;
      if (absOut) absOut[q] += a;
    }
  }
}

/**
 * w += coef · op(T) · z through the linalg GEMM provider. Block products (r > 1) of a Float32 matrix run in
 * float32 when `allowFloat32` (the SDP iteration and the search tolerate it); matrix-vector products (cut
 * values, the polish) and the certificate's block products always run in float64 on a float64 copy.
 */
function denseProduct(
  s: DenseSummand,
  transposed: boolean,
  z: Float64Array,
  r: number,
  w: Float64Array,
  coef: number,
  allowFloat32: boolean,
): void {
  const outRows = transposed ? s.unitCols : s.unitRows;
  const inner = transposed ? s.unitRows : s.unitCols;
  const zIn = z.length === inner * r ? z : z.subarray(0, inner * r);
  const wOut = w.length === outRows * r ? w : w.subarray(0, outRows * r);
  const copyT = transposed && s.unitRows * s.unitCols <= TRANSPOSE_LIMIT && s.unitRows * s.unitCols >= 4096;
  if (allowFloat32 && r > 1 && s.data instanceof Float32Array) {
    const z32 = f32Scratch(0, inner * r);
    z32.set(zIn);
    const w32 = f32Scratch(1, outRows * r);
    if (copyT) {
      if (!s.data32T)
        s.data32T = transposeCopy(s.data, s.unitRows, s.unitCols, borrowCopy(s.data.length, true));
      gemm(false, false, outRows, r, inner, coef, s.data32T, z32, 0, w32);
    } else gemm(transposed, false, outRows, r, inner, coef, s.data, z32, 0, w32);
    for (let i = 0; i < outRows * r; i++) wOut[i] += w32[i];
    return;
  }
  let d64: Float64Array;
  if (s.data instanceof Float64Array) d64 = s.data;
  else {
    if (!s.data64) {
      s.data64 = borrowCopy(s.data.length, false);
      s.data64.set(s.data);
    }
    d64 = s.data64;
  }
  if (copyT) {
    if (!s.data64T) s.data64T = transposeCopy(d64, s.unitRows, s.unitCols, borrowCopy(d64.length, false));
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

/** dst[q, :] = w[q] · src[q, :] (rows of width r) for q = rows[i], i < count, or q = i < count without `rows`. */
function scaleRows(
  dst: Float64Array,
  src: Float64Array,
  w: Float64Array,
  r: number,
  count: number,
  rows?: Uint32Array,
): void {
  for (let i = 0; i < count; i++) {
    const q = rows ? rows[i] : i;
    const wq = w[q];
    const base = q * r;
    for (let k = 0; k < r; k++) dst[base + k] = wq * src[base + k];
  }
}

/**
 * z[map[q], :] += x[q, :] (rows of width r) for q = rows[i], i < count, or q = i < count without `rows`: a
 * piece-level block onto a summand's unit grid.
 */
function scatterAdd(
  z: Float64Array,
  x: Float64Array,
  map: Uint32Array,
  r: number,
  count: number,
  rows?: Uint32Array,
): void {
  for (let i = 0; i < count; i++) {
    const q = rows ? rows[i] : i;
    const src = q * r;
    const dst = map[q] * r;
    for (let k = 0; k < r; k++) z[dst + k] += x[src + k];
  }
}

/** out[p, :] += w[map[p], :] for p < n (rows of width r): a unit-grid block back onto the pieces. */
function gatherAdd(out: Float64Array, w: Float64Array, map: Uint32Array, r: number, n: number): void {
  for (let p = 0; p < n; p++) {
    const src = map[p] * r;
    const dst = p * r;
    for (let k = 0; k < r; k++) out[dst + k] += w[src + k];
  }
}

/**
 * out += Σ_terms coef · v_out (v_inᵀ x) for the rank-one terms (v_in = t, v_out = s; swapped when
 * `transposed`), the inner products over the input rows q = rows[i], i < count (q = i without `rows`).
 */
function addRankOne(
  terms: readonly RankOneTerm[],
  transposed: boolean,
  x: Float64Array,
  r: number,
  out: Float64Array,
  count: number,
  rows?: Uint32Array,
): void {
  for (const term of terms) {
    const vin = transposed ? term.s : term.t;
    const vout = transposed ? term.t : term.s;
    const nOut = vout.length;
    for (let k = 0; k < r; k++) {
      let c = 0;
      for (let i = 0; i < count; i++) {
        const q = rows ? rows[i] : i;
        c += vin[q] * x[q * r + k];
      }
      c *= term.coef;
      if (c !== 0) for (let p = 0; p < nOut; p++) out[p * r + k] += vout[p] * c;
    }
  }
}

/** Whether pieces p and p' read the same unit row in every dense summand. */
function sameDenseKey(dense: DenseSummand[], p: number, p2: number): boolean {
  for (const t of dense) {
    if (!t.rowMap) return false;
    if (t.rowMap[p] !== t.rowMap[p2]) return false;
  }
  return true;
}

const starts = new WeakMap<Uint32Array, Uint32Array>();

/** {@link unitStarts}, computed once per map. */
function unitStartsOf(map: Uint32Array, units: number): Uint32Array {
  let first = starts.get(map);
  if (!first || first.length !== units + 1) {
    first = unitStarts(map, units);
    starts.set(map, first);
  }
  return first;
}

/** For a monotone piece → unit map, the first piece of every unit (length units + 1). */
function unitStarts(map: Uint32Array, units: number): Uint32Array {
  const first = new Uint32Array(units + 1).fill(map.length);
  for (let q = map.length - 1; q >= 0; q--) first[map[q]] = q;
  for (let j = units - 1; j >= 0; j--) if (first[j] > first[j + 1]) first[j] = first[j + 1];
  return first;
}

/** The common value of `w` when all entries agree to 1e-12 (relative), else 0. */
function uniformWeight(w: Float64Array): number {
  if (w.length === 0) return 0;
  let lo = w[0];
  let hi = w[0];
  for (let i = 1; i < w.length; i++) {
    if (w[i] < lo) lo = w[i];
    if (w[i] > hi) hi = w[i];
  }
  return hi - lo <= 1e-12 * hi ? (lo + hi) / 2 : 0;
}

const patterns = new WeakMap<Uint16Array | Uint32Array, SparsePatternOperator>();

/**
 * The gathers of a mask summand: one `sparsePatternOperator` per CSR (keyed by its column positions, so
 * operators built from the same unit term share it), holding the CSC the transposed products and the
 * scatters of {@link BlockOperator.addProduct} use.
 */
function maskPattern(s: MaskSummand): SparsePatternOperator {
  let pattern = patterns.get(s.colIdx);
  if (!pattern || pattern.csr().ptr !== s.rowPtr) {
    pattern = sparsePatternOperator(s.unitRows, s.unitCols, s.rowPtr, s.colIdx);
    patterns.set(s.colIdx, pattern);
  }
  return pattern;
}

let sums = new Float64Array(0);

/** A reused buffer of at least `length` values for gather results. */
function sumScratch(length: number): Float64Array {
  if (sums.length < length) sums = new Float64Array(length);
  return sums;
}

function maxDegree(ptr: Int32Array): number {
  let d = 0;
  for (let i = 0; i + 1 < ptr.length; i++) d = Math.max(d, ptr[i + 1] - ptr[i]);
  return d;
}

/** Bits of a counter that holds 0..maxCount. */
function bitsFor(maxCount: number): number {
  return Math.max(1, Math.ceil(Math.log2(maxCount + 1)));
}

/**
 * Packs the 0/1 rows of x (n × r) into `groups` doubles per row, `fields` counters of `bits` bits each:
 * column k lands in double ⌊k / fields⌋ at bit offset bits · (k mod fields). Sums of up to 2^bits − 1 such
 * numbers stay exact integers below 2^53, so one double addition counts `fields` columns at once.
 */
function packIndicators(
  x: Float64Array,
  n: number,
  r: number,
  bits: number,
  fields: number,
  groups: number,
  out: Float64Array,
): void {
  const scale = 2 ** bits;
  for (let j = 0; j < n; j++) {
    const src = j * r;
    const dst = j * groups;
    for (let g = 0; g < groups; g++) {
      const k0 = g * fields;
      const k1 = Math.min(r, k0 + fields);
      let v = 0;
      for (let k = k1 - 1; k >= k0; k--) v = v * scale + (x[src + k] !== 0 ? 1 : 0);
      out[dst + g] = v;
    }
  }
}

/**
 * out[i, k] += coef · Σ_{e ∈ row i} x[idx[e], k] (or over column i when `transposed`) for 0/1 x given packed
 * by {@link packIndicators}: one gather of `groups` doubles per stored entry instead of r (sums of exact
 * integers below 2^53 are exact in any order, so the SIMD kernels' order does not matter), then the
 * counters are unpacked exactly.
 */
function countPacked(
  pattern: SparsePatternOperator,
  transposed: boolean,
  m: number,
  packed: Float64Array,
  groups: number,
  r: number,
  bits: number,
  fields: number,
  out: Float64Array,
  coef: number,
): void {
  const counts = sumScratch(m * groups);
  if (transposed) pattern.rmatmat(packed, groups, counts);
  else pattern.matmat(packed, groups, counts);
  const scale = 2 ** bits;
  const inv = 1 / scale;
  for (let i = 0; i < m; i++) {
    const o = i * r;
    for (let g = 0; g < groups; g++) {
      let v = counts[i * groups + g];
      const k1 = Math.min(r, (g + 1) * fields);
      for (let k = g * fields; k < k1; k++) {
        // v is an exact integer < 2^53: the low field is v mod 2^bits; dropping it is an exact shift.
        const rest = Math.floor(v * inv);
        out[o + k] += coef * (v - rest * scale);
        v = rest;
      }
    }
  }
}

/** w[idx[e], :] += coef · x[q, :] for the stored entries e of every changed row q (a scatter). */
function scatterRows(
  ptr: Int32Array,
  idx: Uint16Array | Uint32Array,
  changed: Uint32Array,
  count: number,
  x: Float64Array,
  r: number,
  w: Float64Array,
  coef: number,
): void {
  if (r === 1) {
    for (let c = 0; c < count; c++) {
      const q = changed[c];
      const v = coef * x[q];
      const end = ptr[q + 1];
      for (let e = ptr[q]; e < end; e++) w[idx[e]] += v;
    }
    return;
  }
  // Only the columns k that changed in row q are scattered (alternating candidates flip different rows).
  const v = new Float64Array(r);
  const ks = new Int32Array(r);
  for (let c = 0; c < count; c++) {
    const q = changed[c];
    let nz = 0;
    for (let k = 0; k < r; k++) {
      const val = coef * x[q * r + k];
      if (val !== 0) {
        v[nz] = val;
        ks[nz++] = k;
      }
    }
    const end = ptr[q + 1];
    if (nz === 1) {
      const val = v[0];
      const k0 = ks[0];
      for (let e = ptr[q]; e < end; e++) w[idx[e] * r + k0] += val;
    } else {
      for (let e = ptr[q]; e < end; e++) {
        const o = idx[e] * r;
        for (let j = 0; j < nz; j++) w[o + ks[j]] += v[j];
      }
    }
  }
}
