/**
 * A step graphon as `.npy` files, the layout numpy users load with three `np.load` calls:
 *
 *     graphon.npy    float64 [K, L]   block values W_ab ∈ [0, 1], row-major (rows = the graphon's u axis)
 *     row_cuts.npy   float64 [K + 1]  0 = r_0 < r_1 < … < r_K = 1
 *     col_cuts.npy   float64 [L + 1]  0 = c_0 < c_1 < … < c_L = 1
 *
 * so that W(u, v) = W_ab for r_a ≤ u < r_{a+1}, c_b ≤ v < c_{b+1}. {@link encodeStepGraphonNpy} gives the
 * three files' bytes (the caller decides where and how they are written); {@link readStepGraphonNpy} reads a
 * matrix of graphon values back: with the cut files beside a file named `graphon.npy` (and of matching
 * lengths) the blocks are those cuts, otherwise the K × L equal blocks of the uniform grid.
 *
 * @example
 * for (const [name, bytes] of encodeStepGraphonNpy(g)) writeFileAtomic(join(dir, name), bytes);
 * readStepGraphonNpy(join(dir, 'graphon.npy')); // equal to g
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FormatError } from '../errors';
import { StepGraphon } from '../step-graphon';
import { encodeNpy, readNpy } from './npy';

/** The file names of {@link encodeStepGraphonNpy}, in order. */
export const STEP_GRAPHON_FILES = ['graphon.npy', 'row_cuts.npy', 'col_cuts.npy'] as const;

/** The bytes of the three `.npy` files of `g` (see the file header), keyed by file name. */
export function encodeStepGraphonNpy(g: StepGraphon): Map<(typeof STEP_GRAPHON_FILES)[number], Uint8Array> {
  const k = g.rowBlocks;
  const l = g.colBlocks;
  return new Map([
    ['graphon.npy', encodeNpy({ dtype: 'F64', shape: [k, l], data: g.values })],
    ['row_cuts.npy', encodeNpy({ dtype: 'F64', shape: [k + 1], data: g.rowCuts })],
    ['col_cuts.npy', encodeNpy({ dtype: 'F64', shape: [l + 1], data: g.colCuts })],
  ]);
}

/** The cuts of a cut file beside the values, when it exists and holds `blocks + 1` numbers. */
function cutsBeside(file: string, blocks: number): Float64Array | undefined {
  if (!existsSync(file)) return undefined;
  const t = readNpy(file);
  const cuts = Float64Array.from(t.data as ArrayLike<number>);
  return t.shape.length === 1 && cuts.length === blocks + 1 ? cuts : undefined;
}

/** A step graphon from a 2-D `.npy` matrix of values in [0, 1] (see the file header). */
export function readStepGraphonNpy(file: string): StepGraphon {
  if (!existsSync(file)) throw new FormatError('no such file', { source: file, fix: 'check the path' });
  const t = readNpy(file);
  if (t.shape.length !== 2) {
    throw new FormatError(
      `holds an array of shape [${t.shape.join(', ')}]; expected a 2-D matrix of graphon values`,
      { source: file },
    );
  }
  const [k, l] = t.shape;
  const values = Float64Array.from(t.data as ArrayLike<number>);
  if (!values.every((w) => w >= 0 && w <= 1)) {
    throw new FormatError('holds values outside [0, 1]; a graphon takes values in [0, 1]', {
      source: file,
      fix: 'pass graphon values (e.g. graphon.npy written by graphon-pai graphon or limit)',
    });
  }
  if (basename(file) === 'graphon.npy') {
    const rowCuts = cutsBeside(join(dirname(file), 'row_cuts.npy'), k);
    const colCuts = cutsBeside(join(dirname(file), 'col_cuts.npy'), l);
    if (rowCuts && colCuts) return new StepGraphon(rowCuts, colCuts, values);
  }
  return StepGraphon.uniformBlocks(k, l, values);
}
