import { gaussianInputs, syntheticTask } from '../src/data/synthetic';
import { selectRows, sliceBatch } from '../src/data/batch';

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
