import { Rng } from '@graphon-pai/core';
import { type Batch, Mlp, selectRows } from '@graphon-pai/nets';
import { maxRelativeError as maxRel } from '@graphon-pai/test-utils';
import { classBalancedBatch, graspScores, randomScores, snipScores } from '../src';
import { randomBatch, smallNet, useCpu } from './helpers';

beforeAll(useCpu);

function concat(a: Batch, b: Batch): Batch {
  const inputs = new Float32Array(a.inputs.length + b.inputs.length);
  inputs.set(a.inputs);
  inputs.set(b.inputs, a.inputs.length);
  const labels = new Int32Array(a.count + b.count);
  labels.set(a.labels!);
  labels.set(b.labels!, a.count);
  return { inputs, count: a.count + b.count, features: a.features, labels, classes: a.classes };
}

test('SNIP and GraSP over two equal batches equal one concatenated batch (gradients and Hg averaged)', () => {
  const net = smallNet();
  const b1 = randomBatch(8, 7, 4, 1);
  const b2 = randomBatch(8, 7, 4, 2);
  const both = concat(b1, b2);
  const s2 = snipScores(net, [b1, b2]);
  const s1 = snipScores(net, both);
  const g2 = graspScores(net, [b1, b2], { samplesPerClass: 0, temperature: 3 });
  const g1 = graspScores(net, both, { samplesPerClass: 0, temperature: 3 });
  for (const name of s1.keys()) {
    expect(maxRel(s2.get(name)!.scores, s1.get(name)!.scores)).toBeLessThan(1e-5);
    expect(maxRel(g2.get(name)!.scores, g1.get(name)!.scores)).toBeLessThan(1e-5);
  }
  net.dispose();
});

test('GraSP samples the first samplesPerClass examples of each class in data order (default 10)', () => {
  const b = randomBatch(40, 7, 4, 3);
  const picked = classBalancedBatch([sliceHalf(b, 0), sliceHalf(b, 1)], 3, 4);
  expect(picked.count).toBe(12);
  const expectedRows: number[] = [];
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 40; i++) if (counts[b.labels![i]]++ < 3) expectedRows.push(i);
  expect(picked.labels).toEqual(selectRows(b, expectedRows).labels);
  expect(picked.inputs).toEqual(selectRows(b, expectedRows).inputs);
  const net = smallNet();
  // Defaults (samplesPerClass 10, temperature 200) equal an explicit class-balanced selection.
  const defaults = graspScores(net, b);
  const explicit = graspScores(net, selectRows(b, firstPerClass(b, 10)), {
    samplesPerClass: 0,
    temperature: 200,
  });
  for (const name of defaults.keys())
    expect(maxRel(defaults.get(name)!.scores, explicit.get(name)!.scores)).toBeLessThan(1e-5);
  net.dispose();
});

function sliceHalf(b: Batch, half: number): Batch {
  const rows = Array.from({ length: 20 }, (_, i) => i + 20 * half);
  return selectRows(b, rows);
}

function firstPerClass(b: Batch, k: number): number[] {
  const counts = new Array(b.classes!).fill(0);
  const rows: number[] = [];
  for (let i = 0; i < b.count; i++) if (counts[b.labels![i]]++ < k) rows.push(i);
  return rows;
}

test('normalize divides by the total (SNIP) and |total| (GraSP) without changing the ranking', () => {
  const net = smallNet();
  const b = randomBatch(12, 7, 4, 4);
  for (const [raw, norm] of [
    [snipScores(net, b), snipScores(net, b, { normalize: true })],
    [
      graspScores(net, b, { samplesPerClass: 0 }),
      graspScores(net, b, { samplesPerClass: 0, normalize: true }),
    ],
  ]) {
    let total = 0;
    for (const { scores } of raw.values()) for (const v of scores) total += v;
    let sum = 0;
    for (const [name, { scores }] of norm) {
      const r = raw.get(name)!.scores;
      for (let q = 0; q < scores.length; q++) {
        expect(scores[q]).toBeCloseTo(r[q] / Math.abs(total), 6);
        sum += scores[q];
      }
    }
    expect(Math.abs(sum)).toBeCloseTo(1, 5);
  }
  net.dispose();
});

test('random scores are U(0, 1], depend only on the seed and the layer name', () => {
  const net = Mlp.create({ widths: [100, 200, 3], seed: 0 });
  const a = randomScores(net, new Rng(1)).get('0.weight')!.scores;
  let mean = 0;
  let min = 1;
  for (const v of a) {
    mean += v / a.length;
    min = Math.min(min, v);
  }
  expect(min).toBeGreaterThan(0);
  expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  const rng = new Rng(1);
  rng.uniform(); // draws from the parent stream do not change the scores
  expect(randomScores(net, rng).get('0.weight')!.scores).toEqual(a);
  expect(randomScores(net, new Rng(2)).get('0.weight')!.scores).not.toEqual(a);
  net.dispose();
});
