/**
 * Inputs of the cut-norm methods and their reduction to a weighted block operator.
 *
 * Every input is read as a **kernel on [0,1]²** (rows ↔ u, columns ↔ v):
 *
 * - a {@link DenseMatrix} `A` (rows × cols) as the step function `A[⌈rows·u⌉, ⌈cols·v⌉]`, so that
 *   `‖A‖_□ = max_{I,J} |Σ_{I×J} A_ij| / (rows·cols)` (docs: concepts/cut-distance);
 * - a `StepKernel` / `StepGraphon` as itself;
 * - a `BitMatrix` mask as its step graphon `W_M`;
 * - a {@link KernelDifference} `minuend − subtrahend` of any two of those, evaluated on the common refinement
 *   of their cut points **without densifying**: a mask stays bit-sparse (CSR), a step kernel stays K×L.
 *
 * Rows and columns of the refinement ("pieces") carry their lengths as weights; results report cuts as
 * sets of pieces together with the piece grid (`rowCuts`, `colCuts`), so a piece `p` is the interval
 * `[rowCuts[p], rowCuts[p+1])`. For a single matrix or mask the pieces are its rows and columns.
 *
 * @example
 * const d = difference(mask, StepGraphon.constant(0.1)); // W_M − 0.1, sparse − low-rank
 * cutNorm(d).lowerBound;
 */
import { BitMatrix, InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { mergeCutLists, pieceMap } from './internal/grid';
import {
  BlockOperator,
  type DenseSummand,
  type FloatArray,
  type MaskSummand,
  type Summand,
} from './internal/operator';

/** A dense row-major matrix, read as a step function on the uniform rows × cols grid. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries, length rows · cols; a Float32Array or Float64Array is used without copying. */
  readonly data: ArrayLike<number>;
}

/** One kernel: a dense matrix, a step kernel (or step graphon) or a mask. */
export type CutTerm = DenseMatrix | StepKernel | BitMatrix;

/** `minuend − subtrahend` on the common refinement of their grids. */
export interface KernelDifference {
  readonly minuend: CutTerm;
  readonly subtrahend: CutTerm;
}

export type CutNormInput = CutTerm | KernelDifference;

/** The kernel `a − b` (for {@link cutNorm}): masks stay sparse, step kernels stay blocky. */
export function difference(minuend: CutTerm, subtrahend: CutTerm): KernelDifference {
  return { minuend, subtrahend };
}

/** Operator plus the piece grid it lives on. */
export interface PreparedInput {
  readonly op: BlockOperator;
  readonly rowCuts: Float64Array;
  readonly colCuts: Float64Array;
}

export function isDifference(x: unknown): x is KernelDifference {
  return typeof x === 'object' && x !== null && 'minuend' in x && 'subtrahend' in x;
}

export interface UnitTerm {
  rowCuts: Float64Array;
  colCuts: Float64Array;
  summand: Omit<DenseSummand, 'rowMap' | 'colMap' | 'coef'> | Omit<MaskSummand, 'rowMap' | 'colMap' | 'coef'>;
}

/** Validates `x` (named `argument` in errors) and builds its operator. */
export function prepareInput(x: CutNormInput, argument = 'x'): PreparedInput {
  const terms: { term: UnitTerm; coef: number }[] = [];
  if (isDifference(x)) {
    terms.push({ term: unitTerm(x.minuend, `${argument}.minuend`), coef: 1 });
    terms.push({ term: unitTerm(x.subtrahend, `${argument}.subtrahend`), coef: -1 });
  } else {
    terms.push({ term: unitTerm(x, argument), coef: 1 });
  }
  return buildOperator(terms);
}

/** Builds the operator of Σ coef · term on the common refinement of the terms' grids. */
export function buildOperator(terms: { term: UnitTerm; coef: number }[]): PreparedInput {
  const rowCuts = mergeCutLists(terms.map((t) => t.term.rowCuts));
  const colCuts = mergeCutLists(terms.map((t) => t.term.colCuts));
  const summands: Summand[] = terms.map(({ term, coef }) => {
    const rowMap = pieceMap(term.rowCuts, rowCuts);
    const colMap = pieceMap(term.colCuts, colCuts);
    return summandOf(term.summand, coef, rowMap, colMap);
  });
  const op = new BlockOperator(diffs(rowCuts), diffs(colCuts), summands);
  return { op, rowCuts, colCuts };
}

/**
 * The summand with every field the operator may set later present from the start, in one order per kind:
 * objects of one shape keep the operator's hot loops on a single hidden class (a spread copy, with the lazy
 * copies added later in varying order, gave each call new shapes and V8 recompiled those loops in the
 * background while the native kernels wanted both cores).
 */
function summandOf(
  u: UnitTerm['summand'],
  coef: number,
  rowMap: Uint32Array | null,
  colMap: Uint32Array | null,
): Summand {
  if (u.kind === 'dense') {
    const { unitRows, unitCols, data } = u;
    return {
      kind: 'dense',
      coef,
      unitRows,
      unitCols,
      data,
      rowMap,
      colMap,
      data64: undefined,
      data32T: undefined,
      data64T: undefined,
    };
  }
  const { unitRows, unitCols, rowPtr, colIdx } = u;
  return {
    kind: 'mask',
    coef,
    unitRows,
    unitCols,
    rowPtr,
    colIdx,
    rowMap,
    colMap,
    maxRowDegree: u.maxRowDegree,
    maxColDegree: u.maxColDegree,
  };
}

function diffs(cuts: Float64Array): Float64Array {
  const w = new Float64Array(cuts.length - 1);
  for (let i = 0; i < w.length; i++) w[i] = cuts[i + 1] - cuts[i];
  return w;
}

function uniformCuts(n: number): Float64Array {
  const c = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) c[i] = i / n;
  c[n] = 1;
  return c;
}

/** A term with its own unit grid, validated. */
export function unitTerm(x: CutTerm, argument: string): UnitTerm {
  if (x instanceof BitMatrix) {
    if (x.rows === 0 || x.cols === 0) {
      throw new InvalidArgumentError(argument, `${x.rows} × ${x.cols} mask`, 'a non-empty mask', {
        fix: 'pass a mask with at least one row and one column',
      });
    }
    return {
      rowCuts: uniformCuts(x.rows),
      colCuts: uniformCuts(x.cols),
      summand: { kind: 'mask', unitRows: x.rows, unitCols: x.cols, ...x.toCsr() },
    };
  }
  if (x instanceof StepKernel) {
    return {
      rowCuts: x.rowCuts,
      colCuts: x.colCuts,
      summand: { kind: 'dense', unitRows: x.rowBlocks, unitCols: x.colBlocks, data: x.values },
    };
  }
  if (typeof x !== 'object' || x === null || !('data' in x)) {
    throw new InvalidArgumentError(
      argument,
      x,
      'a DenseMatrix {rows, cols, data}, a StepKernel, a BitMatrix or difference(a, b)',
    );
  }
  const { rows, cols, data } = x;
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(cols) && cols >= 1)) {
    throw new InvalidArgumentError(
      `${argument}.rows/cols`,
      `${rows} × ${cols}`,
      'positive integers (a non-empty matrix)',
      {
        fix: 'pass a matrix with at least one row and one column',
      },
    );
  }
  if (!data || data.length !== rows * cols) {
    throw new InvalidArgumentError(
      `${argument}.data`,
      data,
      `an array of rows · cols = ${rows * cols} entries (row-major)`,
    );
  }
  const typed: FloatArray =
    data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data);
  for (let i = 0; i < typed.length; i++) {
    if (!Number.isFinite(typed[i])) {
      throw new InvalidArgumentError(`${argument}.data[${i}]`, typed[i], 'a finite number', {
        fix: 'remove NaN / infinite entries before computing a cut norm',
      });
    }
  }
  return {
    rowCuts: uniformCuts(rows),
    colCuts: uniformCuts(cols),
    summand: { kind: 'dense', unitRows: rows, unitCols: cols, data: typed },
  };
}
