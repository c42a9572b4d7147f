import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import fc from 'fast-check';
import { bruteForceCutNorm } from '../../test/reference';
import { difference, prepareInput } from '../cut-input';
import { cutNorm } from '../cut-norm';

/** Independent dense reference of the mass matrix of mask − graphon on the union of the cuts. */
function referenceMass(mask: BitMatrix, w: StepGraphon) {
  const union = (a: number[], b: ArrayLike<number>) =>
    [...new Set([...a, ...Array.from(b)])]
      .sort((x, y) => x - y)
      .filter((x, i, arr) => i === 0 || x - arr[i - 1] > 1e-12);
  const rc = union(
    Array.from({ length: mask.rows + 1 }, (_, i) => i / mask.rows),
    w.rowCuts,
  );
  const cc = union(
    Array.from({ length: mask.cols + 1 }, (_, i) => i / mask.cols),
    w.colCuts,
  );
  const m = rc.length - 1;
  const n = cc.length - 1;
  const values = new Float64Array(m * n);
  // |mask entry| + |graphon value|: the magnitudes of the two terms.
  const magnitudes = new Float64Array(m * n);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < n; q++) {
      const u = 0.5 * (rc[p] + rc[p + 1]);
      const v = 0.5 * (cc[q] + cc[q + 1]);
      const bit = mask.get(Math.floor(u * mask.rows), Math.floor(v * mask.cols)) ? 1 : 0;
      values[p * n + q] = bit - w.value(u, v);
      magnitudes[p * n + q] = bit + Math.abs(w.value(u, v));
    }
  }
  const rw = rc.slice(1).map((x, i) => x - rc[i]);
  const cw = cc.slice(1).map((x, i) => x - cc[i]);
  return { values, magnitudes, m, n, rw, cw };
}

// Global lookups are slow inside jest's vm context; module-level aliases are not.
const { abs, max } = Math;

const caseArb = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 6 }),
  k: fc.integer({ min: 1, max: 3 }),
  l: fc.integer({ min: 1, max: 3 }),
});

function build({
  seed,
  rows,
  cols,
  k,
  l,
}: {
  seed: number;
  rows: number;
  cols: number;
  k: number;
  l: number;
}) {
  const rng = new Rng(seed);
  const mask = BitMatrix.from(rows, cols, () => rng.uniform() < 0.5);
  const cuts = (b: number) => {
    const c = [0];
    for (let i = 1; i < b; i++)
      c.push(Math.max(c[i - 1] + 0.05, Math.min(0.95, (i + rng.uniform() - 0.5) / b)));
    c.push(1);
    return c;
  };
  const w = new StepGraphon(
    cuts(k),
    cuts(l),
    Array.from({ length: k * l }, () => rng.uniform()),
  );
  return { mask, w, rng };
}

describe('BlockOperator (mask − step graphon on the refinement)', () => {
  it('products B·X and Bᵀ·Y equal the dense reference for R = 1, 3, 8, 19', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { mask, w, rng } = build(c);
        const ref = referenceMass(mask, w);
        const { op } = prepareInput(difference(mask, w));
        expect(op.rows).toBe(ref.m);
        expect(op.cols).toBe(ref.n);
        let worst = 0;
        for (const r of [1, 3, 8, 19]) {
          const x = new Float64Array(ref.n * r).map(() => rng.normal());
          const y = new Float64Array(ref.m * r).map(() => rng.normal());
          const bx = new Float64Array(ref.m * r);
          const bty = new Float64Array(ref.n * r);
          op.mul(x, r, bx);
          op.mulT(y, r, bty);
          for (let p = 0; p < ref.m; p++) {
            for (let k = 0; k < r; k++) {
              let s = 0;
              for (let q = 0; q < ref.n; q++)
                s += ref.rw[p] * ref.cw[q] * ref.values[p * ref.n + q] * x[q * r + k];
              worst = max(worst, abs(bx[p * r + k] - s));
            }
          }
          for (let q = 0; q < ref.n; q++) {
            for (let k = 0; k < r; k++) {
              let s = 0;
              for (let p = 0; p < ref.m; p++)
                s += ref.rw[p] * ref.cw[q] * ref.values[p * ref.n + q] * y[p * r + k];
              worst = max(worst, abs(bty[q * r + k] - s));
            }
          }
        }
        expect(worst).toBeLessThan(1e-13);
      }),
      { numRuns: 12 },
    );
  });

  it('value rows and magnitude rows equal the dense reference (one-column graphons: the fill path)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { mask, w } = build(c);
        const ref = referenceMass(mask, w);
        const { op } = prepareInput(difference(mask, w));
        const value = new Float64Array(ref.n);
        const abs = new Float64Array(ref.n);
        for (let p = 0; p < ref.m; p++) {
          op.valueRow(p, value, abs);
          // Two terms: a sum of two floats, the same in either order, so exact.
          expect(value).toEqual(ref.values.subarray(p * ref.n, (p + 1) * ref.n));
          expect(abs).toEqual(ref.magnitudes.subarray(p * ref.n, (p + 1) * ref.n));
        }
        // Rows in reverse order, with and without magnitudes in turn (the shared dense part is recomputed
        // whenever the row or the request changes).
        for (let p = ref.m - 1; p >= 0; p--) {
          const withAbs = p % 2 === 0;
          abs.fill(Number.NaN);
          op.valueRow(p, value, withAbs ? abs : undefined);
          expect(value).toEqual(ref.values.subarray(p * ref.n, (p + 1) * ref.n));
          if (withAbs) expect(abs).toEqual(ref.magnitudes.subarray(p * ref.n, (p + 1) * ref.n));
        }
      }),
      { numRuns: 25 },
    );
    // A −0 term (coef −1 times a zero graphon) leaves +0, as a sum started at 0 does.
    const { op } = prepareInput(difference(new BitMatrix(2, 3), StepGraphon.constant(0)));
    const row = new Float64Array(3).fill(7);
    op.valueRow(1, row);
    for (const x of row) expect(Object.is(x, 0)).toBe(true);
  });

  it('exact cut norm of mask − graphon equals weighted brute force on the union grid', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { mask, w } = build(c);
        const ref = referenceMass(mask, w);
        const expected = bruteForceCutNorm(ref.values, ref.m, ref.n, ref.rw, ref.cw);
        expect(cutNorm(difference(mask, w), { method: 'exact' }).lowerBound).toBeCloseTo(expected, 13);
      }),
      { numRuns: 25 },
    );
  });

  it('a mask with a side above 65536 (Uint32 positions, JavaScript gathers) equals the dense reference', () => {
    // 3 × 70000 at density 0.01 minus the constant 0.01: every product mode and the incremental update.
    const rng = new Rng('wide-mask');
    const mask = BitMatrix.from(3, 70000, () => rng.uniform() < 0.01);
    const w = StepGraphon.constant(0.01);
    const ref = referenceMass(mask, w);
    const { op } = prepareInput(difference(mask, w));
    expect(op.summands[0].kind === 'mask' && op.summands[0].colIdx).toBeInstanceOf(Uint32Array);
    const mass = (p: number, q: number) => ref.rw[p] * ref.cw[q] * ref.values[p * ref.n + q];
    for (const r of [1, 3, 8]) {
      // 0/1 inputs, so the packed 'indicator' mode applies too.
      const x = new Float64Array(ref.n * r).map(() => (rng.uniform() < 0.5 ? 1 : 0));
      const y = new Float64Array(ref.m * r).map(() => (rng.uniform() < 0.5 ? 1 : 0));
      for (const mode of ['fast', 'float64', 'indicator'] as const) {
        const bx = new Float64Array(ref.m * r);
        const bty = new Float64Array(ref.n * r);
        op.mul(x, r, bx, mode);
        op.mulT(y, r, bty, mode);
        let worst = 0;
        for (let p = 0; p < ref.m; p++) {
          for (let k = 0; k < r; k++) {
            let s = 0;
            for (let q = 0; q < ref.n; q++) s += mass(p, q) * x[q * r + k];
            worst = max(worst, abs(bx[p * r + k] - s));
          }
        }
        for (let q = 0; q < ref.n; q++) {
          for (let k = 0; k < r; k++) {
            let s = 0;
            for (let p = 0; p < ref.m; p++) s += mass(p, q) * y[p * r + k];
            worst = max(worst, abs(bty[q * r + k] - s));
          }
        }
        expect(worst).toBeLessThan(1e-13);
      }
      // B·x updated from three changed columns that hold set bits (and Bᵀ·y from two changed rows) equals
      // the product of the changed input.
      const summand = op.summands[0];
      if (summand.kind !== 'mask') throw new Error('expected the mask summand first');
      for (const transposed of [false, true]) {
        const nIn = transposed ? ref.m : ref.n;
        const nOut = transposed ? ref.n : ref.m;
        const changed = transposed
          ? Uint32Array.of(0, 2)
          : Uint32Array.from(new Set([summand.colIdx[0], summand.colIdx[summand.colIdx.length - 1], 1234]));
        const v = transposed ? y.slice() : x.slice();
        const apply = (input: Float64Array, o: Float64Array) =>
          transposed ? op.mulT(input, r, o, 'float64') : op.mul(input, r, o, 'float64');
        const out = new Float64Array(nOut * r);
        apply(v, out);
        const dv = new Float64Array(nIn * r);
        for (const q of changed) for (let k = 0; k < r; k++) dv[q * r + k] = rng.normal();
        op.addProduct(transposed, dv, changed, changed.length, r, out);
        for (let i = 0; i < v.length; i++) v[i] += dv[i];
        const full = new Float64Array(nOut * r);
        apply(v, full);
        let diff = 0;
        for (let i = 0; i < full.length; i++) diff = max(diff, abs(out[i] - full[i]));
        expect(diff).toBeLessThan(1e-13);
      }
    }
  });
});
