/**
 * The five built-in criteria on convolutional networks, checked against definitions computed independently:
 * SNIP against the network's exact gradients, GraSP's H g against central differences of the gradient,
 * SynFlow against R evaluated by the network's own forward pass (finite differences in R, and the
 * conservation law: every layer's scores sum to R), random / magnitude by their formulas; and every
 * criterion through the registry on LeNet-5.
 */
import { registry, Rng } from '@graphon-pai/core';
import { type Batch, ConvNet, convLossGradients, convPredict } from '@graphon-pai/nets';
import { maxRelativeError as maxRel } from '@graphon-pai/test-utils';
import type { CriterionContext } from '../src/context';
import { graspScores } from '../src/grasp';
import { magnitudeScores } from '../src/magnitude';
import { randomScores } from '../src/random';
import { registerBuiltinCriteria } from '../src/register';
import { snipScores } from '../src/snip';
import { synflowDetailed } from '../src/synflow';
import { randomBatch, randomMask, useCpu } from './helpers';

beforeAll(useCpu);

const SMOOTH = 'input 2x6x6 | f: conv(3,3,padding=1) tanh avgpool(2) conv(4,2) tanh | c: linear(3)';
const POOLED =
  'input 1x8x8 | f: conv(3,3) relu avgpool(2) conv(2,2,bias=false) relu | c: linear(4) relu linear(3)';

/** A copy of `net` with other weights (biases kept or replaced). */
function withWeights(net: ConvNet, weights: Float32Array[], biases?: (Float32Array | null)[]): ConvNet {
  const params = new Map<string, Float32Array>();
  for (const l of net.layers) {
    params.set(l.weightName, weights[l.index]);
    if (l.biasName) params.set(l.biasName, biases?.[l.index] ?? net.bias(l.index)!);
  }
  return ConvNet.fromStateDict(net.spec, params);
}

describe('criteria on a conv network', () => {
  const net = ConvNet.create({ spec: SMOOTH, seed: 5 });
  const batches: Batch[] = [randomBatch(6, 72, 3, 1), randomBatch(6, 72, 3, 2)];
  const mask = randomMask(net, 0.6, 3);

  test('random and magnitude: formulas, shapes with [out, in, kh, kw], pruned weights score 0', () => {
    const mag = magnitudeScores(net, mask);
    const rnd = randomScores(net, new Rng(0), mask);
    for (const l of net.layers) {
      const dense = mask.get(l.weightName)!.toDense();
      expect(mag.get(l.weightName)!.shape).toEqual(l.shape);
      const w = net.weight(l.index);
      mag.get(l.weightName)!.scores.forEach((s, q) => expect(s).toBe(dense[q] ? Math.abs(w[q]) : 0));
      rnd
        .get(l.weightName)!
        .scores.forEach((s, q) => expect(dense[q] ? s > 0 && s <= 1 : s === 0).toBe(true));
    }
    expect(mag.get('f.0.weight')!.shape.tensorShape).toEqual([3, 2, 3, 3]);
  });

  test('SNIP = |W ⊙ mean_b ∂L_b/∂Ŵ| ⊙ M with the exact gradients', () => {
    const s = snipScores(net, batches, { mask });
    const g = batches.map((b) => convLossGradients(net, b, { mask }).weights);
    for (const l of net.layers) {
      const w = net.weight(l.index);
      const want = w.map((v, q) => Math.abs((v * (g[0][l.index][q] + g[1][l.index][q])) / 2));
      expect(maxRel(s.get(l.weightName)!.scores, want)).toBeLessThan(1e-6);
    }
  });

  test('GraSP: Ŵ ⊙ H g with H g equal to central differences of the gradient along g', () => {
    const batch = batches[0];
    const opts = { mask, samplesPerClass: 0, temperature: 2 } as const;
    const signed = graspScores(net, batch, opts);
    const magnitude = graspScores(net, batch, { ...opts, variant: 'magnitude' });
    const g = convLossGradients(net, batch, { mask, temperature: 2 }).weights;
    const eps = 1e-2 / Math.sqrt(g.reduce((s, a) => s + a.reduce((t, v) => t + v * v, 0), 0));
    const grad = (sign: number) =>
      convLossGradients(
        withWeights(
          net,
          net.layers.map((l) => net.weight(l.index).map((v, q) => v + sign * eps * g[l.index][q])),
        ),
        batch,
        { mask, temperature: 2 },
      ).weights;
    const plus = grad(1);
    const minus = grad(-1);
    for (const l of net.layers) {
      const dense = mask.get(l.weightName)!.toDense();
      const w = net.weight(l.index);
      const want = w.map((v, q) => (dense[q] ? v : 0) * ((plus[l.index][q] - minus[l.index][q]) / (2 * eps)));
      expect(maxRel(signed.get(l.weightName)!.scores, want)).toBeLessThan(2e-2);
      expect(magnitude.get(l.weightName)!.scores).toEqual(signed.get(l.weightName)!.scores.map(Math.abs));
    }
  });

  test('SynFlow: R from the forward pass of |Ŵ| on ones; scores = |w| ∂R/∂|w| (finite differences); each layer sums to R', () => {
    const pooled = ConvNet.create({ spec: POOLED, seed: 2 });
    const m = randomMask(pooled, 0.7, 1);
    const absNet = (weights: Float32Array[]) =>
      withWeights(
        pooled,
        weights,
        pooled.layers.map((l) => (l.biasName ? new Float32Array(l.shape.rows) : null)),
      );
    const abs = pooled.layers.map((l) => {
      const d = m.get(l.weightName)!.toDense();
      return pooled.weight(l.index).map((v, q) => (d[q] ? Math.abs(v) : 0));
    });
    const ones: Batch = { inputs: new Float32Array(64).fill(1), count: 1, features: 64 };
    const R = (weights: Float32Array[]) => convPredict(absNet(weights), ones).reduce((s, v) => s + v, 0);
    const r = synflowDetailed(pooled, { mask: m });
    expect(r.logScale).toBe(0);
    expect(Math.abs(r.logR - Math.log(R(abs)))).toBeLessThan(1e-5);
    for (const l of pooled.layers) {
      const s = r.scores.get(l.weightName)!.scores;
      expect(Math.abs(s.reduce((a, v) => a + v, 0) / Math.exp(r.logR) - 1)).toBeLessThan(1e-4);
      for (const q of [0, 3, s.length - 1]) {
        const h = 1e-2;
        const up = abs.map((a) => a.slice());
        const down = abs.map((a) => a.slice());
        up[l.index][q] += h;
        down[l.index][q] -= h;
        // R is multilinear in each weight here (ReLU on non-negative values, average pooling): exact difference.
        const want = abs[l.index][q] * ((R(up) - R(down)) / (2 * h));
        expect(Math.abs(s[q] - want)).toBeLessThan(1e-3 * Math.max(1, Math.abs(want)));
      }
    }
  });

  test('SynFlow on LeNet-5 (max pooling): every layer sums to R; includeBiases adds |b| (the reference code)', () => {
    const lenet = ConvNet.create({ spec: 'lenet5', seed: 0 });
    const r = synflowDetailed(lenet);
    for (const [, { scores }] of r.scores) {
      expect(Math.abs(scores.reduce((a, v) => a + v, 0) / Math.exp(r.logR - r.logScale) - 1)).toBeLessThan(
        1e-3,
      );
    }
    // PyTorch's default initialisation draws non-zero biases: with them R grows, and the plain formula is used.
    const biased = ConvNet.create({ spec: 'lenet5', seed: 0, init: 'pytorch-default' });
    const plain = synflowDetailed(biased);
    const withBiases = synflowDetailed(biased, { includeBiases: true });
    expect(withBiases.logR).toBeGreaterThan(plain.logR + 0.01);
    expect(withBiases.logScale).toBe(0);
  });
});

describe('all built-in criteria through the registry on LeNet-5', () => {
  registerBuiltinCriteria(registry);
  const lenet = ConvNet.create({ spec: 'lenet5', seed: 1 });
  const data = randomBatch(20, 784, 10, 4);
  test.each(['random', 'magnitude', 'snip', 'grasp', 'grasp-magnitude', 'synflow'])(
    '%s scores every conv and linear weight',
    (id) => {
      const spec = registry.criterion<CriterionContext<ConvNet>>(id).spec;
      const scores = spec.score({ network: lenet, data, rng: new Rng(0) }) as Map<
        string,
        { shape: unknown; scores: Float32Array }
      >;
      expect([...scores.keys()]).toEqual(lenet.layers.map((l) => l.weightName));
      for (const l of lenet.layers) {
        expect(scores.get(l.weightName)!.shape).toEqual(l.shape);
        expect(scores.get(l.weightName)!.scores.every(Number.isFinite)).toBe(true);
      }
      expect(scores.get('features.3.weight')!.scores.length).toBe(16 * 6 * 5 * 5);
    },
  );
});
