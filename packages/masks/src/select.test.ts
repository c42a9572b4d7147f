import { BitMatrix, type NetworkMask, Rng, type ScoreMap } from '@graphon-pai/core';
import fc from 'fast-check';
import { makeScores, masksEqual, referenceRanking, referenceTopK, totalNnz } from '../test/helpers/reference';
import { keptCount } from './density';
import { selectLayerCounts, selectTopK, SelectionWorkspace } from './select';

/** Scores with many ties: a few distinct values, including −0, +0 and negatives. */
const tieValue = fc.constantFrom(-2, -1, -0, 0, 0.5, 1, 1, 3, 1e-30, -1e-30);
const layerArb = fc
  .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 70 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      values: fc.array(fc.oneof(tieValue, fc.float({ noNaN: true, noDefaultInfinity: true })), {
        minLength: rows * cols,
        maxLength: rows * cols,
      }),
    }),
  );
const netArb = fc
  .array(layerArb, { minLength: 1, maxLength: 4 })
  .map((ls) => makeScores(ls.map((l, i) => [`l${i}`, { rows: l.rows, cols: l.cols }, l.values])));

function total(s: ScoreMap): number {
  let n = 0;
  for (const l of s.values()) n += l.scores.length;
  return n;
}

describe('selectTopK (global)', () => {
  it('equals a stable full sort on random inputs with many ties', () => {
    fc.assert(
      fc.property(netArb, fc.double({ min: 0, max: 1, noNaN: true }), (scores, frac) => {
        const k = Math.round(frac * total(scores));
        const got = selectTopK(scores, k);
        expect(totalNnz(got)).toBe(k);
        expect(masksEqual(got, referenceTopK(scores, k))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('honours `within` (only eligible entries kept) and equals the reference', () => {
    fc.assert(
      fc.property(
        netArb,
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.03, 0.6),
        (scores, seed, frac, p) => {
          const rng = new Rng(seed);
          const within: NetworkMask = new Map();
          // p = 0.03 leaves whole 32-entry words empty (the skip path of iterative rounds).
          for (const [name, { shape }] of scores)
            within.set(
              name,
              BitMatrix.from(shape.rows, shape.cols, () => rng.bernoulli(p)),
            );
          const eligible = totalNnz(within);
          const k = Math.round(frac * eligible);
          const got = selectTopK(scores, k, { within });
          expect(totalNnz(got)).toBe(k);
          for (const [name, m] of got) expect(m.isSubsetOf(within.get(name)!)).toBe(true);
          expect(masksEqual(got, referenceTopK(scores, k, within))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('treats −0 and +0 as equal scores (tie broken by index)', () => {
    const scores = makeScores([['a', { rows: 1, cols: 4 }, [0, -0, 0, -0]]]);
    const m = selectTopK(scores, 2).get('a')!;
    expect(Array.from(m.toDense())).toEqual([1, 1, 0, 0]);
    const s2 = makeScores([['a', { rows: 1, cols: 4 }, [-0, 0, -0, 0]]]);
    expect(Array.from(selectTopK(s2, 2).get('a')!.toDense())).toEqual([1, 1, 0, 0]);
  });

  it('uses the sampling path on large scopes and still equals the reference (continuous and tied scores)', () => {
    const rng = new Rng(7);
    // 2 × 70000 (rows longer than the kernel's 2¹⁶-entry block) + 130 × 1000 (row tails < 32): N ≥ 2¹⁸.
    const n = 2 * 70000 + 130 * 1000;
    const cont = new Float32Array(n);
    for (let i = 0; i < n; i++) cont[i] = rng.normal();
    const tied = new Float32Array(n);
    for (let i = 0; i < n; i++) tied[i] = rng.int(7) - 3;
    const ws = new SelectionWorkspace();
    const js = new SelectionWorkspace();
    js.engine = 'js'; // the scalar fused pass (the default uses the WebAssembly SIMD kernel when present)
    const fallback = new SelectionWorkspace();
    fallback.maxCandidates = 8; // forces the radix fallback after the sampling pass
    for (const values of [cont, tied]) {
      const scores: ScoreMap = new Map([
        ['a', { shape: { rows: 2, cols: 70000 }, scores: values.subarray(0, 140000) }],
        ['b', { shape: { rows: 130, cols: 1000 }, scores: values.subarray(140000) }],
      ]);
      const reference = referenceRanking(scores);
      for (const density of [0.001, 0.1, 0.9]) {
        const k = keptCount(density, n);
        const expected = reference(k);
        for (const workspace of density === 0.1 ? [ws, js, fallback] : [ws, js]) {
          const got = selectTopK(scores, k, { workspace });
          expect(totalNnz(got)).toBe(k);
          expect(masksEqual(got, expected)).toBe(true);
        }
      }
    }
  });

  it('honours `within` on large scopes (generic sampling pass, empty words skipped)', () => {
    const rng = new Rng(11);
    const rows = 300;
    const cols = 1000;
    const values = new Float32Array(rows * cols);
    for (let i = 0; i < values.length; i++) values[i] = rng.int(50) / 7;
    const scores: ScoreMap = new Map([['w', { shape: { rows, cols }, scores: values }]]);
    // Rows alternate between dense-ish and nearly empty eligibility.
    const within: NetworkMask = new Map([
      ['w', BitMatrix.from(rows, cols, (r) => rng.bernoulli(r % 2 === 0 ? 0.7 : 0.01))],
    ]);
    const eligible = within.get('w')!.nnz();
    const reference = referenceRanking(scores, within);
    for (const frac of [0.01, 0.5, 0.97]) {
      const k = Math.round(frac * eligible);
      const expected = reference(k);
      for (const nonFinite of ['error', 'rank'] as const) {
        for (const engine of ['auto', 'js'] as const) {
          // 'error' + 'auto' runs the SIMD kernel with the eligibility words; the others the JS pass.
          const workspace = new SelectionWorkspace();
          workspace.engine = engine;
          const got = selectTopK(scores, k, { within, nonFinite, workspace });
          for (const [name, m] of got) expect(m.isSubsetOf(within.get(name)!)).toBe(true);
          expect(masksEqual(got, expected)).toBe(true);
        }
      }
    }
  });

  it('keeps nothing for k = 0 and everything for k = N', () => {
    const scores = makeScores([['a', { rows: 2, cols: 33 }, Array.from({ length: 66 }, (_, i) => i % 5)]]);
    expect(totalNnz(selectTopK(scores, 0))).toBe(0);
    const all = selectTopK(scores, 66).get('a')!;
    expect(all.nnz()).toBe(66);
    // Padding bits stay zero (BitMatrix invariant).
    expect(all.words[1] >>> 1).toBe(0);
  });
});

describe('non-finite scores', () => {
  const bad = makeScores([['fc', { rows: 2, cols: 3 }, [1, 2, Number.NaN, 4, -Infinity, Infinity]]]);
  it('are an error by default, naming layer, row and column', () => {
    expect(() => selectTopK(bad, 2)).toThrow(/scores\['fc'\]\[0, 2\]/);
    try {
      selectTopK(bad, 2);
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_INVALID_ARGUMENT');
    }
  });
  it("are ranked with nonFinite: 'rank' (+∞ first, −∞ after numbers, NaN last)", () => {
    const order = [5, 3, 1, 0, 4, 2];
    for (let k = 0; k <= 6; k++) {
      const m = selectTopK(bad, k, { nonFinite: 'rank' }).get('fc')!;
      const dense = m.toDense();
      for (let i = 0; i < 6; i++) expect(dense[order[i]]).toBe(i < k ? 1 : 0);
    }
  });
  it('are detected by the fast fused pass on large scopes', () => {
    const n = 1 << 19;
    const s = new Float32Array(n);
    for (let i = 0; i < n; i++) s[i] = (i * 7919) % 1000;
    const withinFor = new Map(
      [1024, 1000].map((c) => [c, BitMatrix.from(512, c, (r, col) => (r + col) % 3 !== 0)] as const),
    );
    for (const v of [Number.NaN, Infinity, -Infinity]) {
      for (const at of [n - 3, 77]) {
        const copy = s.slice();
        copy[at] = v;
        // 1000 columns: row tails (< 32 entries) go through the kernel's scalar loop.
        for (const cols of [1024, 1000]) {
          const shaped = copy.subarray(0, 512 * cols);
          if (at >= shaped.length) continue;
          const scores: ScoreMap = new Map([['big', { shape: { rows: 512, cols }, scores: shaped }]]);
          const where = `scores['big'][${Math.floor(at / cols)}, ${at % cols}]`;
          const within: NetworkMask = new Map([['big', withinFor.get(cols)!]]);
          for (const engine of ['auto', 'js'] as const) {
            const workspace = new SelectionWorkspace();
            workspace.engine = engine;
            expect(() => selectTopK(scores, 1000, { workspace })).toThrow(where);
            // With an eligibility mask: the kernel with eligibility words, or the JS generic pass.
            expect(() => selectTopK(scores, 1000, { workspace, within })).toThrow(where);
          }
        }
      }
    }
  });
});

describe('selectLayerCounts', () => {
  it('keeps exactly the requested count in every layer, equal to per-layer reference sorts', () => {
    fc.assert(
      fc.property(
        netArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (scores, fr) => {
          const counts = new Map<string, number>();
          [...scores.keys()].forEach((name, i) => {
            counts.set(name, Math.round(fr[i] * scores.get(name)!.scores.length));
          });
          const got = selectLayerCounts(scores, counts);
          for (const [name, s] of scores) {
            const ref = referenceTopK(new Map([[name, s]]), counts.get(name)!).get(name)!;
            expect(got.get(name)!.equals(ref)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('bad input', () => {
  const scores = makeScores([['a', { rows: 2, cols: 2 }, [1, 2, 3, 4]]]);
  it('rejects k outside [0, N], unknown layers, shape mismatches and empty score maps', () => {
    expect(() => selectTopK(scores, 5)).toThrow(/k must be an integer in \[0, 4\]/);
    expect(() => selectTopK(scores, 1.5)).toThrow(/k must be/);
    expect(() => selectTopK(new Map(), 0)).toThrow(/non-empty ScoreMap/);
    expect(() => selectLayerCounts(scores, new Map([['b', 1]]))).toThrow(/counts only for scored layers/);
    expect(() => selectLayerCounts(scores, new Map())).toThrow(/counts\['a'\]/);
    expect(() => selectTopK(scores, 1, { within: new Map([['a', new BitMatrix(2, 3)]]) })).toThrow(
      /within\['a'\]/,
    );
    expect(() => selectTopK(scores, 1, { within: new Map() })).toThrow(/within/);
    const wrongLength: ScoreMap = new Map([
      ['a', { shape: { rows: 2, cols: 3 }, scores: new Float32Array(4) }],
    ]);
    expect(() => selectTopK(wrongLength, 1)).toThrow(/length rows · cols = 6/);
    expect(() => selectTopK(scores, 1, { nonFinite: 'zero' as never })).toThrow(/nonFinite/);
  });
});
