import * as tf from '@tensorflow/tfjs-core';
import { BitMatrix, InvalidArgumentError, Rng } from '@graphon-pai/core';
import { activationGain } from '../src/init';
import { Mlp } from '../src/mlp';
import { lossGradients, predict } from '../src/passes';
import { randomBatch, useCpu } from './helpers';

beforeAll(useCpu);

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function moments(a: Float32Array): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    s += v;
    ss += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(ss / a.length - mean * mean), min, max };
}

describe('initialisation schemes', () => {
  const rows = 300;
  const cols = 200;
  const cases: [string, object, (m: ReturnType<typeof moments>) => void][] = [
    [
      'kaiming-normal relu',
      { init: 'kaiming-normal', activation: 'relu' },
      (m) => expect(m.std).toBeCloseTo(Math.SQRT2 / Math.sqrt(cols), 3),
    ],
    [
      'kaiming-normal tanh',
      { init: 'kaiming-normal', activation: 'tanh' },
      (m) => expect(m.std).toBeCloseTo(5 / 3 / Math.sqrt(cols), 3),
    ],
    [
      'kaiming-uniform',
      { init: 'kaiming-uniform', activation: 'relu' },
      (m) => {
        const b = Math.SQRT2 * Math.sqrt(3 / cols);
        expect(m.max).toBeLessThanOrEqual(b);
        expect(m.min).toBeGreaterThanOrEqual(-b);
        expect(m.std).toBeCloseTo(b / Math.sqrt(3), 3);
      },
    ],
    [
      'xavier-normal',
      { init: 'xavier-normal' },
      (m) => expect(m.std).toBeCloseTo(Math.sqrt(2 / (rows + cols)), 3),
    ],
    [
      'xavier-uniform',
      { init: 'xavier-uniform' },
      (m) => expect(m.std).toBeCloseTo(Math.sqrt(6 / (rows + cols)) / Math.sqrt(3), 3),
    ],
    ['gaussian', { init: { kind: 'gaussian', std: 0.7 } }, (m) => expect(m.std).toBeCloseTo(0.7, 2)],
    [
      'pytorch-default',
      { init: 'pytorch-default' },
      (m) => {
        expect(m.max).toBeLessThanOrEqual(1 / Math.sqrt(cols));
        expect(m.std).toBeCloseTo(1 / Math.sqrt(cols) / Math.sqrt(3), 3);
      },
    ],
    ['ntk', { parametrization: 'ntk' }, (m) => expect(m.std).toBeCloseTo(1, 2)],
  ];
  test.each(cases)('%s has the documented law and is seeded', (_, options, check) => {
    const net = Mlp.create({ widths: [cols, rows, 2], seed: 4, ...options });
    const m = moments(net.weight(0));
    expect(Math.abs(m.mean)).toBeLessThan((4 * m.std) / Math.sqrt(rows * cols));
    check(m);
    const again = Mlp.create({ widths: [cols, rows, 2], seed: 4, ...options });
    expect(sameBytes(again.weight(0), net.weight(0))).toBe(true);
    const other = Mlp.create({ widths: [cols, rows, 2], seed: 5, ...options });
    expect(sameBytes(other.weight(0), net.weight(0))).toBe(false);
    tf.dispose();
    for (const n of [net, again, other]) n.dispose();
  });

  test('layer streams are independent: changing a later width keeps earlier layers', () => {
    const a = Mlp.create({ widths: [5, 6, 3], seed: 1 });
    const b = Mlp.create({ widths: [5, 6, 4], seed: 1 });
    expect(b.weight(0)).toEqual(a.weight(0));
    a.dispose();
    b.dispose();
  });

  test('NTK parametrisation scales the forward pass by σ_w/√fanIn and σ_b', () => {
    const net = Mlp.create({ widths: [4, 3], parametrization: 'ntk', sigmaW: 2, sigmaB: 0.5, seed: 0 });
    expect(net.layers[0].weightScale).toBeCloseTo(1);
    expect(net.layers[0].biasScale).toBe(0.5);
    const batch = randomBatch(2, 4, 3, 0);
    const out = predict(net, batch);
    const w = net.weight(0);
    const b = net.bias(0)!;
    for (let n = 0; n < 2; n++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let i = 0; i < 4; i++) s += w[j * 4 + i] * batch.inputs[n * 4 + i];
        expect(out[n * 3 + j]).toBeCloseTo((2 / Math.sqrt(4)) * s + 0.5 * b[j], 5);
      }
    }
    expect(activationGain('relu')).toBe(Math.SQRT2);
    net.dispose();
  });
});

describe('bad input', () => {
  test('widths', () => {
    expect(() => Mlp.create({ widths: [3] })).toThrow(InvalidArgumentError);
    expect(() => Mlp.create({ widths: [3, 0, 2] })).toThrow(/widths\[1\] must be a positive integer/);
    expect(() => Mlp.create({ widths: [3, 2.5] })).toThrow(/widths\[1\]/);
    expect(() => Mlp.create({ widths: [3, 2], activation: 'gelu' as 'relu' })).toThrow(/activation/);
    expect(() => Mlp.create({ widths: [3, 2], init: 'he' as 'gaussian' })).toThrow(/init/);
    expect(() => Mlp.create({ widths: [3, 2, 2], names: ['a', 'a'] })).toThrow(/names/);
  });

  test('parameters that do not chain or are not finite', () => {
    expect(() =>
      Mlp.fromParameters({ widths: [3, 2, 2], bias: false }, [
        { weight: new Float32Array(6) },
        { weight: new Float32Array(6) },
      ]),
    ).toThrow(/params\['2\.weight'\] must be a Float32Array of shape 2 × 2/);
    const w = new Float32Array(6);
    w[4] = Number.POSITIVE_INFINITY;
    expect(() => Mlp.fromParameters({ widths: [3, 2], bias: false }, [{ weight: w }])).toThrow(/finite/);
    expect(() => Mlp.fromParameters({ widths: [3, 2] }, [{ weight: new Float32Array(6) }])).toThrow(
      /'0\.bias'/,
    );
  });

  test('data of the wrong width, labels out of range, masks of the wrong shape', () => {
    const net = Mlp.create({ widths: [4, 3, 2], seed: 0 });
    expect(() => lossGradients(net, randomBatch(3, 5, 2, 0))).toThrow(
      /batch\.features must be the network's input width 4/,
    );
    const bad = randomBatch(3, 4, 2, 0);
    bad.labels![1] = 2;
    expect(() => lossGradients(net, { ...bad, classes: undefined })).toThrow(
      /batch\.labels\[1\] must be a class id in \[0, 2\)/,
    );
    expect(() => lossGradients(net, bad)).toThrow(/labels\[1\]/);
    const mask = new Map([['0.weight', new BitMatrix(4, 3)]]);
    expect(() => lossGradients(net, randomBatch(3, 4, 2, 0), { mask })).toThrow(
      /options\.mask\['0\.weight'\] must be a 3 × 4 mask/,
    );
    expect(() =>
      lossGradients(net, randomBatch(3, 4, 2, 0), { mask: new Map([['9.weight', new BitMatrix(3, 4)]]) }),
    ).toThrow(/9\.weight/);
    const nan = randomBatch(3, 4, 2, 0);
    nan.inputs[5] = Number.NaN;
    expect(() => lossGradients(net, nan)).toThrow(/inputs\[5\] must be a finite number/);
    expect(() => lossGradients(net, randomBatch(3, 4, 2, 0), { temperature: 0 })).toThrow(/temperature/);
    net.dispose();
    expect(() => net.weight(0)).toThrow(/disposed/);
  });

  test('mse uses targets when given and checks their width', () => {
    const net = Mlp.create({ widths: [4, 3, 2], seed: 0 });
    const b = randomBatch(3, 4, 2, 0);
    const targets = new Rng(1).normalArray(6, 0, 1, new Float32Array(6));
    expect(() => lossGradients(net, { ...b, targets: new Float32Array(9) }, { loss: 'mse' })).toThrow(
      /targets/,
    );
    expect(Number.isFinite(lossGradients(net, { ...b, targets }, { loss: 'mse' }).loss)).toBe(true);
    net.dispose();
  });
});
