/**
 * Exact cut distance between two summaries on the same small uniform grid: the `block` and `pixel` metrics.
 *
 * Two `K × L` matrices `A`, `B` (row-major; row block `a` ↔ `[a/K, (a+1)/K)`, column `b` ↔ `[b/L, (b+1)/L)`)
 * are compared by the cut norm of their difference, each cell weighing `1/(K·L)`:
 *
 *     δ_grid(A, B) = ‖A − B‖_□ = max_{S ⊆ [K], T ⊆ [L]} |Σ_{a∈S, b∈T} (A_ab − B_ab)| / (K·L).
 *
 * For a fixed subset `S` of the rows the best column set is closed form (the columns with positive, resp.
 * negative, partial sums), so the value is `max_S max(Σ_b (c_b(S))_+, Σ_b (c_b(S))_−) / (K·L)` with
 * `c(S) = Σ_{a∈S} (A − B)_a·`. Enumerating the `2^min(K, L)` subsets of the smaller side in Gray-code order
 * updates `c` by one row per step: `O(2^min(K,L) · max(K,L))` time, exact (the enumeration is the one of
 * {@link cutNorm}'s `exact` method). The summaries are fixed by the grid, **no relabelling** is optimised:
 * the value is the exact cut norm of the difference of the two summaries, a metric on `K × L` matrices
 * (symmetric, triangle inequality, zero iff the summaries are equal).
 *
 * `block` and `pixel` build the summaries (canonical block histograms, or degree-sorted row blocks × inputs
 * with input identity kept) and call {@link gridDistance}.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type DenseMatrix, difference } from './cut-input';
import { cutNorm } from './cut-norm';

/** Options shared by the grid metrics. */
export interface GridDistanceOptions {
  /**
   * Largest `min(K, L)` the exact enumeration accepts (default 24: 2^24 subsets). Larger grids are refused
   * (`InvalidArgumentError`), never approximated.
   */
  maxEnumerated?: number;
}

/** An exact grid cut distance with the cut attaining it. */
export interface GridDistanceResult {
  /** ‖A − B‖_□ on the grid, exact. */
  value: number;
  kind: 'exact';
  rows: number;
  cols: number;
  /** Rows S, columns T and the sign of Σ_{S×T}(A − B) at the maximum. */
  cut: { rows: Uint32Array; cols: Uint32Array; sign: 1 | -1 };
}

/** Default `maxEnumerated`. */
export const GRID_MAX_ENUMERATED = 24;

/** Exact `‖A − B‖_□` of two summaries on the same `rows × cols` grid (see the file header). */
export function gridDistance(
  a: DenseMatrix,
  b: DenseMatrix,
  options: GridDistanceOptions = {},
): GridDistanceResult {
  checkMatrix('a', a);
  checkMatrix('b', b);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new InvalidArgumentError(
      'b',
      `${b.rows} × ${b.cols}`,
      `a summary on the grid of a (${a.rows} × ${a.cols})`,
      {
        fix: 'summarise both kernels at the same resolution',
      },
    );
  }
  const maxEnumerated = options.maxEnumerated ?? GRID_MAX_ENUMERATED;
  if (!(Number.isInteger(maxEnumerated) && maxEnumerated >= 1 && maxEnumerated <= 30)) {
    throw new InvalidArgumentError('options.maxEnumerated', maxEnumerated, 'an integer in [1, 30]');
  }
  const small = Math.min(a.rows, a.cols);
  if (small > maxEnumerated) {
    throw new InvalidArgumentError(
      'grid',
      `${a.rows} × ${a.cols}`,
      `a grid whose smaller side is at most ${maxEnumerated} (exact enumeration of 2^${small} subsets is too large)`,
      { fix: `use at most ${maxEnumerated} row blocks (or raise maxEnumerated)` },
    );
  }
  const large = Math.max(a.rows, a.cols);
  if (2 ** small * large > 2 ** 34) {
    throw new InvalidArgumentError(
      'grid',
      `${a.rows} × ${a.cols}`,
      'a grid with 2^min(rows, cols) · max(rows, cols) ≤ 2^34 (the exact enumeration)',
      { fix: 'use fewer row blocks' },
    );
  }
  const r = cutNorm(difference(a, b), { method: 'exact' });
  return { value: r.lowerBound, kind: 'exact', rows: a.rows, cols: a.cols, cut: r.cut };
}

function checkMatrix(name: string, m: DenseMatrix): void {
  const ok =
    m !== null &&
    typeof m === 'object' &&
    Number.isInteger(m.rows) &&
    Number.isInteger(m.cols) &&
    m.rows >= 1 &&
    m.cols >= 1 &&
    m.data !== undefined &&
    m.data.length === m.rows * m.cols;
  if (!ok) throw new InvalidArgumentError(name, m, 'a { rows, cols, data } matrix with rows · cols entries');
}

/** Default smallest number of mask rows (columns) per block. */
export const MIN_BLOCK_SIZE = 4;

/** Options of a summary with `K` degree-sorted row blocks (the `pixel` and `block` metrics). */
export interface RowBlockOptions extends GridDistanceOptions {
  /** Row blocks K (default 16). */
  rowBlocks?: number;
  /** Smallest number of mask rows (and columns, where they are blocked) per block (default 4); smaller masks are refused. */
  minBlockSize?: number;
}

/**
 * `term` itself when it is a ready `rows × cols` summary matrix (any integer `cols` when undefined),
 * undefined when it is no `{ rows, cols, data }` of that shape; throws when its data has the wrong length.
 */
export function givenSummary(term: unknown, rows: number, cols?: number): DenseMatrix | undefined {
  const m = term as DenseMatrix;
  const shaped =
    m !== null &&
    typeof m === 'object' &&
    m.data !== undefined &&
    m.rows === rows &&
    (cols === undefined ? Number.isInteger(m.cols) : m.cols === cols);
  if (!shaped) return undefined;
  if (m.data.length !== rows * m.cols)
    throw new InvalidArgumentError('summary.data', m.data, `${rows} × ${m.cols} values`);
  return m;
}

/** Validates a block count (an integer in [1, 2^16]) and returns it, or the default. */
export function blockCount(name: string, value: number | undefined, dflt: number): number {
  const v = value ?? dflt;
  if (!(Number.isInteger(v) && v >= 1 && v <= 65536)) {
    throw new InvalidArgumentError(`options.${name}`, v, 'an integer in [1, 65536]');
  }
  return v;
}

/**
 * Refuses a mask side too small for its blocks: `units` rows (or columns) must give every one of `blocks`
 * blocks at least `minBlockSize` of them, otherwise a histogram would be mostly rounding.
 */
export function checkSide(
  side: 'rows' | 'cols',
  units: number,
  blocks: number,
  minBlockSize: number | undefined,
): void {
  const min = minBlockSize ?? MIN_BLOCK_SIZE;
  if (!(Number.isInteger(min) && min >= 1)) {
    throw new InvalidArgumentError('options.minBlockSize', min, 'a positive integer');
  }
  if (units < blocks * min) {
    const what = side === 'rows' ? 'width (rows)' : 'input dimension (columns)';
    throw new InvalidArgumentError(
      side,
      units,
      `a ${what} of at least ${blocks * min} for ${blocks} blocks of at least ${min} each`,
      {
        fix: `use a larger ${side === 'rows' ? 'width' : 'layer'} or at most ${Math.floor(units / min)} blocks`,
      },
    );
  }
}
