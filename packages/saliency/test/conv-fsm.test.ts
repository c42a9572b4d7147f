/**
 * The FSM factor view and the plug-in limit given conv networks: factors of a chosen conv layer (out-channels ×
 * in-channel·kh·kw taps) checked against independent computations — the sensitivity from the network's exact
 * gradients, the rank-one optimum from a symmetric eigensolver (Eckart–Young: the best rank-one fit explains
 * λ_max(SᵀS) / ‖S‖²_F), SynFlow's exact separability on an unpadded first layer — and the clear errors of the
 * parts that model fresh MLP neurons only.
 */
import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { symmetricEigen } from '@graphon-pai/linalg';
import { type Batch, ConvNet, convLossGradients, Mlp, type Network } from '@graphon-pai/nets';
import type { CriterionContext } from '../src/context';
import { fsmFactors } from '../src/fsm';
import { graspScores } from '../src/grasp';
import { neuronScorer } from '../src/neuron-scorer';
import { defaultNeuronLaw, pluginLimit } from '../src/plugin-limit';
import { randomBatch, useCpu } from './helpers';

beforeAll(useCpu);

const SMOOTH = 'input 2x6x6 | f: conv(3,3,padding=1) tanh avgpool(2) conv(4,2) tanh | c: linear(3)';
const UNPADDED =
  'input 1x8x8 | f: conv(3,3) relu avgpool(2) conv(2,2,bias=false) relu | c: linear(4) relu linear(3)';

/** λ_max(SᵀS) / ‖S‖²_F: what the best rank-one approximation of `S` (`rows × cols`) explains. */
function bestRankOneShare(S: Float64Array, rows: number, cols: number): number {
  const gram = new Float64Array(cols * cols);
  let total = 0;
  for (let j = 0; j < rows; j++)
    for (let a = 0; a < cols; a++) {
      total += S[j * cols + a] ** 2;
      for (let b = 0; b < cols; b++) gram[a * cols + b] += S[j * cols + a] * S[j * cols + b];
    }
  const { values } = symmetricEigen(gram, cols);
  return Math.max(...values) / total;
}

describe('fsmFactors on a conv layer', () => {
  const net = ConvNet.create({ spec: SMOOTH, seed: 5 });
  const batches: Batch[] = [randomBatch(6, 72, 3, 1), randomBatch(6, 72, 3, 2)];
  const ctx: CriterionContext<Network> = { network: net, data: batches, rng: new Rng(0) };

  test('random and magnitude: exact, one factor per out-channel and per (in-channel, kh, kw) tap', () => {
    for (const criterion of ['random', 'magnitude'] as const) {
      const f = fsmFactors(criterion, ctx, { layer: 'f.3.weight' });
      expect(f.layer).toBe('f.3.weight');
      expect([f.rowFactor.length, f.colFactor.length]).toEqual([4, 3 * 2 * 2]);
      expect([...f.rowFactor, ...f.colFactor].every((v) => v === 1)).toBe(true);
      expect(f.method).toBe('exact');
      expect(f.noise).toBe(criterion === 'random' ? 'uniform' : 'abs-weight');
    }
    expect(fsmFactors('magnitude', ctx).layer).toBe('f.0.weight');
  });

  test('SNIP: the rank-one optimum of |mean ∂L/∂W| for the layer (eigen-solver reference)', () => {
    const f = fsmFactors('snip', ctx, { layer: 'f.3.weight' });
    const layer = net.layer('f.3.weight');
    const { rows, cols } = layer.shape;
    const grads = batches.map((b) => convLossGradients(net, b).weights[layer.index]);
    const S = new Float64Array(rows * cols);
    for (let q = 0; q < S.length; q++) S[q] = Math.abs((grads[0][q] + grads[1][q]) / 2);
    expect(f.method).toBe('rank-one-fit');
    expect(f.explained).toBeCloseTo(bestRankOneShare(S, rows, cols), 6);
    // The product is that optimum: its residual is ‖S‖² − λ_max, reached by no other rank-one pair.
    let residual = 0;
    let total = 0;
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < cols; i++) {
        total += S[j * cols + i] ** 2;
        residual += (S[j * cols + i] - f.rowFactor[j] * f.colFactor[i]) ** 2;
      }
    expect(1 - residual / total).toBeCloseTo(bestRankOneShare(S, rows, cols), 6);
    expect(f.colFactor.reduce((s, v) => s + v, 0) / cols).toBeCloseTo(1, 12);
  });

  test('GraSP: signed keeps half of the edges eligible, magnitude all; both fit |w ⊙ Hg| / |w|', () => {
    const signed = fsmFactors('grasp', ctx);
    const magnitude = fsmFactors('grasp-magnitude', ctx);
    expect([signed.eligible, magnitude.eligible]).toEqual([0.5, 1]);
    const scores = graspScores(net, batches, { variant: 'magnitude' }).get('f.0.weight')!.scores;
    const w = net.weight(0);
    const S = Float64Array.from(scores, (s, q) => Math.abs(s / w[q]));
    const { rows, cols } = net.layer(0).shape;
    expect(magnitude.explained).toBeCloseTo(bestRankOneShare(S, rows, cols), 6);
    expect(Array.from(signed.rowFactor)).toEqual(Array.from(magnitude.rowFactor));
  });

  test('SynFlow: exactly rank one with B ≡ 1 on an unpadded first layer; padding breaks it', () => {
    const unpadded = ConvNet.create({ spec: UNPADDED, seed: 2 });
    const f = fsmFactors('synflow', { network: unpadded, rng: new Rng(0) });
    expect(f.explained).toBeCloseTo(1, 10);
    // Scores are float32: the taps' factors agree to its rounding.
    for (const b of f.colFactor) expect(b).toBeCloseTo(1, 6);
    const padded = fsmFactors('synflow', ctx);
    expect(padded.explained).toBeLessThan(1 - 1e-6);
    expect(padded.explained).toBeGreaterThan(0.5);
  });

  test('an unknown layer names the valid ones; an Mlp takes its first layer only', () => {
    expect(() => fsmFactors('magnitude', ctx, { layer: 'f.1.weight' })).toThrow(
      /one of f\.0\.weight, f\.3\.weight/,
    );
    const mlp = Mlp.create({ widths: [6, 5, 3], seed: 0 });
    try {
      const mctx: CriterionContext<Network> = { network: mlp, rng: new Rng(0) };
      expect(fsmFactors('magnitude', mctx, { layer: '0.weight' }).layer).toBe('0.weight');
      expect(() => fsmFactors('magnitude', mctx, { layer: '2.weight' })).toThrow(InvalidArgumentError);
      expect(() => fsmFactors('magnitude', mctx, { layer: '2.weight' })).toThrow(
        /options\.layer.*'0\.weight'/,
      );
    } finally {
      mlp.dispose();
    }
  });
});

describe('the neuron scorer and the plug-in limit refuse conv networks clearly', () => {
  const lenet = ConvNet.create({ spec: 'lenet5', seed: 0 });
  const asMlp = lenet as unknown as Mlp;

  test.each(['snip', 'magnitude'] as const)(
    '%s neuron scorer: InvalidArgumentError naming the layer',
    (criterion) => {
      const ctx = { network: asMlp, data: randomBatch(4, 784, 2, 0), rng: new Rng(0) };
      expect(() => neuronScorer(criterion, ctx)).toThrow(InvalidArgumentError);
      expect(() => neuronScorer(criterion, ctx)).toThrow(
        /an Mlp with one hidden ReLU layer.*conv layer such as features\.0\.weight \(6 out-channels × 25 in-channel·kh·kw taps\) are not supported; got "a ConvNet \(first layer features\.0\.weight\)"/,
      );
    },
  );

  test('pluginLimit and defaultNeuronLaw', () => {
    const mlp = Mlp.create({ widths: [6, 5, 3], init: 'kaiming-normal', seed: 0 });
    try {
      const scorer = neuronScorer('magnitude', { network: mlp, rng: new Rng(0) });
      expect(() => pluginLimit(scorer, asMlp, { density: 0.1, referenceWidth: 16 })).toThrow(
        /network must be an Mlp with one hidden ReLU layer: the plug-in limit/,
      );
      expect(() => defaultNeuronLaw(asMlp)).toThrow(InvalidArgumentError);
    } finally {
      mlp.dispose();
    }
  });
});
