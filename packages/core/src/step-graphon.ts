/**
 * Step kernels and step graphons on [0,1]², and the {@link Graphon} interface.
 *
 * A step kernel has row cut points `0 = r_0 < … < r_K = 1`, column cut points `0 = c_0 < … < c_L = 1` and a
 * `K × L` value matrix (float64, row-major): `U(u, v) = values[a·L + b]` for `u ∈ [r_a, r_{a+1})`,
 * `v ∈ [c_b, c_{b+1})` (the last interval is closed at 1). A step **graphon** additionally has values in
 * [0, 1]. Bipartite: `u` indexes output neurons (rows), `v` inputs (cols); no symmetry is assumed.
 *
 * The step graphon of a `rows × cols` mask has cuts `i/rows` and `j/cols`; estimators return coarser ones.
 * Operations on step graphons (degree functions, refinement, resampling, estimators) live in
 * `@graphon-pai/graphon`; this type is the common currency of every package.
 */
import { InvalidArgumentError } from './errors';

/** A bipartite graphon W : [0,1]² → [0,1] (u = output-neuron position, v = input position). */
export interface Graphon {
  /** W(u, v) for u, v in [0, 1]. */
  value(u: number, v: number): number;
  /** A human-readable closed form when known, e.g. `"0.1"` or `"exp(-4*(u-v)^2)"`. */
  readonly closedForm?: string;
}

export class StepKernel {
  readonly rowCuts: Float64Array;
  readonly colCuts: Float64Array;
  readonly values: Float64Array;

  constructor(rowCuts: ArrayLike<number>, colCuts: ArrayLike<number>, values: ArrayLike<number>) {
    this.rowCuts = checkCuts('rowCuts', rowCuts);
    this.colCuts = checkCuts('colCuts', colCuts);
    const k = this.rowCuts.length - 1;
    const l = this.colCuts.length - 1;
    if (values.length !== k * l) {
      throw new InvalidArgumentError('values', values, `an array of ${k} × ${l} = ${k * l} block values`);
    }
    this.values = Float64Array.from(values);
    for (let i = 0; i < this.values.length; i++) {
      if (!Number.isFinite(this.values[i])) {
        throw new InvalidArgumentError(`values[${i}]`, this.values[i], 'a finite number');
      }
    }
  }

  /** Number of row blocks K. */
  get rowBlocks(): number {
    return this.rowCuts.length - 1;
  }

  /** Number of column blocks L. */
  get colBlocks(): number {
    return this.colCuts.length - 1;
  }

  /** Value of block (a, b). */
  block(a: number, b: number): number {
    return this.values[a * this.colBlocks + b];
  }

  /** U(u, v); the block containing a point is found by binary search. */
  value(u: number, v: number): number {
    return this.values[findBlock(this.rowCuts, u) * this.colBlocks + findBlock(this.colCuts, v)];
  }

  /** ∫∫ U = Σ_ab (r_{a+1} − r_a)(c_{b+1} − c_b) U_ab. */
  integral(): number {
    let s = 0;
    const l = this.colBlocks;
    for (let a = 0; a < this.rowBlocks; a++) {
      const h = this.rowCuts[a + 1] - this.rowCuts[a];
      let row = 0;
      for (let b = 0; b < l; b++) row += (this.colCuts[b + 1] - this.colCuts[b]) * this.values[a * l + b];
      s += h * row;
    }
    return s;
  }

  /** K equal row blocks and L equal column blocks with the given row-major values. */
  static uniformBlocks(rowBlocks: number, colBlocks: number, values: ArrayLike<number>): StepKernel {
    return new StepKernel(equalCuts(rowBlocks, 'rowBlocks'), equalCuts(colBlocks, 'colBlocks'), values);
  }
}

export class StepGraphon extends StepKernel implements Graphon {
  constructor(rowCuts: ArrayLike<number>, colCuts: ArrayLike<number>, values: ArrayLike<number>) {
    super(rowCuts, colCuts, values);
    for (let i = 0; i < this.values.length; i++) {
      const x = this.values[i];
      if (!(x >= 0 && x <= 1)) throw new InvalidArgumentError(`values[${i}]`, x, 'a graphon value in [0, 1]');
    }
  }

  /** The constant graphon W ≡ p (one block). */
  static constant(p: number): StepGraphon {
    return new StepGraphon([0, 1], [0, 1], [p]);
  }

  /** K equal row blocks and L equal column blocks with the given row-major values in [0, 1]. */
  static override uniformBlocks(rowBlocks: number, colBlocks: number, values: ArrayLike<number>): StepGraphon {
    return new StepGraphon(equalCuts(rowBlocks, 'rowBlocks'), equalCuts(colBlocks, 'colBlocks'), values);
  }
}

/** `[0, 1/n, …, 1]`. */
export function equalCuts(blocks: number, name = 'blocks'): Float64Array {
  if (!(Number.isInteger(blocks) && blocks >= 1)) throw new InvalidArgumentError(name, blocks, 'a positive integer');
  const c = new Float64Array(blocks + 1);
  for (let i = 0; i <= blocks; i++) c[i] = i / blocks;
  c[blocks] = 1;
  return c;
}

/** Index a with cuts[a] ≤ x < cuts[a+1]; x = 1 falls in the last block. */
export function findBlock(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (cuts[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkCuts(name: string, cuts: ArrayLike<number>): Float64Array {
  const c = Float64Array.from(cuts);
  const ok = c.length >= 2 && c[0] === 0 && c[c.length - 1] === 1 && c.every((x, i) => i === 0 || x > c[i - 1]);
  if (!ok) {
    throw new InvalidArgumentError(name, cuts, 'strictly increasing cut points starting at 0 and ending at 1');
  }
  return c;
}
