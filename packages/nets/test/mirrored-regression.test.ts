import { Rng } from '@graphon-pai/core';
import { mirroredRegressionTask } from '../src/data/synthetic';
import { Mlp } from '../src/mlp';
import { lossGradients, predict } from '../src/passes';
import { useCpu } from './helpers';

beforeAll(useCpu);

const { abs, sqrt, PI } = Math;

describe('mirroredRegressionTask', () => {
  it('mirrors examples and targets, follows the scale profile, is seeded', () => {
    const t = mirroredRegressionTask({
      pairs: 5,
      features: 8,
      profile: { informativeFraction: 0.25 },
      seed: 3,
    });
    const { inputs, targets, count, features } = t.batch;
    expect([count, features]).toEqual([10, 8]);
    for (let b = 0; b < 5; b++) {
      expect(targets![b + 5]).toBe(-targets![b]);
      for (let i = 0; i < 8; i++) expect(inputs[(b + 5) * 8 + i]).toBe(-inputs[b * 8 + i]);
    }
    expect(t.informative).toBe(2);
    expect(Array.from(t.scales)).toEqual([1, 1, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    const again = mirroredRegressionTask({
      pairs: 5,
      features: 8,
      profile: { informativeFraction: 0.25 },
      seed: 3,
    });
    expect(again.batch.inputs).toEqual(inputs);
    expect(again.inputFactors).toEqual(t.inputFactors);
    // float64 reference of B_i = |Σ_{b<m} y_b x_bi| / ‖y‖
    let norm = 0;
    for (let b = 0; b < 5; b++) norm += targets![b] ** 2;
    for (let i = 0; i < 8; i++) {
      let s = 0;
      for (let b = 0; b < 5; b++) s += targets![b] * inputs[b * 8 + i];
      expect(t.inputFactors[i]).toBeCloseTo(abs(s) / sqrt(norm), 14);
    }
    expect(() => mirroredRegressionTask({ pairs: 0, features: 8 })).toThrow(/pairs/);
    expect(() => mirroredRegressionTask({ pairs: 2, features: 8, profile: { backgroundScale: 0 } })).toThrow(
      /backgroundScale/,
    );
  });

  it('input factors are s_i·|Z_i|: E[B/s] = √(2/π), E[(B/s)²] = 1 (4 standard errors, 40 000 inputs)', () => {
    const d = 40_000;
    const t = mirroredRegressionTask({ pairs: 16, features: d, seed: 1 });
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < d; i++) {
      const z = t.inputFactors[i] / t.scales[i];
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    m1 /= d;
    m2 /= d;
    m4 /= d;
    expect(abs(m1 - sqrt(2 / PI))).toBeLessThan(4 * sqrt((1 - 2 / PI) / d));
    expect(abs(m2 - 1)).toBeLessThan(4 * sqrt((3 - 1) / d));
    expect(m4).toBeGreaterThan(2.7); // Gaussian fourth moment 3
  });

  it('a mirrored bias-free ReLU network has zero output and first-layer gradient −(a_j/m) Σ_{b<m} y_b x_bi', () => {
    const d = 6;
    const half = 5;
    const m = 7;
    const rng = new Rng('mirrored');
    const w = new Float32Array(2 * half * d);
    const a = new Float32Array(2 * half);
    for (let j = 0; j < half; j++) {
      for (let i = 0; i < d; i++) w[j * d + i] = w[(j + half) * d + i] = rng.normal();
      a[j] = rng.normal();
      a[j + half] = -a[j];
    }
    const net = Mlp.fromParameters({ widths: [d, 2 * half, 1], bias: false, activation: 'relu' }, [
      { weight: w },
      { weight: a },
    ]);
    const { batch } = mirroredRegressionTask({ pairs: m, features: d, seed: 5 });
    for (const z of predict(net, batch)) expect(z).toBe(0);
    const g = lossGradients(net, batch, { loss: 'mse' }).weights[0];
    for (let j = 0; j < 2 * half; j++) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += batch.targets![b] * batch.inputs[b * d + i];
        const expected = (-a[j] / m) * s;
        expect(abs(g[j * d + i] - expected)).toBeLessThan(1e-5 * (abs(expected) + 1e-3));
      }
    }
  });
});
