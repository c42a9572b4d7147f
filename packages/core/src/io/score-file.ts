/**
 * Score files: one float tensor `[rows, cols]` (or `[rows, …]`, read as `rows × product(rest)`) per layer,
 * keyed by parameter name, in a safetensors file whose metadata says `format = "graphon-pai/scores"` — what
 * `graphon-pai prune --scores-out` writes and `--scores` reads back (a PyTorch `{name: tensor}` dict saved
 * with `safetensors.torch.save_file` reads too: the format entry is optional when reading).
 *
 * A convolution's scores are stored in the weight's layout `[out, in, kh, kw]` (the layer's `tensorShape`);
 * read back, such a tensor keeps that `tensorShape` beside its `rows × cols` view.
 *
 * Reading validates before use: at least one tensor; every tensor floating (F16, BF16, F32, F64) of rank ≥ 2
 * with positive dimensions; every score finite (a NaN would make the ranking of the mask undefined); the
 * file within the read budget (`./read-budget`). Scores are held as float32 (`LayerScores`).
 *
 * {@link readScoreMatrix} reads one layer's scores as they are stored (float32 or float64, not validated
 * further): a float `.npy` array or one tensor of a safetensors file, rank ≥ 2, viewed as `rows × product(rest)`.
 *
 * @example
 * writeScoreFile('s.safetensors', scores);
 * readScoreFile('s.safetensors').get('0.weight')!.shape; // { rows: 256, cols: 784 }
 * readScoreMatrix('s.safetensors', '0.weight');         // { name: '0.weight', rows: 256, cols: 784, scores }
 */
import { FormatError, InvalidArgumentError } from '../errors';
import type { LayerShape, ScoreMap } from '../layers';
import type { Tensor } from './dtype';
import type { ReadBudget } from './read-budget';
import { readNpy } from './npy';
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from './safetensors';

/** The `format` metadata entry of score files. */
export const SCORE_FILE_FORMAT = 'graphon-pai/scores';

const FLOATS = new Set(['F16', 'BF16', 'F32', 'F64']);

/** Reads and validates a score file (see the file header). */
export function readScoreFile(path: string, options: { budget?: ReadBudget } = {}): ScoreMap {
  const { tensors, metadata } = readSafetensors(path, options);
  if (metadata.format !== undefined && metadata.format !== SCORE_FILE_FORMAT) {
    throw new FormatError(`metadata format is ${JSON.stringify(metadata.format)}, not a score file`, {
      source: path,
      fix: `pass scores written by 'graphon-pai prune --scores-out' or a {name: float tensor} safetensors file`,
    });
  }
  const scores: ScoreMap = new Map();
  for (const [name, t] of tensors) {
    const rows = t.shape[0];
    const cols = t.shape.slice(1).reduce((a, b) => a * b, 1);
    if (t.shape.length < 2 || !FLOATS.has(t.dtype) || rows === 0 || cols === 0) {
      throw new FormatError(`tensor ${JSON.stringify(name)} is ${t.dtype} of shape [${t.shape.join(', ')}]`, {
        source: path,
        fix: 'store one non-empty float tensor [rows, cols] of scores per layer',
      });
    }
    const values = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new FormatError(`tensor ${JSON.stringify(name)} holds ${values[bad]} at index ${bad}`, {
        source: path,
        fix: 'scores must be finite numbers; replace NaN and infinite scores before saving',
      });
    }
    const shape = t.shape.length > 2 ? { rows, cols, tensorShape: [...t.shape] } : { rows, cols };
    scores.set(name, { shape, scores: values });
  }
  if (scores.size === 0) {
    throw new FormatError('holds no tensors', {
      source: path,
      fix: 'store one float tensor of scores per layer',
    });
  }
  return scores;
}

/**
 * Writes scores as a score file, atomically: float32 per layer in the layer's `tensorShape` when it has one
 * (a convolution's `[out, in, kh, kw]`, the weight's PyTorch layout; same bytes as `[rows, cols]`), else
 * `[rows, cols]`.
 */
export function writeScoreFile(path: string, scores: ScoreMap): void {
  const tensors = new Map(
    [...scores].map(([name, s]) => [
      name,
      { dtype: 'F32' as const, shape: storedShape(name, s.shape), data: s.scores },
    ]),
  );
  writeSafetensors(path, tensors, { format: SCORE_FILE_FORMAT });
}

/** `[rows, cols]`, or the layer's tensor shape after checking that it views as `rows × cols`. */
function storedShape(name: string, shape: LayerShape): number[] {
  const t = shape.tensorShape;
  if (t === undefined) return [shape.rows, shape.cols];
  if (!(t.length >= 2 && t[0] === shape.rows && t.slice(1).reduce((a, b) => a * b, 1) === shape.cols)) {
    throw new InvalidArgumentError(
      `scores.get(${JSON.stringify(name)}).shape.tensorShape`,
      t,
      `a shape [${shape.rows}, …] whose trailing sizes multiply to ${shape.cols}`,
    );
  }
  return [...t];
}

/** One layer's scores as a matrix (rows = output neurons). */
export interface ScoreMatrix {
  /** The tensor's name, or the path of a `.npy` file. */
  name: string;
  rows: number;
  cols: number;
  scores: Float32Array | Float64Array;
}

/**
 * The scores of a `.npy` file, or of the tensor `tensor` of a safetensors file (its only tensor when not
 * given; see the file header).
 */
export function readScoreMatrix(path: string, tensor?: string): ScoreMatrix {
  let name = path;
  let t: Tensor;
  if (path.endsWith('.npy')) t = readNpy(path);
  else {
    const names = [...readSafetensorsHeader(path).entries.keys()];
    name = tensor ?? (names.length === 1 ? names[0] : '');
    if (!names.includes(name)) {
      throw new InvalidArgumentError(
        'tensor',
        tensor,
        `one of the tensors of ${path}: ${names.slice(0, 10).join(', ')}`,
      );
    }
    t = readSafetensors(path, { names: [name] }).tensors.get(name) as Tensor;
  }
  if (t.shape.length < 2 || !FLOATS.has(t.dtype)) {
    const what = name === path ? 'array' : `tensor '${name}'`;
    throw new FormatError(
      `${what} is ${t.dtype} of shape [${t.shape.join(', ')}]; expected a float matrix [rows, cols]`,
      {
        source: path,
        fix: 'store the scores of one layer as a 2-D float array (rows = output neurons)',
      },
    );
  }
  const data = t.data;
  const scores =
    data instanceof Float32Array || data instanceof Float64Array
      ? data
      : Float64Array.from(data as ArrayLike<number>);
  return { name, rows: t.shape[0], cols: t.shape.slice(1).reduce((a, b) => a * b, 1), scores };
}
