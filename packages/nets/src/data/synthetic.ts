/**
 * Synthetic tasks with `k` informative input coordinates among `d`, and Gaussian inputs.
 *
 * Inputs `x ~ N(0, I_d)` (float32, row-major `count × d`). The informative set `S` (`|S| = k`) is the first
 * `k` coordinates, or a seeded random subset with `shuffleCoordinates: true`; the other `d − k` coordinates
 * are pure noise. Labels come from a teacher that only sees `x_S`:
 *
 * - `teacher: 'linear'` (default): `U ∈ R^{C×k}` with `N(0, 1)` entries; binary (`classes = 2`):
 *   `y = 1{ u·x_S > 0 }` with `u = U_1 − U_0`; multi-class: `y = argmax_c (U x_S)_c`;
 * - `teacher: 'relu'`: a random one-hidden-layer ReLU teacher `y = argmax_c (V relu(T x_S))_c` with
 *   `teacherWidth` hidden units (default 32), `T, V` standard normal.
 *
 * Optional label noise flips each label to a uniformly random *other* class with probability `labelNoise`.
 * Streams: inputs from `fork('inputs')`, teacher from `fork('teacher')`, noise from `fork('labels')`,
 * coordinates from `fork('coordinates')`. Complexity O(count · (d + C·k)).
 *
 * @example
 * const { batch, informative } = syntheticTask({ count: 512, features: 40, informative: 4, classes: 2, seed: 1 });
 */
import { InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import type { Batch } from './batch';

export interface SyntheticTaskOptions {
  count: number;
  /** Input dimension d. */
  features: number;
  /** Number of informative coordinates k (1 ≤ k ≤ d). */
  informative: number;
  /** Number of classes (default 2). */
  classes?: number;
  teacher?: 'linear' | 'relu';
  teacherWidth?: number;
  /** Probability of replacing a label by another class (default 0). */
  labelNoise?: number;
  shuffleCoordinates?: boolean;
  seed?: Seed;
}

export interface SyntheticTask {
  batch: Batch;
  /** Indices of the informative coordinates, increasing. */
  informative: Uint32Array;
  /** The noise-free teacher label of each row of `inputs` (`count × features`); reads only `x_S`. */
  teacher(inputs: Float32Array, count: number): Int32Array;
}

function positiveInt(name: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max)) {
    throw new InvalidArgumentError(name, v, `an integer in [1, ${max}]`);
  }
  return v as number;
}

/** Gaussian inputs `N(0, std²)` with no labels. */
export function gaussianInputs(
  count: number,
  features: number,
  options: { seed?: Seed; std?: number } = {},
): Batch {
  positiveInt('count', count);
  positiveInt('features', features);
  const std = options.std ?? 1;
  if (!(Number.isFinite(std) && std > 0))
    throw new InvalidArgumentError('std', std, 'a finite positive number');
  const inputs = new Rng(options.seed ?? 0)
    .fork('inputs')
    .normalArray(count * features, 0, std, new Float32Array(count * features));
  return { inputs, count, features };
}

/** A classification task whose labels depend only on `k` of the `d` input coordinates. */
export function syntheticTask(options: SyntheticTaskOptions): SyntheticTask {
  const count = positiveInt('count', options.count);
  const d = positiveInt('features', options.features);
  const k = positiveInt('informative', options.informative, d);
  const C = positiveInt('classes', options.classes ?? 2);
  if (C < 2) throw new InvalidArgumentError('classes', C, 'at least 2');
  const labelNoise = options.labelNoise ?? 0;
  if (!(labelNoise >= 0 && labelNoise <= 1))
    throw new InvalidArgumentError('labelNoise', labelNoise, 'a probability in [0, 1]');
  const teacherKind = options.teacher ?? 'linear';
  if (teacherKind !== 'linear' && teacherKind !== 'relu')
    throw new InvalidArgumentError('teacher', teacherKind, "'linear' or 'relu'");
  const width = positiveInt('teacherWidth', options.teacherWidth ?? 32);
  const rng = new Rng(options.seed ?? 0);
  const { inputs } = gaussianInputs(count, d, { seed: options.seed ?? 0 });
  const informative = options.shuffleCoordinates
    ? rng.fork('coordinates').sampleWithoutReplacement(d, k)
    : Uint32Array.from({ length: k }, (_, i) => i);
  const teacherRng = rng.fork('teacher');
  const hidden = teacherKind === 'relu' ? width : k;
  const T = teacherKind === 'relu' ? teacherRng.normalArray(width * k) : null;
  const U = teacherRng.normalArray(C * hidden);
  const h = new Float64Array(hidden);
  const teacher = (xs: Float32Array, rows: number): Int32Array => {
    if (!(xs instanceof Float32Array) || xs.length !== rows * d) {
      throw new InvalidArgumentError(
        'inputs',
        xs,
        `a Float32Array of count · features = ${rows} × ${d} values`,
      );
    }
    const out = new Int32Array(rows);
    for (let n = 0; n < rows; n++) {
      const x = n * d;
      if (T) {
        for (let j = 0; j < width; j++) {
          let s = 0;
          for (let i = 0; i < k; i++) s += T[j * k + i] * xs[x + informative[i]];
          h[j] = Math.max(s, 0);
        }
      } else {
        for (let i = 0; i < k; i++) h[i] = xs[x + informative[i]];
      }
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let j = 0; j < hidden; j++) s += U[c * hidden + j] * h[j];
        if (s > bestValue) {
          bestValue = s;
          best = c;
        }
      }
      out[n] = best;
    }
    return out;
  };
  const labels = teacher(inputs, count);
  const noise = rng.fork('labels');
  if (labelNoise > 0) {
    for (let n = 0; n < count; n++)
      if (noise.uniform() < labelNoise) labels[n] = (labels[n] + 1 + noise.int(C - 1)) % C;
  }
  return { batch: { inputs, count, features: d, labels, classes: C }, informative, teacher };
}
