import { BitMatrix, Rng, StepGraphon, UnsupportedError } from '@graphon-pai/core';
import { expressionGraphon } from '@graphon-pai/expressions';
import { lossGradients, Mlp, predict } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  empiricalNtk,
  graphonNtk,
  type MaskedOneHiddenLayer,
  maskedNetworkFromMlp,
  sampleMaskedNetwork,
} from '../src';
import { relErr } from './helpers';

function randomX(rng: Rng, rows: number, cols: number) {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => rng.normal()) };
}

/** f(x) of the masked network in float64, straight from the definition. */
function forward(
  net: MaskedOneHiddenLayer,
  omega: Float64Array,
  a: Float64Array,
  x: Float64Array,
  row: number,
): number {
  const { inputs: d, hidden: n } = net;
  const s = (net.sigmaW ?? 1) / Math.sqrt(d);
  let f = 0;
  for (let j = 0; j < n; j++) {
    let h = 0;
    for (let i = 0; i < d; i++) if (!net.mask || net.mask.get(j, i)) h += omega[j * d + i] * x[row * d + i];
    f += a[j] * Math.max(0, s * h);
  }
  return f / Math.sqrt(n);
}

describe('empiricalNtk', () => {
  it('equals J Jᵀ from central finite differences over every trainable (kept) parameter', () => {
    const rng = new Rng(21);
    const d = 4;
    const n = 6;
    const m = 3;
    const x = randomX(rng, m, d);
    const mask = BitMatrix.from(n, d, () => rng.uniform() < 0.6);
    const net: MaskedOneHiddenLayer = {
      inputs: d,
      hidden: n,
      firstWeights: Float64Array.from({ length: n * d }, () => rng.normal()),
      outputWeights: Float64Array.from({ length: n }, () => rng.normal()),
      mask,
      sigmaW: 1.4,
    };
    const omega = Float64Array.from(net.firstWeights);
    const a = Float64Array.from(net.outputWeights);
    const params: { arr: Float64Array; idx: number }[] = [];
    for (let p = 0; p < n * d; p++)
      if (mask.get(Math.floor(p / d), p % d)) params.push({ arr: omega, idx: p });
    for (let j = 0; j < n; j++) params.push({ arr: a, idx: j });
    const h = 1e-6;
    const jac = new Float64Array(m * params.length);
    params.forEach(({ arr, idx }, q) => {
      const keep = arr[idx];
      for (let r = 0; r < m; r++) {
        arr[idx] = keep + h;
        const up = forward(net, omega, a, x.data, r);
        arr[idx] = keep - h;
        const down = forward(net, omega, a, x.data, r);
        jac[r * params.length + q] = (up - down) / (2 * h);
      }
      arr[idx] = keep;
    });
    const fd = new Float64Array(m * m);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let q = 0; q < params.length; q++) s += jac[r * params.length + q] * jac[c * params.length + q];
        fd[r * m + c] = s;
      }
    }
    expect(relErr(empiricalNtk(x, net).data, fd)).toBeLessThan(1e-7);
  });

  it.each(['ntk', 'standard'] as const)(
    'matches the exact gradients of @graphon-pai/nets (%s parametrisation, float32) and leaks no tensors',
    async (parametrization) => {
      await tf.setBackend('cpu');
      const before = tf.memory().numTensors;
      const rng = new Rng(4);
      const d = 7;
      const n = 16;
      const m = 5;
      const x = randomX(rng, m, d);
      const mask = BitMatrix.from(n, d, () => rng.uniform() < 0.5);
      const w1 = Float32Array.from(
        { length: n * d },
        () => rng.normal() * (parametrization === 'ntk' ? 1 : 0.3),
      );
      const w2 = Float32Array.from(
        { length: n },
        () => rng.normal() * (parametrization === 'ntk' ? 1 : 0.25),
      );
      const mlp = Mlp.fromParameters(
        { widths: [d, n, 1], activation: 'relu', bias: false, parametrization, sigmaW: 1.3 },
        [{ weight: w1 }, { weight: w2 }],
      );
      const networkMask = new Map([[mlp.layers[0].weightName, mask]]);
      const rows: Float64Array[] = [];
      for (let r = 0; r < m; r++) {
        const inputs = Float32Array.from(x.data.subarray(r * d, (r + 1) * d));
        const z = predict(mlp, { inputs, count: 1, features: d }, { mask: networkMask })[0];
        // mse with one sample and one output: ∂L/∂θ = 2 (z − t) ∂f/∂θ, so t = z − ½ gives ∂f/∂θ.
        const g = lossGradients(
          mlp,
          { inputs, count: 1, features: d, targets: Float32Array.of(z - 0.5) },
          { mask: networkMask, loss: 'mse' },
        );
        rows.push(Float64Array.from([...g.weights[0], ...g.weights[1]]));
      }
      const ours = empiricalNtk(x, maskedNetworkFromMlp(mlp, networkMask));
      mlp.dispose();
      const ref = new Float64Array(m * m);
      for (let r = 0; r < m; r++)
        for (let c = 0; c < m; c++) ref[r * m + c] = rows[r].reduce((s, v, q) => s + v * rows[c][q], 0);
      expect(relErr(ours.data, ref)).toBeLessThan(2e-5);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('maskedNetworkFromMlp rejects networks outside the closed form', () => {
    const deep = Mlp.create({ widths: [3, 4, 4, 1], bias: false, seed: 1 });
    expect(() => maskedNetworkFromMlp(deep)).toThrow(UnsupportedError);
    deep.dispose();
    const biased = Mlp.fromParameters({ widths: [2, 2, 1] }, [
      { weight: Float32Array.of(1, 2, 3, 4), bias: Float32Array.of(0.5, 0) },
      { weight: Float32Array.of(1, 1), bias: Float32Array.of(0) },
    ]);
    expect(() => maskedNetworkFromMlp(biased)).toThrow(/bias/);
    biased.dispose();
  });

  it('approaches the Graphon-NTK of a 0/1 graphon as the width grows (error ≈ 1/√n)', () => {
    const w = StepGraphon.uniformBlocks(2, 3, [1, 1, 0, 0, 1, 1]);
    const x = randomX(new Rng(8), 10, 12);
    const target = graphonNtk(x, w);
    const err = (n: number) =>
      relErr(empiricalNtk(x, sampleMaskedNetwork(w, { inputs: 12, hidden: n, seed: n })).data, target.data);
    const e64 = err(64);
    const e4096 = err(4096);
    expect(e4096).toBeLessThan(e64 / 3);
    expect(e4096).toBeLessThan(0.06);
  });

  it('with a fractional graphon: Θ → E_weights Θ = graphonNtk(x, mask) as n grows, and that → graphonNtk(x, W) as n_in grows', () => {
    const w = expressionGraphon('min(1, 0.2 + 0.7*(u < 0.5)*(v < 0.5) + 0.3*v)');
    // Width: fixed mask row law, growing number of neurons.
    const x = randomX(new Rng(9), 8, 16);
    const errWidth = (n: number) => {
      const net = sampleMaskedNetwork(w, { inputs: 16, hidden: n, seed: 100 + n });
      return relErr(empiricalNtk(x, net).data, graphonNtk(x, net.mask!).data);
    };
    expect(errWidth(2048)).toBeLessThan(errWidth(64) / 3);
    // Input dimension: the mask's Bernoulli noise on Σ_u vanishes (bias O(1/n_in), noise O(1/√(n·n_in))).
    // The same graphon as a plain function: mathjs-free sampling keeps this test fast.
    const wf = {
      value: (u: number, v: number) => Math.min(1, 0.2 + (u < 0.5 && v < 0.5 ? 0.7 : 0) + 0.3 * v),
    };
    const errDim = (d: number) => {
      const xd = randomX(new Rng(d), 8, d);
      const net = sampleMaskedNetwork(wf, { inputs: d, hidden: 1024, seed: d });
      const exact = graphonNtk(xd, wf, { rowNodes: 1024, rowQuadrature: 'midpoint' });
      return relErr(graphonNtk(xd, net.mask!).data, exact.data);
    };
    const e16 = errDim(16);
    const e256 = errDim(256);
    expect(e256).toBeLessThan(e16 / 3);
    expect(e256).toBeLessThan(0.02);
  });

  it('rejects mismatched shapes', () => {
    const net = sampleMaskedNetwork(expressionGraphon('0.5'), { inputs: 4, hidden: 8, seed: 1 });
    expect(() => empiricalNtk({ rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6] }, net)).toThrow(/x.cols/);
    expect(() =>
      empiricalNtk({ rows: 1, cols: 4, data: [1, 2, 3, 4] }, { ...net, outputWeights: [1] }),
    ).toThrow(/outputWeights/);
  });
});
