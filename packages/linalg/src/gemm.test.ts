import { Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { refAbsGemm, refGemm } from '../test/reference';
import { gemm, matmul } from './gemm';
import { availableProviders, type ProviderName, provider, setProvider } from './provider';

const initial = provider();
afterAll(() => setProvider(initial));

type Case = {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
};

/**
 * Checks gemm against the float64 reference: each entry within (k+2)·ε·|alpha|·Σ|a||b| + 2ε·|beta·c|, with ε
 * the unit roundoff of the element type (float32 inputs are exact in float64, so the only error is the
 * product's own rounding).
 */
function check(kind: 'f32' | 'f64', t: Case, rng: Rng): void {
  const { transA, transB, m, n, k, alpha, beta } = t;
  const make = (len: number) => {
    const x = rng.normalArray(len);
    return kind === 'f32' ? Float32Array.from(x) : x;
  };
  const a = make(m * k);
  const b = make(k * n);
  const c = make(m * n);
  const c0 = Float64Array.from(c);
  const want = refGemm(transA, transB, m, n, k, alpha, a, b, beta, c0);
  const scale = refAbsGemm(transA, transB, m, n, k, a, b);
  gemm(transA, transB, m, n, k, alpha, a as Float64Array, b as Float64Array, beta, c as Float64Array);
  const eps = kind === 'f32' ? 2 ** -24 : 2 ** -53;
  for (let i = 0; i < m * n; i++) {
    // Classical bound for a k-term dot product, γ_{k+2} ≈ (k+2)·ε (Higham, Accuracy and Stability, §3.5).
    const bound = eps * ((k + 2) * Math.abs(alpha) * scale[i] + 2 * Math.abs(beta * c0[i])) + 1e-300;
    if (!(Math.abs(c[i] - want[i]) <= bound)) {
      throw new Error(
        `${provider()} ${kind} ${JSON.stringify(t)}: entry ${i} got ${c[i]}, want ${want[i]} (bound ${bound})`,
      );
    }
  }
}

const shapes: Array<[number, number, number]> = [
  [0, 0, 0],
  [0, 3, 2],
  [3, 0, 2],
  [3, 2, 0],
  [1, 1, 1],
  [1, 7, 5],
  [7, 1, 5],
  [5, 7, 1],
  [4, 4, 4],
  [9, 13, 17],
  [33, 65, 31],
  [17, 130, 21],
  // Above the native providers' small-product cut-over (so these run natively), incl. 1-wide.
  [40, 50, 33],
  [1, 250, 150],
  [250, 1, 150],
  [150, 250, 1],
];

const providers = availableProviders();

describe.each(providers)('gemm on provider %s', (name: ProviderName) => {
  beforeAll(() => setProvider(name));
  // 'wasm' runs plain products on the same JS kernel as 'js' (it differs only inside tfjs), so the
  // exhaustive sweeps run once, on 'js'; the other tests still run on both.
  const sweep = name === 'wasm' ? test.skip : test;

  for (const kind of ['f32', 'f64'] as const) {
    sweep(`${kind}: all transpose combinations and edge shapes match the float64 reference`, () => {
      const rng = new Rng(`gemm-${name}-${kind}`);
      for (const [m, n, k] of shapes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const general = (m + n + k) % 2 === 1;
            check(
              kind,
              { transA, transB, m, n, k, alpha: general ? -0.75 : 1, beta: general ? 0.5 : 0 },
              rng,
            );
          }
        }
      }
    });

    sweep(`${kind}: property test on random shapes, alpha and beta`, () => {
      fc.assert(
        fc.property(
          fc.record({
            transA: fc.boolean(),
            transB: fc.boolean(),
            m: fc.integer({ min: 0, max: 40 }),
            n: fc.integer({ min: 0, max: 40 }),
            k: fc.integer({ min: 0, max: 40 }),
            alpha: fc.constantFrom(1, -1, 0, 0.3, 2.5),
            beta: fc.constantFrom(0, 1, -0.5, 2),
            seed: fc.integer({ min: 0, max: 1 << 30 }),
          }),
          ({ seed, ...t }) => check(kind, t, new Rng(seed)),
        ),
        { numRuns: 60, seed: 7 },
      );
    });
  }

  test('beta = 0 ignores NaN already in C, as BLAS does', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const c = Float64Array.of(Number.NaN, Number.NaN, Number.NaN, Number.NaN);
    gemm(false, false, 2, 2, 2, 1, a, a, 0, c);
    expect(Array.from(c)).toEqual([7, 10, 15, 22]);
  });

  test('large product (above native thresholds) matches the reference', () => {
    const rng = new Rng(3);
    check('f32', { transA: true, transB: true, m: 96, n: 80, k: 150, alpha: 1, beta: 0 }, rng);
    check('f64', { transA: false, transB: true, m: 96, n: 80, k: 150, alpha: 1, beta: 1 }, rng);
  });
});

describe('gemm validation', () => {
  test('rejects mixed element types and short arrays with typed errors', () => {
    const f32 = new Float32Array(4);
    const f64 = new Float64Array(4);
    expect(() => gemm(false, false, 2, 2, 2, 1, f32 as unknown as Float64Array, f64, 0, f64)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
    expect(() => gemm(false, false, 2, 2, 3, 1, f64, f64, 0, f64)).toThrow(/a must be at least 6 elements/);
    expect(() => gemm(false, false, -1, 2, 2, 1, f64, f64, 0, f64)).toThrow(
      /m must be a non-negative integer/,
    );
    expect(() => gemm(false, false, 2, 2, 2, Number.NaN, f64, f64, 0, f64)).toThrow(
      /alpha must be a finite number/,
    );
    expect(() => gemm(false, false, 1, 1, 1, 1, [1] as unknown as Float64Array, f64, 0, f64)).toThrow(
      /a must be a Float32Array or Float64Array/,
    );
  });

  test('matmul returns A·B in the element type of A', () => {
    const c = matmul(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(1, 0, 0, 1, 1, 1), 2, 3, 2);
    expect(c).toBeInstanceOf(Float32Array);
    expect(Array.from(c)).toEqual([4, 5, 10, 11]);
    const d = matmul(Float64Array.of(1, 2), Float64Array.of(3, 4), 2, 1, 2);
    expect(Array.from(d)).toEqual([3, 4, 6, 8]);
  });
});
