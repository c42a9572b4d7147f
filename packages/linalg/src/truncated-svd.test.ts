import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix, Rng } from '@graphon-pai/core';
import { column, frobenius, refGemm } from '../test/reference';
import { bitMatrixOperator } from './bit-matrix-operator';
import type { LinearOperator } from './linear-operator';
import { availableProviders, type ProviderName, provider, setProvider } from './provider';
import { truncatedSvd } from './truncated-svd';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../test/fixtures/decompositions/decompositions.json'), 'utf8'),
) as {
  rectangular: { rows: number; cols: number; data: number[]; values: number[] };
  mask: { rows: number; cols: number; bits: string[]; values: number[] };
};

/** The fixture's 0/1 mask (numpy, density 0.1: σ₁ ≈ 14.2, then a clustered bulk 6.8, 6.43, 6.40, 6.37, …). */
function fixtureMask() {
  const { rows, cols, bits, values } = fixture.mask;
  const mask = new BitMatrix(rows, cols);
  const dense = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (bits[r][c] === '1') {
        mask.set(r, c);
        dense[r * cols + c] = 1;
      }
    }
  }
  return { rows, cols, mask, dense, values };
}

/** The same mask as a per-bit JS operator (the way a caller without the GEMM route would write it), counting columns. */
function sparseOperator(dense: Float64Array, rows: number, cols: number) {
  const counter = { columns: 0 };
  const op: LinearOperator = {
    rows,
    cols,
    matmat(x, k, out) {
      counter.columns += k;
      out.fill(0, 0, rows * k);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
          if (dense[r * cols + c] === 1) for (let t = 0; t < k; t++) out[r * k + t] += x[c * k + t];
    },
    rmatmat(y, k, out) {
      counter.columns += k;
      out.fill(0, 0, cols * k);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
          if (dense[r * cols + c] === 1) for (let t = 0; t < k; t++) out[c * k + t] += y[r * k + t];
    },
  };
  return { op, counter };
}

const initial = provider();
afterAll(() => setProvider(initial));

/** max_j ‖A·v_j − σ_j·u_j‖, max_j ‖Aᵀ·u_j − σ_j·v_j‖ and orthonormality defects of U and V. */
function tripletErrors(a: ArrayLike<number>, rows: number, cols: number, r: ReturnType<typeof truncatedSvd>) {
  const k = r.values.length;
  let av = 0;
  let atu = 0;
  for (let j = 0; j < k; j++) {
    const u = column(r.u, rows, k, j);
    const v = column(r.v, cols, k, j);
    const x = refGemm(false, false, rows, 1, cols, 1, a, v, 0, new Float64Array(0));
    const y = refGemm(true, false, cols, 1, rows, 1, a, u, 0, new Float64Array(0));
    av = Math.max(av, frobenius(x.map((t, i) => t - r.values[j] * u[i])));
    atu = Math.max(atu, frobenius(y.map((t, i) => t - r.values[j] * v[i])));
  }
  const orth = (x: Float64Array, n: number) => {
    const g = refGemm(true, false, k, k, n, 1, x, x, 0, new Float64Array(0));
    let m = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) m = Math.max(m, Math.abs(g[i * k + j] - (i === j ? 1 : 0)));
    return m;
  };
  return { av, atu, orthU: orth(r.u, rows), orthV: orth(r.v, cols) };
}

describe.each(availableProviders())('truncatedSvd on provider %s', (name: ProviderName) => {
  beforeAll(() => setProvider(name));

  test('matches numpy singular values on the fixture (decaying spectrum), with small residuals', () => {
    const { rows, cols, data, values: want } = fixture.rectangular;
    const a = Float64Array.from(data);
    const r = truncatedSvd({ data: a, rows, cols }, 8, { seed: 1 });
    expect(r.converged).toBe(true);
    for (let j = 0; j < 8; j++) expect(Math.abs(r.values[j] - want[j]) / want[0]).toBeLessThan(1e-10);
    const e = tripletErrors(a, rows, cols, r);
    // A·V = U·Σ holds to rounding by construction; Aᵀ·U − V·Σ is the residual the stopping test bounds.
    expect(e.av).toBeLessThan(1e-10 * want[0]);
    expect(e.atu).toBeLessThan(1e-7 * want[0] * 1.01);
    expect(e.orthU).toBeLessThan(1e-12);
    expect(e.orthV).toBeLessThan(1e-12);
  });

  test('0/1 mask (dominant σ₁, clustered bulk) through bitMatrixOperator: numpy values, residuals ≤ tol·σ₁', () => {
    const { rows, cols, mask, dense, values: want } = fixtureMask();
    const k = 12;
    for (const tol of [1e-7, 1e-10]) {
      const r = truncatedSvd(bitMatrixOperator(mask), k, { seed: 4, tol });
      expect(r.converged).toBe(true);
      // |σ̃_j − σ_j| ≤ max residual (a perturbation bound), here ≤ tol·σ₁.
      for (let j = 0; j < k; j++) expect(Math.abs(r.values[j] - want[j])).toBeLessThanOrEqual(tol * want[0]);
      const e = tripletErrors(dense, rows, cols, r);
      expect(e.av).toBeLessThan(1e-10 * want[0]);
      expect(e.atu).toBeLessThan(tol * want[0] * 1.01);
      expect(e.orthU).toBeLessThan(1e-10);
      expect(e.orthV).toBeLessThan(1e-10);
    }
  });

  test('thick restarts: a small basis (block 2, subspace 24) still converges to the numpy values', () => {
    const { rows, cols, dense, values: want } = fixtureMask();
    const k = 12;
    const { op, counter } = sparseOperator(dense, rows, cols);
    const r = truncatedSvd(op, k, { seed: 5, block: 2, subspace: 24, oversample: 4 });
    expect(r.converged).toBe(true);
    // More steps than one basis holds: the basis was compressed (restarted) at least twice.
    expect(r.iterations).toBeGreaterThan((2 * 24) / 2);
    // products counts every column multiplied by A or Aᵀ: 2·b per step plus k per confirmation.
    expect(r.products).toBe(counter.columns);
    expect(r.products).toBeGreaterThanOrEqual(4 * r.iterations + k);
    for (let j = 0; j < k; j++) expect(Math.abs(r.values[j] - want[j])).toBeLessThanOrEqual(1e-7 * want[0]);
    const e = tripletErrors(dense, rows, cols, r);
    expect(e.atu).toBeLessThan(1e-7 * want[0] * 1.01);
    expect(e.orthU).toBeLessThan(1e-10);
    expect(e.orthV).toBeLessThan(1e-10);
    // The wide orientation (Aᵀ, 120×160) gives the same values with u and v swapped.
    const t = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = dense[i * cols + j];
    const rt = truncatedSvd({ data: t, rows: cols, cols: rows }, k, { seed: 5, block: 2, subspace: 24 });
    expect(rt.converged).toBe(true);
    for (let j = 0; j < k; j++) expect(Math.abs(rt.values[j] - want[j])).toBeLessThanOrEqual(1e-7 * want[0]);
    // Solved as its transpose: Aᵀ·u = σ·v holds to rounding, A·v − σ·u is the bounded residual.
    const et = tripletErrors(t, cols, rows, rt);
    expect(et.atu).toBeLessThan(1e-10 * want[0]);
    expect(et.av).toBeLessThan(1e-7 * want[0] * 1.01);
  });

  test('Float32Array data: singular values within float32 accuracy', () => {
    const { rows, cols, data, values: want } = fixture.rectangular;
    const r = truncatedSvd({ data: Float32Array.from(data), rows, cols }, 5, { seed: 2 });
    expect(r.converged).toBe(true);
    for (let j = 0; j < 5; j++) expect(Math.abs(r.values[j] - want[j]) / want[0]).toBeLessThan(1e-5);
  });

  test('implicit operator (never materialised): rank-3 outer-product sum plus a diagonal', () => {
    // A = Σ_t s_t x_t y_tᵀ with orthonormal x, y, evaluated through products only.
    const rows = 300;
    const cols = 200;
    const rng = new Rng('svd-implicit');
    const basis = (n: number, k: number) => {
      const m = rng.normalArray(n * k);
      // Gram–Schmidt on the columns.
      for (let j = 0; j < k; j++) {
        for (let c = 0; c < j; c++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += m[i * k + c] * m[i * k + j];
          for (let i = 0; i < n; i++) m[i * k + j] -= d * m[i * k + c];
        }
        let s = 0;
        for (let i = 0; i < n; i++) s += m[i * k + j] ** 2;
        for (let i = 0; i < n; i++) m[i * k + j] /= Math.sqrt(s);
      }
      return m;
    };
    const sv = [9, 4, 1];
    const x = basis(rows, 3);
    const y = basis(cols, 3);
    let calls = 0;
    const op: LinearOperator = {
      rows,
      cols,
      matmat(v, k, out) {
        calls++;
        // out = X·S·(Yᵀ·v)
        const t = refGemm(true, false, 3, k, cols, 1, y, v, 0, new Float64Array(0));
        for (let i = 0; i < 3; i++) for (let j = 0; j < k; j++) t[i * k + j] *= sv[i];
        out.set(refGemm(false, false, rows, k, 3, 1, x, t, 0, new Float64Array(0)));
      },
      rmatmat(v, k, out) {
        calls++;
        const t = refGemm(true, false, 3, k, rows, 1, x, v, 0, new Float64Array(0));
        for (let i = 0; i < 3; i++) for (let j = 0; j < k; j++) t[i * k + j] *= sv[i];
        out.set(refGemm(false, false, cols, k, 3, 1, y, t, 0, new Float64Array(0)));
      },
    };
    const r = truncatedSvd(op, 4, { seed: 3, oversample: 4 });
    expect(r.converged).toBe(true);
    // One matmat and one rmatmat per block step, plus one rmatmat per convergence confirmation.
    expect(calls).toBeGreaterThanOrEqual(2 * r.iterations + 1);
    expect(calls).toBeLessThanOrEqual(3 * r.iterations);
    expect(r.values[0]).toBeCloseTo(9, 12);
    expect(r.values[1]).toBeCloseTo(4, 12);
    expect(r.values[2]).toBeCloseTo(1, 12);
    expect(r.values[3]).toBeLessThan(1e-12);
    // The left vectors span the columns of X: |⟨u_j, x_j⟩| = 1.
    for (let j = 0; j < 3; j++) {
      let d = 0;
      for (let i = 0; i < rows; i++) d += r.u[i * 4 + j] * x[i * 3 + j];
      expect(Math.abs(Math.abs(d) - 1)).toBeLessThan(1e-10);
    }
    // The zero singular value still comes with unit, orthogonal vectors.
    const dense = refGemm(
      false,
      true,
      rows,
      cols,
      3,
      1,
      x.map((t, i) => t * sv[i % 3]),
      y,
      0,
      new Float64Array(0),
    );
    const e = tripletErrors(dense, rows, cols, r);
    expect(e.orthU).toBeLessThan(1e-10);
    expect(e.orthV).toBeLessThan(1e-10);
  });

  test('wide and tall random matrices: residuals below tol·σ₁, same result for the same seed', () => {
    for (const [rows, cols] of [
      [30, 80],
      [80, 30],
    ]) {
      const a = new Rng(`svd-${rows}`).normalArray(rows * cols);
      const r = truncatedSvd({ data: a, rows, cols }, 6, { seed: 9, oversample: 24 });
      expect(r.converged).toBe(true);
      const e = tripletErrors(a, rows, cols, r);
      expect(e.av).toBeLessThan(1e-10 * r.values[0]);
      expect(e.atu).toBeLessThan(1e-7 * r.values[0] * 1.01);
      const again = truncatedSvd({ data: a, rows, cols }, 6, { seed: 9, oversample: 24 });
      expect(Array.from(again.values)).toEqual(Array.from(r.values));
    }
  });

  test('k = min(rows, cols) recovers every singular value; k = 0 is empty', () => {
    const { rows, cols, data, values: want } = fixture.rectangular;
    const r = truncatedSvd({ data: Float64Array.from(data), rows, cols }, cols);
    for (let j = 0; j < cols; j++) expect(Math.abs(r.values[j] - want[j])).toBeLessThan(1e-12 * want[0]);
    const z = truncatedSvd({ data: new Float64Array(6), rows: 2, cols: 3 }, 0);
    expect(z.values).toHaveLength(0);
    expect(z.converged).toBe(true);
  });

  test('iteration cap: converged = false is reported, the estimate is still returned', () => {
    const a = new Rng('svd-cap').normalArray(60 * 60);
    const r = truncatedSvd({ data: a, rows: 60, cols: 60 }, 10, {
      iterations: 1,
      block: 10,
      oversample: 0,
      tol: 1e-14,
    });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(1);
    expect(r.values).toHaveLength(10);
  });
});

describe('truncatedSvd validation', () => {
  test('typed errors', () => {
    const data = new Float64Array(6);
    expect(() => truncatedSvd({ data, rows: 2, cols: 3 }, 3)).toThrow(
      /k must be an integer in \[0, min\(rows, cols\) = 2\]/,
    );
    expect(() => truncatedSvd({} as LinearOperator, 1)).toThrow(/op must be a LinearOperator/);
    expect(() => truncatedSvd({ data, rows: 2, cols: 3 }, 1, { tol: -1 })).toThrow(/options.tol/);
    expect(() => truncatedSvd({ data, rows: 2, cols: 3 }, 1, { iterations: 0 })).toThrow(
      /options.iterations/,
    );
    expect(() => truncatedSvd({ data, rows: 2, cols: 3 }, 1, { block: 0 })).toThrow(/options.block/);
    expect(() => truncatedSvd({ data, rows: 2, cols: 3 }, 1, { subspace: 1.5 })).toThrow(/options.subspace/);
    const bad = Float64Array.of(1, Number.NaN, 0, 0, 0, 0);
    expect(() => truncatedSvd({ data: bad, rows: 2, cols: 3 }, 1)).toThrow(/finite/);
  });
});
