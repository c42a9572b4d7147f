/**
 * W-random bipartite graphs: seeded samples of `rows × cols` masks from any graphon.
 *
 * Latent positions: `u_j` for rows and `v_i` for columns, either i.i.d. U(0, 1) (`positions: 'uniform'`,
 * default, the exchangeable W-random graph) or the deterministic grid `(j + ½)/rows` (`'grid'`, less noise in
 * tests). Given positions, `P_ji = W(u_j, v_i)`, and
 *
 * - `mode: 'bernoulli'` (default): `M_ji ~ Bernoulli(P_ji)` independently (drawn as `U32 < P·2³²`, a 32-bit
 *   uniform, so probabilities are resolved to 2⁻³²);
 * - `mode: 'exact'`: exactly `k` edges — the `k` pairs with the smallest `U_ji / P_ji` (`U_ji` i.i.d.
 *   uniform, pairs with `P = 0` never chosen before the others). Each pair is kept iff `U_ji ≤ t·P_ji` for the
 *   data-driven threshold `t`, so the mask is the Bernoulli(`min(1, t·P)`) graph conditioned to `k` edges in
 *   the threshold sense; with `k = round(Σ P)` (default) its limit is `W` itself. `edges` or `density` fix `k`.
 *
 * Streams: positions come from `rng.fork('positions')`, edge draws from `rng.fork('edges')`, so the same seed
 * gives the same positions in both modes. The exact mode regenerates its stream in three passes (top-k by
 * histogram, see `internal/top-k.ts`), so memory stays at the bit-packed mask plus one row of
 * probabilities.
 *
 * Complexity: O(rows·cols) graphon evaluations (block lookups for step graphons, one `value` call per entry
 * otherwise; three times in exact mode).
 *
 * @example
 * const { mask } = sampleGraphon(expressionGraphon('u*v'), 512, 256, { seed: 7 });
 * const exact = sampleGraphon(StepGraphon.constant(0.1), 100, 100, { seed: 1, mode: 'exact' }).mask.nnz(); // 1000
 *
 * Reference: L. Lovász, B. Szegedy, "Limits of dense graph sequences", JCTB 96 (2006) (W-random graphs);
 * P. S. Efraimidis, P. G. Spirakis, "Weighted random sampling with a reservoir", IPL 97 (2006) (key ordering).
 */
import {
  BitMatrix,
  findBlock,
  type Graphon,
  InvalidArgumentError,
  Rng,
  type Seed,
  StepKernel,
} from '@graphon-pai/core';
import { floatKey, topKMask } from './internal/top-k';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { round } = Math;
const NEG_INF = Number.NEGATIVE_INFINITY;

export interface SampleGraphonOptions {
  seed: Seed;
  mode?: 'bernoulli' | 'exact';
  /** Exact mode: the number of edges (default round(Σ P_ji)). */
  edges?: number;
  /** Exact mode: the density, k = round(density · rows · cols) (alternative to `edges`). */
  density?: number;
  positions?: 'uniform' | 'grid';
}

export interface GraphonSample {
  readonly mask: BitMatrix;
  /** u_j of each row. */
  readonly rowPositions: Float64Array;
  /** v_i of each column. */
  readonly colPositions: Float64Array;
}

const TWO32 = 4294967296;

/** Samples a W-random bipartite mask (see the file header). */
export function sampleGraphon(
  graphon: Graphon | StepKernel,
  rows: number,
  cols: number,
  options: SampleGraphonOptions,
): GraphonSample {
  checkSide('rows', rows);
  checkSide('cols', cols);
  if (!graphon || typeof (graphon as Graphon).value !== 'function') {
    throw new InvalidArgumentError('graphon', graphon, 'a Graphon or StepGraphon');
  }
  if (!options || options.seed === undefined)
    throw new InvalidArgumentError('options.seed', undefined, 'a seed (number or string)');
  const rng = new Rng(options.seed);
  const posRng = rng.fork('positions');
  const grid = options.positions === 'grid';
  if (options.positions !== undefined && !grid && options.positions !== 'uniform') {
    throw new InvalidArgumentError('options.positions', options.positions, "'uniform' or 'grid'");
  }
  const rowPositions = new Float64Array(rows);
  const colPositions = new Float64Array(cols);
  for (let j = 0; j < rows; j++) rowPositions[j] = grid ? (j + 0.5) / rows : posRng.uniform();
  for (let i = 0; i < cols; i++) colPositions[i] = grid ? (i + 0.5) / cols : posRng.uniform();
  const fillRow = rowFiller(graphon, rowPositions, colPositions);
  const p = new Float64Array(cols);
  const mode = options.mode ?? 'bernoulli';
  if (mode === 'bernoulli') {
    const edgeRng = rng.fork('edges');
    const mask = new BitMatrix(rows, cols);
    const { words, wordsPerRow } = mask;
    for (let j = 0; j < rows; j++) {
      fillRow(j, p);
      const base = j * wordsPerRow;
      for (let i = 0; i < cols; i++) {
        if (edgeRng.uint32() < p[i] * TWO32) words[base + (i >>> 5)] |= 1 << (i & 31);
      }
    }
    return { mask, rowPositions, colPositions };
  }
  if (mode !== 'exact') throw new InvalidArgumentError('options.mode', mode, "'bernoulli' or 'exact'");
  const generate = (visit: (r: number, c: number, key: number) => void) => {
    const edgeRng = rng.fork('edges');
    for (let j = 0; j < rows; j++) {
      fillRow(j, p);
      for (let i = 0; i < cols; i++) {
        const u = (edgeRng.uint32() + 0.5) / TWO32;
        // Smaller U/P first: negate the ratio so that larger keys win; P = 0 gives −∞ (chosen last).
        visit(j, i, floatKey(p[i] > 0 ? -u / p[i] : NEG_INF));
      }
    }
  };
  let k: number;
  if (options.edges !== undefined) {
    k = options.edges;
    if (!(Number.isInteger(k) && k >= 0 && k <= rows * cols)) {
      throw new InvalidArgumentError('options.edges', k, `an integer in [0, rows · cols = ${rows * cols}]`);
    }
  } else if (options.density !== undefined) {
    const d = options.density;
    if (!(d >= 0 && d <= 1)) throw new InvalidArgumentError('options.density', d, 'a number in [0, 1]');
    k = round(d * rows * cols);
  } else {
    k = -1;
  }
  if (k < 0) {
    // Σ P over the realised positions, computed without drawing edges.
    let s = 0;
    for (let j = 0; j < rows; j++) {
      fillRow(j, p);
      for (let i = 0; i < cols; i++) s += p[i];
    }
    k = round(s);
  }
  return { mask: topKMask(rows, cols, k, generate), rowPositions, colPositions };
}

/** Fills one row of probabilities W(u_j, v_i); block lookups for step kernels. */
function rowFiller(
  graphon: Graphon | StepKernel,
  rowPos: Float64Array,
  colPos: Float64Array,
): (j: number, out: Float64Array) => void {
  if (graphon instanceof StepKernel) {
    const cb = new Uint32Array(colPos.length);
    for (let i = 0; i < colPos.length; i++) cb[i] = findBlock(graphon.colCuts, colPos[i]);
    const l = graphon.colBlocks;
    const vals = graphon.values;
    for (const x of vals) {
      if (!(x >= 0 && x <= 1))
        throw new InvalidArgumentError('graphon', x, 'a step graphon with values in [0, 1]');
    }
    return (j, out) => {
      const base = findBlock(graphon.rowCuts, rowPos[j]) * l;
      for (let i = 0; i < out.length; i++) out[i] = vals[base + cb[i]];
    };
  }
  return (j, out) => {
    const u = rowPos[j];
    for (let i = 0; i < out.length; i++) {
      const w = graphon.value(u, colPos[i]);
      if (!(w >= 0 && w <= 1)) {
        throw new InvalidArgumentError('graphon', w, 'a graphon with values in [0, 1]', {
          fix: `W(${u}, ${colPos[i]}) = ${w}`,
        });
      }
      out[i] = w;
    }
  };
}

function checkSide(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1)) {
    throw new InvalidArgumentError(name, v, 'a positive integer', {
      fix: 'masks need at least one row and one column',
    });
  }
}
