import { Rng } from '@graphon-pai/core';
import { Mlp, syntheticTask } from '@graphon-pai/nets';
import { fsmFactors, magnitudeScores, snipScores, synflowScores } from '../src';
import { useCpu } from './helpers';

beforeAll(useCpu);

const d = 40;
const k = 4;

function columnMeans(scores: Float32Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) out[i] += scores[j * cols + i] / rows;
  return out;
}

function ratio(cols: Float64Array, informative: Uint32Array): number {
  const set = new Set(informative);
  let a = 0;
  let b = 0;
  for (let i = 0; i < cols.length; i++) {
    if (set.has(i)) a += cols[i];
    else b += cols[i];
  }
  return a / informative.length / (b / (cols.length - informative.length));
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

test('SNIP concentrates on the informative coordinates of the synthetic task; magnitude and SynFlow do not', () => {
  const { batch, informative } = syntheticTask({
    count: 512,
    features: d,
    informative: k,
    classes: 2,
    seed: 3,
    shuffleCoordinates: true,
  });
  const net = Mlp.create({ widths: [d, 256, 2], activation: 'relu', seed: 1 });
  const snip = columnMeans(snipScores(net, batch).get('0.weight')!.scores, 256, d);
  const mag = columnMeans(magnitudeScores(net).get('0.weight')!.scores, 256, d);
  const syn = columnMeans(synflowScores(net).get('0.weight')!.scores, 256, d);
  expect(ratio(snip, informative)).toBeGreaterThan(3);
  expect(ratio(mag, informative)).toBeGreaterThan(0.9);
  expect(ratio(mag, informative)).toBeLessThan(1.1);
  expect(ratio(syn, informative)).toBeGreaterThan(0.9);
  expect(ratio(syn, informative)).toBeLessThan(1.1);
  // The k columns SNIP ranks highest are mostly informative (one teacher weight may be small).
  const top = [...snip.keys()].sort((a, b) => snip[b] - snip[a]).slice(0, k);
  expect(top.filter((i) => informative.includes(i)).length).toBeGreaterThanOrEqual(k - 1);
  net.dispose();
});

test('FSM view of SNIP (one output, mean-field): B picks the informative inputs and A·B·|w| tracks the scores', () => {
  const { batch, informative } = syntheticTask({
    count: 512,
    features: d,
    informative: k,
    classes: 2,
    seed: 5,
  });
  const targets = Float32Array.from(batch.labels!, (y) => 2 * y - 1);
  const data = { ...batch, targets };
  // A small read-out (f ≈ 0 at initialisation) so that the residual r ≈ −y carries the teacher's signal.
  const init = Mlp.create({ widths: [d, 256, 1], activation: 'relu', seed: 2 });
  const net = Mlp.fromParameters(init.config, [
    { weight: init.weight(0), bias: init.bias(0) },
    { weight: init.weight(1).map((v) => v * 0.05), bias: init.bias(1) },
  ]);
  init.dispose();
  const f = fsmFactors('snip', { network: net, data, loss: 'mse', rng: new Rng(0) });
  expect(f.method).toBe('mean-field');
  expect(ratio(f.colFactor, informative)).toBeGreaterThan(3);
  const s = snipScores(net, data, { loss: 'mse' }).get('0.weight')!.scores;
  const w = net.weight(0);
  // The factors predict the degree profiles the graphon limit is built from: row and column means of s
  // against those of A_j · B_i · |w_ji|.
  const rowActual: number[] = [];
  const rowModel: number[] = [];
  const colActual = new Array<number>(d).fill(0);
  const colModel = new Array<number>(d).fill(0);
  for (let j = 0; j < 256; j++) {
    let ra = 0;
    let rm = 0;
    for (let i = 0; i < d; i++) {
      const q = j * d + i;
      const model = f.rowFactor[j] * f.colFactor[i] * Math.abs(w[q]);
      ra += s[q];
      rm += model;
      colActual[i] += s[q];
      colModel[i] += model;
    }
    rowActual.push(ra);
    rowModel.push(rm);
  }
  expect(pearson(rowActual, rowModel)).toBeGreaterThan(0.9);
  expect(pearson(colActual, colModel)).toBeGreaterThan(0.9);
  net.dispose();
});

test('FSM view: SynFlow is exact with A_j = Σ_k |a_kj| and B ≡ 1; random and magnitude are homogeneous', () => {
  const net = Mlp.create({ widths: [6, 9, 3], seed: 4 });
  const ctx = { network: net, rng: new Rng(0) };
  const f = fsmFactors('synflow', ctx);
  const a = net.weight(1);
  for (let j = 0; j < 9; j++) {
    const colSum = Math.abs(a[j]) + Math.abs(a[9 + j]) + Math.abs(a[18 + j]);
    expect(f.rowFactor[j]).toBeCloseTo(colSum, 5);
  }
  expect([...f.colFactor].every((b) => b === 1)).toBe(true);
  const s = synflowScores(net).get('0.weight')!.scores;
  const w = net.weight(0);
  for (let q = 0; q < s.length; q++)
    expect(s[q]).toBeCloseTo(f.rowFactor[Math.floor(q / 6)] * Math.abs(w[q]), 5);
  for (const c of ['random', 'magnitude'] as const) {
    const g = fsmFactors(c, ctx);
    expect([...g.rowFactor, ...g.colFactor].every((v) => v === 1)).toBe(true);
    expect(g.noise).toBe(c === 'random' ? 'uniform' : 'abs-weight');
  }
  net.dispose();
});

test('FSM view of SNIP and GraSP with several outputs: rank-one fits that pick the informative inputs', () => {
  const { batch, informative } = syntheticTask({
    count: 400,
    features: d,
    informative: k,
    classes: 3,
    seed: 8,
  });
  const net = Mlp.create({ widths: [d, 128, 3], activation: 'relu', seed: 6 });
  const snip = fsmFactors('snip', { network: net, data: batch, rng: new Rng(0) });
  expect(snip.method).toBe('rank-one-fit');
  expect(ratio(snip.colFactor, informative)).toBeGreaterThan(2);
  const grasp = fsmFactors('grasp-magnitude', {
    network: net,
    data: batch,
    rng: new Rng(0),
    options: { samplesPerClass: 0, temperature: 1 },
  });
  expect(grasp.colFactor.length).toBe(d);
  expect(grasp.rowFactor.length).toBe(128);
  expect(ratio(grasp.colFactor, informative)).toBeGreaterThan(1.5);
  net.dispose();
});

test('the FSM view rejects deeper networks', () => {
  const net = Mlp.create({ widths: [4, 5, 5, 2], seed: 0 });
  expect(() => fsmFactors('synflow', { network: net, rng: new Rng(0) })).toThrow(/one-hidden-layer/);
  net.dispose();
});
