/**
 * Operations on step kernels and step graphons: degree functions, common refinement, differences and
 * resampling onto a grid.
 *
 * A step kernel `U` has row cuts `0 = r_0 < … < r_K = 1`, column cuts `0 = c_0 < … < c_L = 1` and values
 * `U_ab` on `[r_a, r_{a+1}) × [c_b, c_{b+1})` (`StepKernel` in `@graphon-pai/core`). Bipartite: `u` (rows)
 * indexes output neurons, `v` (columns) inputs; nothing assumes symmetry.
 *
 * - Degree functions: `d_row(u) = ∫ U(u, v) dv` is constant on each row block,
 *   `d_row|_a = Σ_b (c_{b+1} − c_b) U_ab`; symmetrically `d_col|_b = Σ_a (r_{a+1} − r_a) U_ab`.
 * - Common refinement of two kernels: the union of their row cuts and of their column cuts (cut points closer
 *   than `CUT_TOLERANCE` = 1e-12 are merged, so `1/3` computed two ways never creates a sliver block); both
 *   kernels re-expressed on it represent exactly the same functions (up to those merged slivers).
 * - Difference `a − b` on the common refinement: the kernel the cut-distance package needs.
 * - Resampling onto a `rows × cols` grid: midpoint values `U((i+½)/rows, (j+½)/cols)` or exact cell averages.
 *
 * Complexity: degree functions O(K·L); refinement O((K+K')·(L+L')); resampling O(rows·cols) for midpoints and
 * O((rows+K)·(cols+L)) for cell averages of a step kernel.
 *
 * @example
 * const w = StepGraphon.uniformBlocks(2, 2, [0.9, 0.5, 0.5, 0.1]);
 * rowDegreeFunction(w).values;         // Float64Array [0.7, 0.3]
 * const d = stepDifference(w, StepGraphon.constant(0.5)); // a StepKernel on 2 × 2 blocks
 *
 * Reference: L. Lovász, *Large Networks and Graph Limits* (AMS, 2012), §7.1 (step functions) and §8.2.
 */
import {
  checkPositiveInteger,
  findBlock,
  type Graphon,
  InvalidArgumentError,
  StepGraphon,
  StepKernel,
} from '@graphon-pai/core';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { max, min } = Math;

/** Cut points closer than this are the same cut (merging avoids sliver blocks from rounding). */
export const CUT_TOLERANCE = 1e-12;

/** A step function on [0, 1]: `f(x) = values[i]` on `[cuts[i], cuts[i+1])`. */
export interface StepFunction {
  readonly cuts: Float64Array;
  readonly values: Float64Array;
}

/** Evaluates a step function at x ∈ [0, 1] (x = 1 falls in the last piece). */
export function evaluateStepFunction(f: StepFunction, x: number): number {
  return f.values[findBlock(f.cuts, x)];
}

/** `d_row(u) = ∫ U(u, v) dv`, one value per row block. */
export function rowDegreeFunction(kernel: StepKernel): StepFunction {
  const k = kernel.rowBlocks;
  const l = kernel.colBlocks;
  const values = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < l; b++) s += (kernel.colCuts[b + 1] - kernel.colCuts[b]) * kernel.values[a * l + b];
    values[a] = s;
  }
  return { cuts: kernel.rowCuts.slice(), values };
}

/** `d_col(v) = ∫ U(u, v) du`, one value per column block. */
export function colDegreeFunction(kernel: StepKernel): StepFunction {
  const k = kernel.rowBlocks;
  const l = kernel.colBlocks;
  const values = new Float64Array(l);
  for (let a = 0; a < k; a++) {
    const h = kernel.rowCuts[a + 1] - kernel.rowCuts[a];
    for (let b = 0; b < l; b++) values[b] += h * kernel.values[a * l + b];
  }
  return { cuts: kernel.colCuts.slice(), values };
}

/** Sorted union of two cut vectors, merging points closer than {@link CUT_TOLERANCE}. */
export function mergeCuts(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || x - out[out.length - 1] > CUT_TOLERANCE) out.push(x);
  }
  out[0] = 0;
  out[out.length - 1] = 1;
  // A point within tolerance of 1 was merged into the previous one: keep the last cut exactly 1.
  return Float64Array.from(out);
}

/**
 * Re-expresses `kernel` on finer cuts (each block of the new partition lies inside one old block, located
 * at its midpoint). The result represents the same function.
 */
export function refineKernel(kernel: StepKernel, rowCuts: Float64Array, colCuts: Float64Array): StepKernel {
  const k = rowCuts.length - 1;
  const l = colCuts.length - 1;
  const rowMap = blockMap(kernel.rowCuts, rowCuts);
  const colMap = blockMap(kernel.colCuts, colCuts);
  const values = new Float64Array(k * l);
  const ol = kernel.colBlocks;
  for (let a = 0; a < k; a++) {
    const base = rowMap[a] * ol;
    for (let b = 0; b < l; b++) values[a * l + b] = kernel.values[base + colMap[b]];
  }
  return kernel instanceof StepGraphon
    ? new StepGraphon(rowCuts, colCuts, values)
    : new StepKernel(rowCuts, colCuts, values);
}

/** The common refinement of two step kernels: shared cuts and both kernels expressed on them. */
export interface CommonRefinement {
  readonly rowCuts: Float64Array;
  readonly colCuts: Float64Array;
  readonly a: StepKernel;
  readonly b: StepKernel;
}

/** Common refinement of the partitions of `a` and `b` (union of row cuts, union of column cuts). */
export function commonRefinement(a: StepKernel, b: StepKernel): CommonRefinement {
  const rowCuts = mergeCuts(a.rowCuts, b.rowCuts);
  const colCuts = mergeCuts(a.colCuts, b.colCuts);
  return { rowCuts, colCuts, a: refineKernel(a, rowCuts, colCuts), b: refineKernel(b, rowCuts, colCuts) };
}

/** `a − b` as a step kernel on the common refinement of their partitions. */
export function stepDifference(a: StepKernel, b: StepKernel): StepKernel {
  const r = commonRefinement(a, b);
  const values = new Float64Array(r.a.values.length);
  for (let i = 0; i < values.length; i++) values[i] = r.a.values[i] - r.b.values[i];
  return new StepKernel(r.rowCuts, r.colCuts, values);
}

/** Options of {@link resampleGrid}. */
export interface ResampleOptions {
  /**
   * `'midpoint'` (default): `W((i+½)/rows, (j+½)/cols)`; `'average'`: the exact mean of `W` over each cell
   * (step kernels only).
   */
  method?: 'midpoint' | 'average';
}

/**
 * Values of a graphon (or step kernel) on a `rows × cols` grid, row-major float64.
 * For a step kernel the midpoint method locates blocks once per row and column (no per-entry search).
 */
export function resampleGrid(
  graphon: Graphon | StepKernel,
  rows: number,
  cols: number,
  options: ResampleOptions = {},
): Float64Array {
  checkSide('rows', rows);
  checkSide('cols', cols);
  const method = options.method ?? 'midpoint';
  const out = new Float64Array(rows * cols);
  if (graphon instanceof StepKernel) {
    if (method === 'average') return cellAverages(graphon, rows, cols);
    const rb = new Uint32Array(rows);
    const cb = new Uint32Array(cols);
    for (let i = 0; i < rows; i++) rb[i] = findBlock(graphon.rowCuts, (i + 0.5) / rows);
    for (let j = 0; j < cols; j++) cb[j] = findBlock(graphon.colCuts, (j + 0.5) / cols);
    const l = graphon.colBlocks;
    for (let i = 0; i < rows; i++) {
      const base = rb[i] * l;
      for (let j = 0; j < cols; j++) out[i * cols + j] = graphon.values[base + cb[j]];
    }
    return out;
  }
  if (method === 'average') {
    throw new InvalidArgumentError('options.method', method, "'midpoint' for a non-step graphon", {
      fix: "use method 'midpoint', or convert the graphon with stepGraphonFromFunction first",
    });
  }
  for (let i = 0; i < rows; i++) {
    const u = (i + 0.5) / rows;
    for (let j = 0; j < cols; j++) out[i * cols + j] = graphon.value(u, (j + 0.5) / cols);
  }
  return out;
}

/** Exact cell averages of a step kernel on a regular grid: overlap-weighted sums (separable). */
function cellAverages(kernel: StepKernel, rows: number, cols: number): Float64Array {
  const rowW = overlapWeights(kernel.rowCuts, rows);
  const colW = overlapWeights(kernel.colCuts, cols);
  const k = kernel.rowBlocks;
  const l = kernel.colBlocks;
  // tmp = values · colWᵀ: K × cols
  const tmp = new Float64Array(k * cols);
  for (const { cell, block, weight } of colW) {
    for (let a = 0; a < k; a++) tmp[a * cols + cell] += weight * kernel.values[a * l + block];
  }
  const out = new Float64Array(rows * cols);
  for (const { cell, block, weight } of rowW) {
    const o = cell * cols;
    const t = block * cols;
    for (let j = 0; j < cols; j++) out[o + j] += weight * tmp[t + j];
  }
  return out;
}

/** (cell, block, |cell ∩ block| / |cell|) for every overlapping pair, with cells [i/n, (i+1)/n). */
function overlapWeights(cuts: Float64Array, n: number): { cell: number; block: number; weight: number }[] {
  const out: { cell: number; block: number; weight: number }[] = [];
  let block = 0;
  for (let i = 0; i < n; i++) {
    const lo = i / n;
    const hi = (i + 1) / n;
    while (block < cuts.length - 2 && cuts[block + 1] <= lo) block++;
    for (let b = block; b < cuts.length - 1 && cuts[b] < hi; b++) {
      const w = (min(hi, cuts[b + 1]) - max(lo, cuts[b])) * n;
      if (w > 0) out.push({ cell: i, block: b, weight: w });
    }
  }
  return out;
}

/** Step graphon with `rowBlocks × colBlocks` equal blocks holding the midpoint values of `graphon`. */
export function stepGraphonFromFunction(graphon: Graphon, rowBlocks: number, colBlocks: number): StepGraphon {
  return StepGraphon.uniformBlocks(rowBlocks, colBlocks, resampleGrid(graphon, rowBlocks, colBlocks));
}

/** For each block of `fine`, the index of the block of `coarse` containing its midpoint. */
function blockMap(coarse: Float64Array, fine: Float64Array): Uint32Array {
  const out = new Uint32Array(fine.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = findBlock(coarse, 0.5 * (fine[i] + fine[i + 1]));
  return out;
}

function checkSide(name: string, v: number): void {
  checkPositiveInteger(name, v);
}
