import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import { randomMask } from '@graphon-pai/test-utils';
import { type CutNormInput, difference, prepareInput } from '../cut-input';
import { alternate, alternateMany, ProductTracker } from './alternate';
import type { BlockOperator } from './operator';

// Global lookups are slow inside jest's vm context; module-level aliases are not.
const { abs, max } = Math;

/** Operators on which the fast paths apply (uniform grids, masks without maps) and some on which they do not. */
function operators(rng: Rng): { name: string; op: BlockOperator }[] {
  const cases: { name: string; x: CutNormInput }[] = [
    { name: 'mask − constant', x: difference(randomMask(37, 53, 0.3, rng), StepGraphon.constant(0.3)) },
    {
      name: 'mask − mask (same size)',
      x: difference(randomMask(40, 40, 0.5, rng), randomMask(40, 40, 0.2, rng)),
    },
    {
      name: 'mask − aligned step graphon',
      x: difference(
        randomMask(16, 24, 0.4, rng),
        new StepGraphon([0, 0.25, 1], [0, 0.5, 0.75, 1], [0.1, 0.9, 0.4, 0.3, 0.2, 0.7]),
      ),
    },
    // Rows of 511 ones: with an all-ones block the packed 9-bit counters reach exactly their capacity.
    {
      name: 'full rows (counter capacity)',
      x: BitMatrix.from(3, 512, (i, j) => (i === 1 ? j < 300 : j < 511)),
    },
    {
      name: 'mask − unaligned step graphon (maps)',
      x: difference(
        randomMask(9, 11, 0.5, rng),
        new StepGraphon([0, 0.37, 1], [0, 0.61, 1], [0.2, 0.5, 0.8, 0.1]),
      ),
    },
    {
      name: 'mask − mask (different sizes)',
      x: difference(randomMask(12, 10, 0.5, rng), randomMask(8, 15, 0.5, rng)),
    },
    {
      name: 'dense matrix',
      x: { rows: 7, cols: 9, data: Array.from({ length: 63 }, () => rng.normal()) },
    },
  ];
  return cases.map(({ name, x }) => ({ name, op: prepareInput(x).op }));
}

function relDiff(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = max(scale, abs(b[i]));
    worst = max(worst, abs(a[i] - b[i]));
  }
  return worst / max(scale, 1e-300);
}

function indicators(rng: Rng, length: number, density = 0.5): Float64Array {
  return new Float64Array(length).map(() => (rng.uniform() < density ? 1 : 0));
}

describe('packed indicator products', () => {
  it('equal the float64 products on 0/1 blocks (r = 2, 5, 8, 13, 32; both directions)', () => {
    const rng = new Rng('indicator');
    for (const { name, op } of operators(rng)) {
      for (const r of [2, 5, 8, 13, 32]) {
        for (const transposed of [false, true]) {
          const nIn = transposed ? op.rows : op.cols;
          const nOut = transposed ? op.cols : op.rows;
          const x = indicators(rng, nIn * r, r === 13 ? 1 : 0.5);
          const fast = new Float64Array(nOut * r);
          const packed = new Float64Array(nOut * r);
          if (transposed) {
            op.mulT(x, r, fast, 'float64');
            op.mulT(x, r, packed, 'indicator');
          } else {
            op.mul(x, r, fast, 'float64');
            op.mul(x, r, packed, 'indicator');
          }
          if (relDiff(packed, fast) > 1e-13) throw new Error(`${name} r=${r} transposed=${transposed}`);
          expect(relDiff(packed, fast)).toBeLessThan(1e-13);
        }
      }
    }
  });
});

describe('incremental products', () => {
  it('addProduct updates B·x (and Bᵀ·y) from a few changed rows, with rank-one terms', () => {
    const rng = new Rng('incremental');
    for (const { name, op } of operators(rng)) {
      if (!op.incremental) continue;
      op.rankOne.push({
        coef: 0.3,
        s: new Float64Array(op.rows).map(() => rng.normal()),
        t: new Float64Array(op.cols).map(() => rng.normal()),
      });
      for (const r of [1, 8]) {
        for (const transposed of [false, true]) {
          const nIn = transposed ? op.rows : op.cols;
          const nOut = transposed ? op.cols : op.rows;
          const x = new Float64Array(nIn * r).map(() => rng.normal());
          const out = new Float64Array(nOut * r);
          const apply = (v: Float64Array, o: Float64Array) =>
            transposed ? op.mulT(v, r, o, 'float64') : op.mul(v, r, o, 'float64');
          apply(x, out);
          const changed = Uint32Array.from(new Set([0, Math.floor(nIn / 2), nIn - 1]));
          const dx = new Float64Array(nIn * r);
          // Some columns of a changed row stay unchanged (and a row may not change at all).
          for (const q of changed)
            for (let k = 0; k < r; k++) dx[q * r + k] = (k + q) % 3 !== 0 ? rng.normal() : 0;
          op.addProduct(transposed, dx, changed, changed.length, r, out);
          for (let i = 0; i < x.length; i++) x[i] += dx[i];
          const full = new Float64Array(nOut * r);
          apply(x, full);
          if (relDiff(out, full) > 1e-12) throw new Error(`${name} r=${r} transposed=${transposed}`);
          expect(relDiff(out, full)).toBeLessThan(1e-12);
        }
      }
      op.rankOne.pop();
    }
  });

  it('is offered exactly when masks carry no maps and dense summands are small', () => {
    const rng = new Rng('offered');
    const flags = Object.fromEntries(operators(rng).map(({ name, op }) => [name, op.incremental]));
    expect(flags).toEqual({
      'mask − constant': true,
      'mask − mask (same size)': true,
      'mask − aligned step graphon': true,
      'full rows (counter capacity)': true,
      'mask − unaligned step graphon (maps)': false,
      'mask − mask (different sizes)': false,
      'dense matrix': true,
    });
  });

  it('ProductTracker keeps op·v current through few and many changes', () => {
    const rng = new Rng('tracker');
    for (const { op } of operators(rng)) {
      for (const r of [1, 8]) {
        const tracker = new ProductTracker(op, false, r);
        const prev = indicators(rng, op.cols * r);
        const out = new Float64Array(op.rows * r);
        op.mul(prev, r, out, 'indicator');
        for (const flips of [1, op.cols * r]) {
          const next = Float64Array.from(prev);
          for (let f = 0; f < flips; f++) {
            const i = Math.floor(rng.uniform() * next.length);
            next[i] = 1 - next[i];
          }
          tracker.update(prev, next, out, 'indicator');
          expect(Array.from(prev)).toEqual(Array.from(next));
          const full = new Float64Array(op.rows * r);
          op.mul(next, r, full, 'float64');
          expect(relDiff(out, full)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('alternating maximisation reaches a cut that neither side can improve (value recomputed)', () => {
    const rng = new Rng('alternate');
    for (const { op } of operators(rng)) {
      const c = 6;
      const cut = alternateMany(op, indicators(rng, op.cols * c), c);
      // The returned value is the cut's value.
      expect(cut.value).toBeCloseTo(op.cutValue(cut.s, cut.t), 12);
      // Best responses: no single row or column flip improves sign · value.
      const sign = cut.value < 0 ? -1 : 1;
      const y = new Float64Array(op.rows);
      op.mul(cut.t, 1, y);
      for (let p = 0; p < op.rows; p++)
        expect(sign * y[p] * (cut.s[p] ? 1 : -1)).toBeGreaterThanOrEqual(-1e-15);
      const single = alternate(op, cut.t, sign);
      expect(abs(single.value)).toBeGreaterThanOrEqual(abs(cut.value) - 1e-15);
    }
  });
});

describe('positiveNegativeMass', () => {
  it('equals max(Σ B⁺, Σ B⁻) of the dense mass matrix, with and without rank-one terms', () => {
    const rng = new Rng('pnm');
    for (const { op } of operators(rng)) {
      for (const withRankOne of [false, true]) {
        if (withRankOne) {
          op.rankOne.push({
            coef: -0.7,
            s: indicators(rng, op.rows),
            t: indicators(rng, op.cols),
          });
        }
        const b = op.denseMass();
        let pos = 0;
        let neg = 0;
        for (const v of b) {
          if (v > 0) pos += v;
          else neg -= v;
        }
        // Different summation orders: agreement to rounding (1e-13 relative).
        expect(abs((op.positiveNegativeMass(1e9) as number) - max(pos, neg))).toBeLessThan(
          1e-13 * max(pos, neg),
        );
        expect(op.positiveNegativeMass(10)).toBeUndefined();
        if (withRankOne) op.rankOne.pop();
      }
    }
  });
});
