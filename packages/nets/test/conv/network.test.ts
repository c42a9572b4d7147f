import { InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet } from '../../src/conv/conv-net';
import { convLossGradients, convPredict } from '../../src/conv/conv-passes';
import { Mlp } from '../../src/mlp';
import {
  checkNetwork,
  checkNetworkBatch,
  networkGradients,
  networkHessianVectorProduct,
  networkPredict,
} from '../../src/network';
import { hessianVectorProduct, lossGradients } from '../../src/passes';
import { randomBatch, useCpu } from '../helpers';

beforeAll(useCpu);

describe('networks of either architecture', () => {
  const conv = ConvNet.create({ spec: 'input 1x6x6 | f: conv(2,3) relu maxpool(2) | c: linear(3)', seed: 0 });
  const mlp = Mlp.create({ widths: [36, 5, 3], seed: 0 });
  const batch = randomBatch(4, 36, 3, 1);

  test('dispatch to the architecture’s exact passes', () => {
    expect(networkGradients(conv, batch)).toEqual(convLossGradients(conv, batch));
    expect(networkGradients(mlp, batch)).toEqual(lossGradients(mlp, batch));
    expect(networkPredict(conv, batch)).toEqual(convPredict(conv, batch));
    const dir = { weights: mlp.layers.map((l) => new Float32Array(l.shape.rows * l.shape.cols).fill(0.1)) };
    expect(networkHessianVectorProduct(mlp, batch, dir)).toEqual(hessianVectorProduct(mlp, batch, dir));
  });

  test('batches are checked against C × H × W; non-networks and disposed networks are refused', () => {
    expect(() => checkNetworkBatch(conv, randomBatch(2, 35, 3, 1))).toThrow(/1 × 6 × 6 = 36/);
    expect(() => checkNetwork({ layers: [] })).toThrow(InvalidArgumentError);
    const gone = ConvNet.create({ spec: conv.spec });
    gone.dispose();
    expect(() => checkNetwork(gone)).toThrow(/disposed/);
    expect(() => gone.weight(0)).toThrow(/disposed/);
  });
});
