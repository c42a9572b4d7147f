import { loadMnist, MNIST_FEATURES, mnistSubset } from '../src/data/mnist';
import { gaussianInputs, syntheticTask } from '../src/data/synthetic';
import { selectRows, sliceBatch } from '../src/data/batch';

describe('MNIST from the mnist package', () => {
  test('ships 10,000 digits with the documented class counts, values in [0, 1]', async () => {
    const all = await loadMnist();
    expect(all.count).toBe(10000);
    expect(all.features).toBe(784);
    const counts = new Array(10).fill(0);
    for (const y of all.labels!) counts[y]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = Infinity;
    let max = -Infinity;
    const px = all.inputs;
    for (let i = 0; i < px.length; i++) {
      if (px[i] < min) min = px[i];
      if (px[i] > max) max = px[i];
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  test('class-balanced subsets are deterministic by seed and differ across seeds', async () => {
    const a = await mnistSubset({ count: 253, seed: 7 });
    const b = await mnistSubset({ count: 253, seed: 7 });
    const c = await mnistSubset({ count: 253, seed: 8 });
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(b.inputs.buffer))).toBe(true);
    expect(a.labels).toEqual(b.labels);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(c.inputs.buffer))).toBe(false);
    const counts = new Array(10).fill(0);
    for (const y of a.labels!) counts[y]++;
    expect(counts).toEqual([26, 26, 26, 25, 25, 25, 25, 25, 25, 25]);
    // Each row is a real digit of its class, without duplicates.
    const all = await loadMnist();
    const key = (arr: Float32Array, r: number) =>
      arr.subarray(r * MNIST_FEATURES, (r + 1) * MNIST_FEATURES).join(',');
    const index = new Map<string, number>();
    for (let r = 0; r < all.count; r++) index.set(key(all.inputs, r), all.labels![r]);
    const seen = new Set<string>();
    for (let r = 0; r < a.count; r++) {
      const k = key(a.inputs, r);
      expect(index.get(k)).toBe(a.labels![r]);
      seen.add(k);
    }
    expect(seen.size).toBe(253);
  });

  test('standardize applies (x − 0.1307) / 0.3081; bad counts are rejected', async () => {
    const u = await mnistSubset({ count: 20, seed: 1 });
    const s = await mnistSubset({ count: 20, seed: 1, normalization: 'standardize' });
    for (let i = 0; i < 784 * 3; i++) expect(s.inputs[i]).toBeCloseTo((u.inputs[i] - 0.1307) / 0.3081, 5);
    await expect(mnistSubset({ count: 0 })).rejects.toThrow(/count/);
    await expect(mnistSubset({ count: 9000 })).rejects.toThrow(/8630/);
    await expect(mnistSubset({ count: 10, normalization: 'z' as 'unit' })).rejects.toThrow(/normalization/);
  });
});

describe('synthetic tasks', () => {
  test('labels depend only on the informative coordinates', () => {
    const task = syntheticTask({
      count: 300,
      features: 12,
      informative: 3,
      classes: 4,
      seed: 2,
      shuffleCoordinates: true,
    });
    const { batch, informative } = task;
    expect(informative.length).toBe(3);
    expect(task.teacher(batch.inputs, 300)).toEqual(batch.labels);
    // Replacing every noise coordinate by fresh noise leaves every label unchanged.
    const fresh = gaussianInputs(300, 12, { seed: 99 }).inputs;
    const copy = batch.inputs.slice();
    const noise = [...Array(12).keys()].filter((i) => !informative.includes(i));
    for (let n = 0; n < 300; n++) for (const i of noise) copy[n * 12 + i] = fresh[n * 12 + i];
    expect(task.teacher(copy, 300)).toEqual(batch.labels);
    // …while perturbing one informative coordinate changes some.
    const moved = batch.inputs.slice();
    for (let n = 0; n < 300; n++) moved[n * 12 + informative[0]] = fresh[n * 12 + informative[0]];
    expect(task.teacher(moved, 300)).not.toEqual(batch.labels);
    const counts = new Array(4).fill(0);
    for (const y of batch.labels!) counts[y]++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  test('relu teacher, binary classes, label noise and Gaussian inputs', () => {
    const clean = syntheticTask({ count: 2000, features: 10, informative: 2, teacher: 'relu', seed: 3 });
    const noisy = syntheticTask({
      count: 2000,
      features: 10,
      informative: 2,
      teacher: 'relu',
      seed: 3,
      labelNoise: 0.2,
    });
    let flips = 0;
    for (let n = 0; n < 2000; n++) if (clean.batch.labels![n] !== noisy.batch.labels![n]) flips++;
    expect(flips / 2000).toBeGreaterThan(0.15);
    expect(flips / 2000).toBeLessThan(0.25);
    const g = gaussianInputs(1000, 5, { seed: 1, std: 2 });
    let ss = 0;
    for (const v of g.inputs) ss += v * v;
    expect(Math.sqrt(ss / 5000)).toBeCloseTo(2, 1);
    expect(() => syntheticTask({ count: 10, features: 3, informative: 4 })).toThrow(/informative/);
    expect(() => syntheticTask({ count: 10, features: 3, informative: 2, classes: 1 })).toThrow(/classes/);
  });

  test('batch slicing and row selection', () => {
    const { batch } = syntheticTask({ count: 10, features: 3, informative: 1, seed: 0 });
    const s = sliceBatch(batch, 2, 3);
    expect(s.inputs).toEqual(batch.inputs.slice(6, 15));
    expect(s.labels).toEqual(batch.labels!.slice(2, 5));
    const r = selectRows(batch, [9, 0]);
    expect(r.labels).toEqual(Int32Array.from([batch.labels![9], batch.labels![0]]));
    expect(() => selectRows(batch, [10])).toThrow(/rows\[0\]/);
  });
});
