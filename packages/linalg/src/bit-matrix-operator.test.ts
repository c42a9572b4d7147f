import { join } from 'node:path';
import { BitMatrix, Rng } from '@graphon-pai/core';
import { expectGeneratorCheck, randomMask } from '@graphon-pai/test-utils';
import { expectOperatorProducts } from '../test/reference';
import { bitMatrixOperator } from './bit-matrix-operator';
import { availableProviders, provider, setProvider } from './provider';

const initial = provider();
afterAll(() => setProvider(initial));

/** A seeded Bernoulli mask and its dense 0/1 copy. */
function maskAndDense(rows: number, cols: number, density: number, seed: string) {
  const mask = randomMask(rows, cols, density, seed);
  return { mask, dense: Float64Array.from(mask.toDense()) };
}

describe.each(availableProviders())('bitMatrixOperator on provider %s', (name) => {
  beforeAll(() => setProvider(name));

  test.each([
    ['auto (dense at density > 0.2)', {}],
    ['sparse gathers (WebAssembly kernels)', { mode: 'sparse', kernel: 'wasm' }],
    ['sparse gathers (JavaScript kernel)', { mode: 'sparse', kernel: 'js' }],
    ['dense, cached expansion', { mode: 'dense' }],
    ['dense panels of 3 rows (partial last panel)', { mode: 'dense', cacheBytes: 0, panelBytes: 3 * 70 * 8 }],
    ['dense panels of one row', { mode: 'dense', cacheBytes: 0, panelBytes: 1 }],
    ['auto with no memory budget (dense panels)', { cacheBytes: 0 }],
  ] as const)('%s: matmat = M·x and rmatmat = Mᵀ·y exactly, reused buffers overwritten', (_, options) => {
    // 70 columns: not a multiple of 32 (padding bits), density 0.3, plus an all-ones row and column.
    const rows = 37;
    const cols = 70;
    const { mask, dense } = maskAndDense(rows, cols, 0.3, 'bit-op');
    for (let c = 0; c < cols; c++) {
      mask.set(5, c);
      dense[5 * cols + c] = 1;
    }
    for (let r = 0; r < rows; r++) {
      mask.set(r, 69);
      dense[r * cols + 69] = 1;
    }
    const op = bitMatrixOperator(mask, options);
    expect([op.rows, op.cols]).toEqual([rows, cols]);
    const rng = new Rng('bit-op-x');
    // Widths 15 = 8 + 4 + 2 + 1 (every kernel), then narrower blocks in the grown buffers.
    expectOperatorProducts(op, dense, [1, 15, 5, 1], rng);
  });
});

describe('bitMatrixOperator', () => {
  test.each(['auto', 'js'] as const)(
    'sparse route (kernel %s) at density 0.05 and with Uint32 indices (66000 columns)',
    (kernel) => {
      const rng = new Rng('bit-op-sparse');
      for (const [rows, cols] of [
        [50, 90],
        [2, 66000],
      ]) {
        const { mask, dense } = maskAndDense(rows, cols, 0.05, `sparse-${cols}`);
        const op = bitMatrixOperator(mask, { kernel });
        expectOperatorProducts(op, dense, [13, 1], rng);
      }
    },
  );

  test('the WebAssembly kernels equal a float64 reference on a 700×300 mask with empty rows and columns', () => {
    // Rows of 0…3 set bits exercise the kernels' tails without their unrolled loops; long rows exercise both.
    const rows = 700;
    const cols = 300;
    const { mask, dense } = maskAndDense(rows, cols, 0.1, 'bit-op-wasm');
    for (let r = 0; r < 40; r++) {
      for (let c = 0; c < cols; c++) {
        const on = c < r % 4;
        mask.set(r, c, on);
        dense[r * cols + c] = on ? 1 : 0;
      }
    }
    for (let r = 0; r < rows; r++) {
      mask.set(r, 7, false);
      dense[r * cols + 7] = 0;
    }
    const op = bitMatrixOperator(mask, { kernel: 'wasm' });
    const rng = new Rng('bit-op-wasm-x');
    expectOperatorProducts(op, dense, [1, 2, 3, 4, 8, 9, 16, 33], rng);
  });

  test('the committed WebAssembly binary and gather.wat are what scripts/gather-wasm.mjs generates', () => {
    expectGeneratorCheck(join(__dirname, '..', 'scripts', 'gather-wasm.mjs'));
  });

  test('empty masks and typed errors', () => {
    for (const options of [
      { mode: 'sparse' },
      { mode: 'sparse', kernel: 'js' },
      { mode: 'dense' },
    ] as const) {
      const op = bitMatrixOperator(new BitMatrix(0, 4), options);
      const out = new Float64Array(8).fill(7);
      op.rmatmat(new Float64Array(0), 2, out);
      expect(Array.from(out)).toEqual(new Array(8).fill(0));
    }
    expect(() => bitMatrixOperator({ rows: 2, cols: 3 } as unknown as BitMatrix)).toThrow(
      /mask must be a BitMatrix/,
    );
    expect(() => bitMatrixOperator(new BitMatrix(2, 3), { cacheBytes: -1 })).toThrow(/options.cacheBytes/);
    expect(() => bitMatrixOperator(new BitMatrix(2, 3), { mode: 'csr' as 'auto' })).toThrow(/options.mode/);
    expect(() => bitMatrixOperator(new BitMatrix(2, 3), { kernel: 'simd' as 'auto' })).toThrow(
      /options.kernel/,
    );
    expect(() => bitMatrixOperator(new BitMatrix(2, 66000), { kernel: 'wasm' })).toThrow(
      expect.objectContaining({
        code: 'E_UNSUPPORTED',
        message: expect.stringMatching(/≤ 65536.*kernel: 'auto'/),
      }),
    );
    expect(() => bitMatrixOperator(new BitMatrix(2, 3), { panelBytes: Number.NaN })).toThrow(
      /options.panelBytes/,
    );
  });
});
