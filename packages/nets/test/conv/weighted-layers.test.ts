import { InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet } from '../../src/conv/conv-net';
import { Mlp } from '../../src/mlp';
import { checkDirection, countWeights, findLayer } from '../../src/weighted-layers';
import { useCpu } from '../helpers';

beforeAll(useCpu);

describe('weighted-layer bookkeeping shared by Mlp and ConvNet', () => {
  const lenet = ConvNet.create({ spec: 'lenet5', seed: 0 });
  let mlp: Mlp;
  beforeAll(() => {
    mlp = Mlp.create({ widths: [4, 3, 2], seed: 0 });
  });
  afterAll(() => mlp.dispose());

  test('lookup by index and by weight or bias name; unknown keys name the valid ones', () => {
    expect(findLayer(lenet.layers, 'features.3.weight').index).toBe(1);
    expect(findLayer(lenet.layers, 'features.3.bias')).toBe(lenet.layers[1]);
    expect(findLayer(mlp.layers, 1).weightName).toBe('2.weight');
    expect(() => findLayer(lenet.layers, 'features.1.weight')).toThrow(
      /one of features\.0\.weight, features\.3\.weight/,
    );
    expect(() => findLayer(mlp.layers, 7)).toThrow(InvalidArgumentError);
  });

  test('weight count is Σ rows · cols', () => {
    expect(countWeights(lenet.layers)).toBe(6 * 25 + 16 * 150 + 120 * 400 + 84 * 120 + 10 * 84);
    expect(lenet.weightCount).toBe(countWeights(lenet.layers));
    expect(mlp.weightCount).toBe(4 * 3 + 3 * 2);
  });

  test('a direction of the wrong shape names the layer and its [out, in, kh, kw] shape', () => {
    const ok = lenet.layers.map((l) => new Float32Array(l.shape.rows * l.shape.cols));
    expect(() => checkDirection(lenet.layers, { weights: ok })).not.toThrow();
    const bad = [...ok];
    bad[1] = new Float32Array(3);
    expect(() => checkDirection(lenet.layers, { weights: bad })).toThrow(
      /direction\.weights\[1\].*\[16, 6, 5, 5\] \(features\.3\.weight\)/,
    );
    expect(() => checkDirection(lenet.layers, { weights: ok.slice(1) })).toThrow(/5 Float32Arrays/);
    const biases = lenet.layers.map(() => null as Float32Array | null);
    biases[0] = new Float32Array(5);
    expect(() => checkDirection(lenet.layers, { weights: ok, biases })).toThrow(
      /direction\.biases\[0\].*6 values/,
    );
  });
});
