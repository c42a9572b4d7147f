/**
 * The accelerated BatchMatMul / _FusedMatMul kernels against the stock tfjs kernels and the float64
 * reference, on the wasm and cpu backends, for every provider available here.
 */
import { Rng } from '@graphon-pai/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { fastMatMulBackends, installFastMatMul, uninstallFastMatMul } from '../src/fast-matmul';
import { availableProviders, type ProviderName, provider, setProvider } from '../src/provider';
import { refAbsGemm, refGemm } from './reference';

type Case = { aShape: number[]; bShape: number[]; transA: boolean; transB: boolean };

/** Shapes: transposes, batch > 1, one side unbatched (broadcast), empty and 1-wide matrices. */
const cases: Case[] = [];
const base: Array<[number[], number[]]> = [
  [
    [5, 7],
    [7, 3],
  ],
  [
    [1, 9],
    [9, 1],
  ],
  [
    [9, 1],
    [1, 9],
  ],
  [
    [64, 48],
    [48, 80],
  ],
  [
    [3, 20, 33],
    [3, 33, 17],
  ],
  [
    [2, 2, 6, 5],
    [2, 2, 5, 4],
  ],
  [
    [4, 12, 30],
    [30, 40],
  ],
  [
    [30, 12],
    [3, 12, 25],
  ],
  [
    [0, 5],
    [5, 4],
  ],
  [
    [6, 0],
    [0, 4],
  ],
  [
    [6, 5],
    [5, 0],
  ],
  [
    [2, 0, 3],
    [2, 3, 4],
  ],
];
for (const [a, b] of base) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const swap = (s: number[], t: boolean) =>
        t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s;
      cases.push({ aShape: swap(a, transA), bShape: swap(b, transB), transA, transB });
    }
  }
}

function operands(c: Case, seed: number) {
  const rng = new Rng(seed);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return {
    a: Float32Array.from(rng.normalArray(size(c.aShape))),
    b: Float32Array.from(rng.normalArray(size(c.bShape))),
  };
}

/** Float64 reference for a batched product (batch index mod each side's batch count). */
function reference(c: Case, a: Float32Array, b: Float32Array) {
  const ra = c.aShape.length;
  const rb = c.bShape.length;
  const m = c.transA ? c.aShape[ra - 1] : c.aShape[ra - 2];
  const k = c.transA ? c.aShape[ra - 2] : c.aShape[ra - 1];
  const n = c.transB ? c.bShape[rb - 2] : c.bShape[rb - 1];
  const batchA = c.aShape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = c.bShape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batch = Math.max(batchA, batchB);
  const value = new Float64Array(batch * m * n);
  const scale = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    const as = a.subarray((bi % batchA) * m * k, ((bi % batchA) + 1) * m * k);
    const bs = b.subarray((bi % batchB) * k * n, ((bi % batchB) + 1) * k * n);
    value.set(refGemm(c.transA, c.transB, m, n, k, 1, as, bs, 0, new Float64Array(0)), bi * m * n);
    scale.set(refAbsGemm(c.transA, c.transB, m, n, k, as, bs), bi * m * n);
  }
  return { value, scale, k };
}

function expectClose(
  got: ArrayLike<number>,
  want: Float64Array,
  scale: Float64Array,
  k: number,
  what: string,
) {
  expect(got.length).toBe(want.length);
  const eps = 2 ** -24;
  for (let i = 0; i < want.length; i++) {
    const bound = (k + 2) * eps * scale[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= bound)) {
      throw new Error(`${what}: entry ${i} = ${got[i]}, reference ${want[i]}, bound ${bound}`);
    }
  }
}

const initialProvider = provider();

describe.each(['wasm', 'cpu'] as const)('fast matMul kernel on the %s backend', (backendName) => {
  const stock: Map<number, { data: Float32Array; shape: number[] }> = new Map();

  beforeAll(async () => {
    uninstallFastMatMul(tf);
    await tf.setBackend(backendName);
    // Stock results, computed once before installing.
    cases.forEach((c, i) => {
      const { a, b } = operands(c, i);
      const out = tf.tidy(() =>
        tf.matMul(tf.tensor(a, c.aShape), tf.tensor(b, c.bShape), c.transA, c.transB),
      );
      stock.set(i, { data: out.dataSync() as Float32Array, shape: out.shape });
      out.dispose();
    });
  });

  afterAll(() => {
    uninstallFastMatMul(tf);
    setProvider(initialProvider);
  });

  test('install is idempotent, reports the backends, and uninstall restores the stock kernel', () => {
    const stockFunc = tf.getKernel('BatchMatMul', backendName).kernelFunc;
    expect(installFastMatMul(tf)).toEqual(['wasm', 'cpu']);
    const ours = tf.getKernel('BatchMatMul', backendName).kernelFunc;
    expect(ours).not.toBe(stockFunc);
    expect(installFastMatMul(tf)).toEqual(['wasm', 'cpu']);
    expect(tf.getKernel('BatchMatMul', backendName).kernelFunc).toBe(ours);
    uninstallFastMatMul(tf);
    expect(tf.getKernel('BatchMatMul', backendName).kernelFunc).toBe(stockFunc);
    expect(fastMatMulBackends(tf)).toEqual([]);
    uninstallFastMatMul(tf);
    expect(tf.getKernel('BatchMatMul', backendName).kernelFunc).toBe(stockFunc);
    expect(installFastMatMul(tf, { backends: [backendName] })).toEqual([backendName]);
    expect(fastMatMulBackends(tf)).toEqual([backendName]);
    uninstallFastMatMul(tf);
  });

  describe.each(availableProviders())('provider %s', (name: ProviderName) => {
    beforeAll(() => {
      setProvider(name);
      installFastMatMul(tf);
    });
    afterAll(() => uninstallFastMatMul(tf));

    test('matMul equals the stock kernel and the float64 reference (transposes, batches, empty, 1-wide)', () => {
      const before = tf.memory().numTensors;
      const buffersBefore = tf.engine().backend.numDataIds();
      cases.forEach((c, i) => {
        const { a, b } = operands(c, i);
        const out = tf.tidy(() =>
          tf.matMul(tf.tensor(a, c.aShape), tf.tensor(b, c.bShape), c.transA, c.transB),
        );
        const want = stock.get(i)!;
        const what = `${name}/${backendName} ${JSON.stringify(c)}`;
        expect(out.shape).toEqual(want.shape);
        const data = out.dataSync();
        out.dispose();
        const ref = reference(c, a, b);
        expectClose(data, ref.value, ref.scale, ref.k, `${what} vs reference`);
        // Two float32 results, each within the bound of the reference. (With k = 0 the stock wasm kernel
        // returns uninitialised memory instead of zeros, so only the reference applies there.)
        if (ref.k > 0 || backendName === 'cpu') {
          expectClose(
            data,
            Float64Array.from(want.data),
            ref.scale.map((s) => 2 * s),
            ref.k,
            `${what} vs stock`,
          );
        }
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
    });

    test('gradients through tf.grads equal the stock gradients', () => {
      const rng = new Rng(`grad-${name}`);
      const x = Float32Array.from(rng.normalArray(16 * 24));
      const w1 = Float32Array.from(rng.normalArray(24 * 32));
      const w2 = Float32Array.from(rng.normalArray(32 * 8));
      const run = () =>
        tf.tidy(() => {
          const f = (xs: tf.Tensor, a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.relu(tf.matMul(tf.relu(tf.matMul(xs, a)), b)))) as tf.Scalar;
          const grads = tf.grads(f)([
            tf.tensor2d(x, [16, 24]),
            tf.tensor2d(w1, [24, 32]),
            tf.tensor2d(w2, [32, 8]),
          ]);
          return grads.map((g) => g.dataSync().slice());
        });
      const before = tf.memory().numTensors;
      const fast = run();
      uninstallFastMatMul(tf);
      const slow = run();
      installFastMatMul(tf);
      expect(tf.memory().numTensors).toBe(before);
      for (let g = 0; g < 3; g++) {
        let maxAbs = 0;
        for (let i = 0; i < slow[g].length; i++) maxAbs = Math.max(maxAbs, Math.abs(slow[g][i]));
        for (let i = 0; i < slow[g].length; i++) {
          // Rounding differences of a few float32 ulps of the largest entry (sums of ≤ 32 products, twice).
          expect(Math.abs(fast[g][i] - slow[g][i])).toBeLessThanOrEqual(1e-5 * maxAbs);
        }
      }
    });

    // The stock wasm _FusedMatMul is wrong with a bias whenever it leaves its XNNPACK path (batch > 1 or a
    // transpose flag): rows after the first get wrong values. So on wasm the stock comparison covers only
    // batch 1 without transposes; ours must match the float64 reference in every case.
    test('fused matMul (bias, activations, transposes, batch 1 and 2) equals the reference and the stock kernel', () => {
      const rng = new Rng(`fused-${name}`);
      const before = tf.memory().numTensors;
      for (const [activation, transposeB, batch] of [
        ['linear', false, 2],
        ['linear', false, 1],
        ['relu', true, 1],
        ['sigmoid', false, 2],
        ['prelu', true, 1],
        ['leakyrelu', false, 1],
        ['elu', true, 2],
        ['relu6', false, 1],
      ] as const) {
        const a = Float32Array.from(rng.normalArray(batch * 9 * 13));
        const b = Float32Array.from(rng.normalArray(batch * 13 * 11));
        const bias = Float32Array.from(rng.normalArray(11));
        const prelu = Float32Array.from(rng.uniformArray(11, 0, 0.5));
        const run = () =>
          tf.tidy(() =>
            tf.fused
              .matMul({
                a: tf.tensor3d(a, [batch, 9, 13]),
                b: transposeB ? tf.tensor3d(b, [batch, 11, 13]) : tf.tensor3d(b, [batch, 13, 11]),
                transposeB,
                bias: tf.tensor1d(bias),
                activation,
                preluActivationWeights: activation === 'prelu' ? tf.tensor1d(prelu) : undefined,
              })
              .dataSync()
              .slice(),
          );
        const fast = run();
        uninstallFastMatMul(tf);
        const slow = run();
        installFastMatMul(tf);
        // Float64 reference: act(A·B + bias) per batch.
        const act = (x: number, j: number) => {
          switch (activation) {
            case 'relu':
              return Math.max(0, x);
            case 'relu6':
              return Math.min(6, Math.max(0, x));
            case 'sigmoid':
              return 1 / (1 + Math.exp(-x));
            case 'prelu':
              return x < 0 ? prelu[j] * x : x;
            case 'leakyrelu':
              return x < 0 ? 0.2 * x : x;
            case 'elu':
              return x < 0 ? Math.expm1(x) : x;
            default:
              return x;
          }
        };
        for (let bi = 0; bi < batch; bi++) {
          const ab = refGemm(
            false,
            transposeB,
            9,
            11,
            13,
            1,
            a.subarray(bi * 117, (bi + 1) * 117),
            b.subarray(bi * 143, (bi + 1) * 143),
            0,
            new Float64Array(0),
          );
          for (let i = 0; i < 9; i++) {
            for (let j = 0; j < 11; j++) {
              const want = act(ab[i * 11 + j] + bias[j], j);
              const o = bi * 99 + i * 11 + j;
              const stockTrusted = (batch === 1 && !transposeB) || backendName === 'cpu';
              for (const [label, got] of [
                ['fast', fast[o]],
                ['stock', stockTrusted ? slow[o] : want],
              ] as const) {
                if (!(Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want)))) {
                  throw new Error(
                    `${activation} transposeB=${transposeB}: ${label} entry ${o} = ${got}, reference ${want}`,
                  );
                }
              }
            }
          }
        }
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('fast matMul with native providers disabled', () => {
  test('the wasm and js providers still match the reference on the wasm backend', async () => {
    await tf.setBackend('wasm');
    installFastMatMul(tf);
    try {
      for (const name of ['wasm', 'js'] as const) {
        setProvider(name);
        const c = cases.find((x) => x.aShape.length === 3 && x.transA && x.transB)!;
        const { a, b } = operands(c, 99);
        const out = tf.tidy(() =>
          tf.matMul(tf.tensor(a, c.aShape), tf.tensor(b, c.bShape), c.transA, c.transB),
        );
        const ref = reference(c, a, b);
        expectClose(out.dataSync(), ref.value, ref.scale, ref.k, name);
        out.dispose();
      }
    } finally {
      uninstallFastMatMul(tf);
      setProvider(initialProvider);
    }
  });
});
