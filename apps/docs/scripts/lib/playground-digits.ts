/**
 * The digits the playground ships: those of every `mnistSubset({ count, seed })` the page offers
 * (`DIGIT_COUNTS` × `DIGIT_SEEDS`), from @graphon-pai/nets' loader (real MNIST training split), each stored
 * once. The rows of each subset are recomputed with `mnistSubset`'s documented rule (class c gets
 * ⌊count/10⌋ digits, one more for the first count mod 10 classes, a Floyd sample from
 * `Rng(seed).fork('mnist/<c>')` over the split's digits of class c in file order; then the permutation
 * `Rng(seed).fork('mnist/order')`), and `playgroundDigits` fails unless the stored batch of every subset
 * equals `mnistSubset`'s inputs and labels exactly.
 */
import { Rng } from '@graphon-pai/core';
import { MNIST_CLASSES, mnistBytes, mnistSubset } from '@graphon-pai/nets';
import {
  DIGIT_COUNTS,
  DIGIT_SEEDS,
  type DigitFile,
  digitBatch,
  PIXELS,
  subsetKey,
} from '../../playground/digits';

/** The training-split rows of `mnistSubset({ count, seed })`, in its order. */
export function subsetRows(labels: Uint8Array, count: number, seed: number): number[] {
  const byClass: number[][] = Array.from({ length: MNIST_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const rng = new Rng(seed);
  const picked: number[] = [];
  for (let c = 0; c < MNIST_CLASSES; c++) {
    const k = Math.floor(count / MNIST_CLASSES) + (c < count % MNIST_CLASSES ? 1 : 0);
    for (const i of rng.fork(`mnist/${c}`).sampleWithoutReplacement(byClass[c].length, k))
      picked.push(byClass[c][i]);
  }
  return Array.from(rng.fork('mnist/order').permutation(count), (o) => picked[o]);
}

/** The digit file of the page, checked against `mnistSubset` for every subset it holds. */
export async function playgroundDigits(): Promise<DigitFile> {
  const train = mnistBytes('train');
  const rowsOf = new Map<string, number[]>();
  const shipped = new Map<number, number>(); // training row → position in the file
  for (const seed of DIGIT_SEEDS) {
    for (const count of DIGIT_COUNTS) {
      const rows = subsetRows(train.labels, count, seed);
      rowsOf.set(subsetKey(seed, count), rows);
      for (const r of rows) if (!shipped.has(r)) shipped.set(r, shipped.size);
    }
  }
  const n = shipped.size;
  const labels = new Uint8Array(n);
  const pixels = new Uint8Array(n * PIXELS);
  for (const [row, at] of shipped) {
    labels[at] = train.labels[row];
    pixels.set(train.images.subarray(row * PIXELS, (row + 1) * PIXELS), at * PIXELS);
  }
  const subsets = new Map<string, Uint16Array>();
  for (const [key, rows] of rowsOf)
    subsets.set(
      key,
      Uint16Array.from(rows, (r) => shipped.get(r)!),
    );
  const file: DigitFile = { labels, pixels, subsets };
  for (const seed of DIGIT_SEEDS) {
    for (const count of DIGIT_COUNTS) {
      const ours = digitBatch(file, seed, count);
      const cli = await mnistSubset({ count, seed });
      const same =
        ours.inputs.length === cli.inputs.length &&
        ours.inputs.every((v, q) => v === cli.inputs[q]) &&
        ours.labels!.every((v, q) => v === cli.labels![q]);
      if (!same) throw new Error(`playground digits: seed ${seed}, ${count} digits differ from mnistSubset`);
    }
  }
  return file;
}
