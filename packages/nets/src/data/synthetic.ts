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
import { checkPositiveInteger, InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
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

/** Gaussian inputs `N(0, std²)` with no labels. */
export function gaussianInputs(
  count: number,
  features: number,
  options: { seed?: Seed; std?: number } = {},
): Batch {
  checkPositiveInteger('count', count);
  checkPositiveInteger('features', features);
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
  const count = checkPositiveInteger('count', options.count);
  const d = checkPositiveInteger('features', options.features);
  const k = checkPositiveInteger('informative', options.informative, d);
  const C = checkPositiveInteger('classes', options.classes ?? 2);
  if (C < 2) throw new InvalidArgumentError('classes', C, 'at least 2');
  const labelNoise = options.labelNoise ?? 0;
  if (!(labelNoise >= 0 && labelNoise <= 1))
    throw new InvalidArgumentError('labelNoise', labelNoise, 'a probability in [0, 1]');
  const teacherKind = options.teacher ?? 'linear';
  if (teacherKind !== 'linear' && teacherKind !== 'relu')
    throw new InvalidArgumentError('teacher', teacherKind, "'linear' or 'relu'");
  const width = checkPositiveInteger('teacherWidth', options.teacherWidth ?? 32);
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

/** Two-level input scale profile: the first `⌊informativeFraction · d⌉` coordinates have the larger scale. */
export interface ScaleProfile {
  /** Fraction α of coordinates at `informativeScale` (default 0.25). */
  informativeFraction?: number;
  /** Standard deviation s₁ of the informative coordinates (default 1). */
  informativeScale?: number;
  /** Standard deviation s₀ of the other coordinates (default 0.25). */
  backgroundScale?: number;
}

export interface MirroredRegressionOptions {
  /** Number m of independent examples; the batch holds them and their negatives (2m rows). */
  pairs: number;
  /** Input dimension d. */
  features: number;
  profile?: ScaleProfile;
  seed?: Seed;
}

export interface MirroredRegressionTask {
  /** `2m × d` inputs (rows m…2m−1 are the negatives of rows 0…m−1), `2m × 1` targets (likewise negated). */
  batch: Batch;
  /** Standard deviation s_i of each coordinate (float64). */
  scales: Float64Array;
  /** Number of informative coordinates k = round(α·d) (coordinates 0…k−1). */
  informative: number;
  /**
   * `B_i = |Σ_{b<m} y_b x_bi| / ‖y‖` in float64 from the float32 batch: the input factor of SNIP's score on
   * this batch (see {@link mirroredRegressionTask}); given `y`, `B_i ~ s_i·|Z_i|` with i.i.d. standard normal `Z_i`.
   */
  inputFactors: Float64Array;
}

/**
 * A regression batch with mirrored (antithetic) examples, built so that the first-layer gradient of a
 * bias-free one-hidden-layer ReLU network with zero output is the same for every neuron up to its readout.
 *
 * Data: `m` examples `x_b ~ N(0, diag(s²))` with `s_i = s₁` for the first `k = round(α·d)` coordinates and
 * `s₀` for the rest, targets `y_b ~ N(0, 1)` independent of the inputs, then the same examples negated with
 * negated targets (`x_{b+m} = −x_b`, `y_{b+m} = −y_b`). Streams: inputs `fork('inputs')`, targets
 * `fork('targets')`.
 *
 * Why (the closed form of SNIP on it): for `f(x) = Σ_j a_j relu(w_j·x)` with `f ≡ 0` at initialisation (e.g.
 * mirrored neurons `(w, a)`, `(w, −a)`) and the mean squared loss, the output gradient is
 * `r_b = −2y_b/(2m)`, odd in the example. On a mirrored pair exactly one of `w_j·x`, `−w_j·x` is positive,
 * so `r(x)·1{w_j·x > 0}·x_i + r(−x)·1{−w_j·x > 0}·(−x_i) = r(x)·x_i` and
 *
 *     ∂L/∂w_ji = a_j Σ_b r_b 1{w_j·x_b > 0} x_bi = −(a_j/m) Σ_{b<m} y_b x_bi = −(a_j/m)·‖y‖·(±B_i):
 *
 * the SNIP score `|w_ji ∂L/∂w_ji| = |w_ji|·|a_j|·B_i·‖y‖/m` is an exact product of an edge factor, a neuron
 * factor and an input factor, at every width. Because `y` is independent of `x`, `Σ_b y_b x_bi | y ~
 * N(0, s_i²‖y‖²)`, so the input factors are i.i.d. `s_i·|Z_i|` given `y`: their law is the scale mixture of
 * half-normals `α·HN(s₁) + (1−α)·HN(s₀)` (exact when `α·d` is an integer).
 *
 * Complexity O(m·d).
 *
 * @example
 * const { batch, inputFactors } = mirroredRegressionTask({ pairs: 64, features: 1024, seed: 0 });
 */
export function mirroredRegressionTask(options: MirroredRegressionOptions): MirroredRegressionTask {
  const m = checkPositiveInteger('pairs', options.pairs);
  const d = checkPositiveInteger('features', options.features);
  const profile = options.profile ?? {};
  const alpha = profile.informativeFraction ?? 0.25;
  const s1 = profile.informativeScale ?? 1;
  const s0 = profile.backgroundScale ?? 0.25;
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new InvalidArgumentError('profile.informativeFraction', alpha, 'a fraction in [0, 1]');
  }
  for (const [name, s] of [
    ['profile.informativeScale', s1],
    ['profile.backgroundScale', s0],
  ] as const) {
    if (!(Number.isFinite(s) && s > 0)) throw new InvalidArgumentError(name, s, 'a finite positive number');
  }
  const k = Math.round(alpha * d);
  const scales = new Float64Array(d);
  for (let i = 0; i < d; i++) scales[i] = i < k ? s1 : s0;
  const rng = new Rng(options.seed ?? 0);
  const normal = rng.fork('inputs');
  const inputs = new Float32Array(2 * m * d);
  for (let b = 0; b < m; b++) {
    for (let i = 0; i < d; i++) {
      const x = Math.fround(normal.normal() * scales[i]);
      inputs[b * d + i] = x;
      inputs[(b + m) * d + i] = -x;
    }
  }
  const targets = new Float32Array(2 * m);
  const teacher = rng.fork('targets');
  for (let b = 0; b < m; b++) {
    const y = Math.fround(teacher.normal());
    targets[b] = y;
    targets[b + m] = -y;
  }
  let norm = 0;
  for (let b = 0; b < m; b++) norm += targets[b] * targets[b];
  norm = Math.sqrt(norm);
  const inputFactors = new Float64Array(d);
  for (let b = 0; b < m; b++) {
    const y = targets[b];
    const row = b * d;
    for (let i = 0; i < d; i++) inputFactors[i] += y * inputs[row + i];
  }
  for (let i = 0; i < d; i++) inputFactors[i] = Math.abs(inputFactors[i]) / norm;
  return { batch: { inputs, count: 2 * m, features: d, targets }, scales, informative: k, inputFactors };
}
