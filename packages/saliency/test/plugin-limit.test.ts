import { Rng } from '@graphon-pai/core';
import { type Batch, Mlp, predict } from '@graphon-pai/nets';
import {
  type CriterionContext,
  graspScores,
  magnitudeScores,
  FreshNeurons,
  neuronScorer,
  PLUGIN_CHUNK,
  pairedZeroOutput,
  type PluginCriterion,
  pluginLimit,
  snipScores,
  synflowScores,
} from '../src';
import { randomBatch, useCpu } from './helpers';

beforeAll(useCpu);

const d = 12;
const K = 3;
const n = 24;
const T = 5;

function setup(seed = 1): { net: Mlp; batch: Batch } {
  const net = Mlp.create({ widths: [d, n, K], init: 'kaiming-normal', seed });
  return { net, batch: randomBatch(40, d, K, seed + 10) };
}

const ctxOf = (net: Mlp, batch: Batch, criterion: PluginCriterion): CriterionContext => ({
  network: net,
  data: batch,
  rng: new Rng(0),
  options: criterion.startsWith('grasp') ? { temperature: T, samplesPerClass: 0 } : undefined,
});

/** The network's own neurons: rows of W and columns of A (as rows). */
function ownNeurons(net: Mlp): { w: Float32Array; a: Float32Array } {
  const a = new Float32Array(n * K);
  const A = net.weight(1);
  for (let j = 0; j < n; j++) for (let k = 0; k < K; k++) a[j * K + k] = A[k * n + j];
  return { w: net.weight(0).slice(), a };
}

function maxRelative(ours: Float32Array, ref: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / scale);
  return worst;
}

describe("the neuron scorer applied to the network's own neurons is the criterion", () => {
  let net: Mlp;
  let batch: Batch;
  let w: Float32Array;
  let a: Float32Array;
  beforeAll(() => {
    ({ net, batch } = setup());
    ({ w, a } = ownNeurons(net));
  });
  const cases: [PluginCriterion, () => Float32Array][] = [
    ['magnitude', () => magnitudeScores(net).get('0.weight')!.scores],
    ['snip', () => snipScores(net, batch).get('0.weight')!.scores],
    ['grasp', () => graspScores(net, batch, { temperature: T, samplesPerClass: 0 }).get('0.weight')!.scores],
    [
      'grasp-magnitude',
      () =>
        graspScores(net, batch, { temperature: T, samplesPerClass: 0, variant: 'magnitude' }).get('0.weight')!
          .scores,
    ],
  ];
  test.each(cases)('%s: equal to 1e-5 of the largest score', (criterion, expected) => {
    const out = new Float32Array(n * d);
    neuronScorer(criterion, ctxOf(net, batch, criterion)).score(w, a, n, new Rng(0), out);
    expect(maxRelative(out, expected())).toBeLessThan(1e-5);
  });
  test('synflow: proportional to single-shot SynFlow (one global factor)', () => {
    const out = new Float32Array(n * d);
    neuronScorer('synflow', ctxOf(net, batch, 'synflow')).score(w, a, n, new Rng(0), out);
    const ref = synflowScores(net).get('0.weight')!.scores;
    const factor = ref[0] / out[0];
    expect(
      maxRelative(
        out.map((v) => v * factor),
        ref,
      ),
    ).toBeLessThan(1e-5);
  });
});

/**
 * Independent float64 reference: the network's signal (r, and GraSP's u = ∂²L/∂f² · R{f}) from plain loops,
 * then every fresh neuron's score from its definition.
 */
function referenceScores(
  criterion: PluginCriterion,
  net: Mlp,
  batch: Batch,
  w: Float32Array,
  a: Float32Array,
  count: number,
) {
  const W = net.weight(0);
  const A = net.weight(1);
  const B = batch.count;
  const x = (b: number, i: number) => batch.inputs[b * d + i];
  const grasp = criterion !== 'snip';
  const temp = grasp ? T : 1;
  const z = new Float64Array(B * n);
  const f = new Float64Array(B * K);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += W[j * d + i] * x(b, i);
      z[b * n + j] = s;
    }
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[k * n + j] * Math.max(0, z[b * n + j]);
      f[b * K + k] = s;
    }
  }
  const p = new Float64Array(B * K);
  const r = new Float64Array(B * K);
  for (let b = 0; b < B; b++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, f[b * K + k] / temp);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(f[b * K + k] / temp - max);
    for (let k = 0; k < K; k++) {
      p[b * K + k] = Math.exp(f[b * K + k] / temp - max) / sum;
      r[b * K + k] = (p[b * K + k] - (batch.labels![b] === k ? 1 : 0)) / (B * temp);
    }
  }
  const u = new Float64Array(B * K);
  if (grasp) {
    // Network gradient g0 (n × d), g1 (K × n); q = directional derivative of f along (g0, g1).
    const g0 = new Float64Array(n * d);
    const g1 = new Float64Array(K * n);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < n; j++) {
        const h = Math.max(0, z[b * n + j]);
        let back = 0;
        for (let k = 0; k < K; k++) {
          g1[k * n + j] += r[b * K + k] * h;
          back += r[b * K + k] * A[k * n + j];
        }
        if (z[b * n + j] > 0) for (let i = 0; i < d; i++) g0[j * d + i] += back * x(b, i);
      }
    }
    for (let b = 0; b < B; b++) {
      const q = new Float64Array(K);
      for (let j = 0; j < n; j++) {
        const h = Math.max(0, z[b * n + j]);
        let rz = 0;
        for (let i = 0; i < d; i++) rz += g0[j * d + i] * x(b, i);
        const ra = z[b * n + j] > 0 ? rz : 0;
        for (let k = 0; k < K; k++) q[k] += A[k * n + j] * ra + g1[k * n + j] * h;
      }
      let pq = 0;
      for (let k = 0; k < K; k++) pq += p[b * K + k] * q[k];
      for (let k = 0; k < K; k++) u[b * K + k] = (p[b * K + k] * (q[k] - pq)) / (B * temp * temp);
    }
  }
  const out = new Float64Array(count * d);
  for (let j = 0; j < count; j++) {
    const zj = new Float64Array(B);
    const gamma = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < d; i++) zj[b] += w[j * d + i] * x(b, i);
      for (let k = 0; k < K; k++) gamma[k] += r[b * K + k] * Math.max(0, zj[b]);
    }
    const grad = new Float64Array(d);
    for (let b = 0; b < B; b++) {
      if (!(zj[b] > 0)) continue;
      let c = 0;
      for (let k = 0; k < K; k++) {
        c += grasp ? u[b * K + k] * a[j * K + k] + r[b * K + k] * gamma[k] : r[b * K + k] * a[j * K + k];
      }
      for (let i = 0; i < d; i++) grad[i] += c * x(b, i);
    }
    for (let i = 0; i < d; i++) {
      const s = w[j * d + i] * grad[i];
      out[j * d + i] = criterion === 'grasp' ? s : Math.abs(s);
    }
  }
  return out;
}

describe('pluginLimit: streaming exact top-k equals a dense float64 computation', () => {
  const N = 4 * PLUGIN_CHUNK + 137; // beyond the pilot, with a partial last chunk
  test.each(['snip', 'grasp', 'grasp-magnitude'] as PluginCriterion[])('%s', (criterion) => {
    const { net, batch } = setup(2);
    const ctx = ctxOf(net, batch, criterion);
    const density = 0.1;
    const limit = pluginLimit(neuronScorer(criterion, ctx), net, { density, referenceWidth: N, seed: 7 });
    const k = Math.round(density * N * d);
    expect(limit.mask.nnz()).toBe(k);
    // The fresh neurons, regenerated from the documented stream.
    const root = new Rng(7).fork('plugin-limit');
    const ref = new Float64Array(N * d);
    for (let c = 0; c * PLUGIN_CHUNK < N; c++) {
      const count = Math.min(PLUGIN_CHUNK, N - c * PLUGIN_CHUNK);
      const rng = root.fork(c);
      const zw = rng.normalArray(count * d, 0, 1, new Float32Array(count * d));
      const za = rng.normalArray(count * K, 0, 1, new Float32Array(count * K));
      const w = Float32Array.from(zw, (v) => limit.law.weightStd * v);
      const a = Float32Array.from(za, (v) => limit.law.readoutStd * v);
      ref.set(referenceScores(criterion, net, batch, w, a, count), c * PLUGIN_CHUNK * d);
    }
    expect(limit.law.readoutStd).toBeCloseTo(Math.SQRT2 / Math.sqrt(n), 12);
    const order = Array.from(ref.keys()).sort((x, y) => ref[y] - ref[x] || x - y);
    const tau = ref[order[k - 1]];
    // Entries may differ only where float32 rounding can swap the order: within 1e-4 relative of τ.
    let differ = 0;
    let nearTau = 0;
    for (let q = 0; q < ref.length; q++) {
      const near = Math.abs(ref[q] - tau) <= 1e-4 * Math.abs(tau);
      if (near) nearTau++;
      const inRef = ref[q] > tau || (ref[q] === tau && q <= order[k - 1]);
      if (inRef !== limit.mask.get(Math.floor(q / d), q % d)) {
        expect(near).toBe(true);
        differ++;
      }
    }
    expect(differ).toBeLessThanOrEqual(nearTau);
    expect(Math.abs(limit.threshold - tau)).toBeLessThanOrEqual(1e-4 * Math.abs(tau));
  });
});

describe('pluginLimit: random and magnitude are wide masks of the same kind', () => {
  let net: Mlp;
  let batch: Batch;
  beforeAll(() => ({ net, batch } = setup(3)));
  test('random: exactly k ones, the same mask for the same seed, another for another seed', () => {
    const scorer = neuronScorer('random', ctxOf(net, batch, 'random'));
    const one = pluginLimit(scorer, net, { density: 0.25, referenceWidth: 3000, seed: 1 });
    const again = pluginLimit(scorer, net, { density: 0.25, referenceWidth: 3000, seed: 1 });
    const other = pluginLimit(scorer, net, { density: 0.25, referenceWidth: 3000, seed: 2 });
    expect(one.mask.nnz()).toBe(Math.round(0.25 * 3000 * d));
    expect(one.mask.equals(again.mask)).toBe(true);
    expect(one.mask.equals(other.mask)).toBe(false);
    expect(one.threshold).toBeCloseTo(0.75, 1);
  });
  test('magnitude: the threshold is the half-normal quantile of the Kaiming law', () => {
    const limit = pluginLimit(neuronScorer('magnitude', ctxOf(net, batch, 'magnitude')), net, {
      density: 0.3173105,
      referenceWidth: 20000,
    });
    // P(|w| ≥ σ) = 0.3173105 for w ~ N(0, σ²): the threshold is σ to sampling error (≈ 0.4 %).
    expect(Math.abs(limit.threshold / limit.law.weightStd - 1)).toBeLessThan(0.02);
  });
});

test('shared, cached FreshNeurons give the same limit as the default stream', () => {
  const { net, batch } = setup(6);
  const scorer = neuronScorer('snip', ctxOf(net, batch, 'snip'));
  const N = 2 * PLUGIN_CHUNK + 5;
  const plain = pluginLimit(scorer, net, { density: 0.2, referenceWidth: N, seed: 'x' });
  const neurons = new FreshNeurons('x', N, d, K, 2 ** 24);
  const first = pluginLimit(scorer, net, { density: 0.2, referenceWidth: N, neurons });
  const again = pluginLimit(scorer, net, { density: 0.2, referenceWidth: N, neurons });
  expect(first.mask.equals(plain.mask)).toBe(true);
  expect(again.mask.equals(plain.mask)).toBe(true);
  expect(() => pluginLimit(scorer, net, { density: 0.2, referenceWidth: N + 1, neurons })).toThrow(/neurons/);
  net.dispose();
});

describe('pluginLimit: bad input', () => {
  let net: Mlp;
  let batch: Batch;
  beforeAll(() => ({ net, batch } = setup(4)));
  const scorer = () => neuronScorer('snip', ctxOf(net, batch, 'snip'));
  test('a reference width that does not fit the memory budget is a clear error', () => {
    expect(() =>
      pluginLimit(scorer(), net, { density: 0.1, referenceWidth: 1e6, memoryBytes: 2 ** 20 }),
    ).toThrow(/referenceWidth.*fits the memory budget/s);
  });
  test('a criterion without a neuron scorer is rejected, naming the fallback', () => {
    expect(() => neuronScorer('acme' as PluginCriterion, ctxOf(net, batch, 'snip'))).toThrow(
      /wide-mask fallback/,
    );
  });
  test('a network from another initialisation needs an explicit law', () => {
    const other = Mlp.create({ widths: [d, n, K], init: 'xavier-normal', seed: 1 });
    const s = neuronScorer('snip', ctxOf(other, batch, 'snip'));
    expect(() => pluginLimit(s, other, { density: 0.1, referenceWidth: 100 })).toThrow(/law/);
    other.dispose();
  });
});

describe('pairedZeroOutput', () => {
  test('the output vanishes (to float32 summation order) and SNIP rows come in identical pairs', () => {
    const net = Mlp.create({ widths: [d, n, K], init: 'kaiming-normal', seed: 5 });
    const paired = pairedZeroOutput(net);
    const batch = randomBatch(30, d, K, 6);
    const f = predict(paired, batch);
    expect(Math.max(...Array.from(f, Math.abs))).toBeLessThan(1e-6);
    // Neuron j + n/2 = (w_j, −a_j).
    expect(Array.from(paired.weight(0).subarray((n / 2) * d, (n / 2 + 1) * d))).toEqual(
      Array.from(net.weight(0).subarray(0, d)),
    );
    expect(paired.weight(1)[n / 2]).toBe(-net.weight(1)[0]);
    // SNIP of the pair: identical rows.
    const s = snipScores(paired, batch).get('0.weight')!.scores;
    expect(Array.from(s.subarray((n / 2) * d, (n / 2 + 1) * d))).toEqual(Array.from(s.subarray(0, d)));
    net.dispose();
    paired.dispose();
  });
  test('odd widths and non-zero biases are refused', () => {
    const odd = Mlp.create({ widths: [d, 5, K], seed: 1 });
    expect(() => pairedZeroOutput(odd)).toThrow(/even hidden width/);
    const biased = Mlp.create({ widths: [d, 6, K], init: 'pytorch-default', seed: 1 });
    expect(() => pairedZeroOutput(biased)).toThrow(/zero biases/);
    odd.dispose();
    biased.dispose();
  });
});
