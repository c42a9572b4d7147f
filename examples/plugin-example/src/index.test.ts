import { Rng } from '@graphon-pai/core';
import { evaluateLoss, Mlp, makeBatch } from '@graphon-pai/nets';
import { describePluginConformance, ensureBackend } from '@graphon-pai/testkit';
import plugin from './index.js';

describePluginConformance(plugin, { backend: 'cpu' });

describe('example/grad-norm scores', () => {
  beforeAll(() => ensureBackend('cpu'));

  it('equal |∂L/∂w| by central finite differences of the loss', () => {
    const rng = new Rng(3);
    const options = { widths: [6, 5, 3], seed: 1 };
    const net = Mlp.create(options);
    const x = rng.normalArray(8 * 6, 0, 1, new Float32Array(8 * 6));
    const y = Int32Array.from({ length: 8 }, (_, i) => i % 3);
    const batch = makeBatch(x, 8, 6, { labels: y, classes: 3 });
    const scores = plugin.criteria['grad-norm'].score({ network: net, data: batch, rng });
    const s0 = (scores as Map<string, { scores: Float32Array }>).get('0.weight')!.scores;
    const w = net.weight(0);
    // Small enough that no ReLU pre-activation of the batch crosses 0 inside [w − h, w + h] for these weights.
    const h = 1e-3;
    for (const q of [0, 7, 13, 29]) {
      const original = w[q];
      const lossAt = (value: number) => {
        const copy = Float32Array.from(w);
        copy[q] = value;
        const params = net.stateDict();
        const probe = Mlp.fromParameters(
          options,
          new Map([...params].map(([name, p]) => [name, name === '0.weight' ? copy : p.data])),
        );
        const l = evaluateLoss(probe, batch);
        probe.dispose();
        return l;
      };
      const fd = (lossAt(original + h) - lossAt(original - h)) / (2 * h);
      expect(s0[q]).toBeCloseTo(Math.abs(fd), 3);
    }
    net.dispose();
  });
});
