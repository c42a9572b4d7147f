import { join } from 'node:path';
import { Rng } from '@graphon-pai/core';
import { expectGeneratorCheck } from '@graphon-pai/test-utils';
import { type CertificatePrecision, formGram, gramBlock, gramShape } from './deterministic-certificate';
import { createWasmRowScaler, formRowsKernel } from './form-rows';
import { BlockOperator, type Summand } from './operator';

/**
 * The WebAssembly row kernel of the forming pass against the JavaScript loop it replaces: both must give
 * the same G̃ (hence K̃) and the same bounds bit for bit, on shapes whose row length is and is not a multiple
 * of the four lanes, streamed (rows > cols) and whole, float32 and float64 data, one dense matrix read in
 * place, one term read through maps and several terms (value and magnitude rows), and with products that
 * underflow. (That the bounds hold against an exact G is `form-gram.test.ts`, which runs the kernel.)
 */

interface Case {
  m: number;
  n: number;
  float32Data: boolean;
  /** Row weights on even rows (subnormal intermediate products ·r_p) and column weight factor. */
  tiny?: number;
  large?: number;
  /**
   * Other mass matrices than one dense matrix on the pieces: a 2 × 3 step kernel read through piece maps
   * (one term, not read in place), or a mask minus that kernel (several terms: value and magnitude rows).
   */
  terms?: 'mapped' | 'mask-minus-mapped' | 'two-dense';
  /** Entries of G̃ per streamed Gram block (default: one block for these sizes). */
  blockEntries?: number;
}

/** Monotone map of `pieces` pieces onto `units` units. */
const pieceMap = (pieces: number, units: number) =>
  Uint32Array.from({ length: pieces }, (_, i) => Math.floor((i * units) / pieces));

function summands(c: Case, rng: Rng, data: Float32Array | Float64Array): Summand[] {
  if (!c.terms) {
    return [{ kind: 'dense', coef: -1 / 3, unitRows: c.m, unitCols: c.n, data, rowMap: null, colMap: null }];
  }
  if (c.terms === 'two-dense') {
    // Two operands on the same grid, the second with entries of its own (and zeros: a −0 term).
    const other = data.map((x, i) => (i % 5 === 0 ? 0 : x * 0.7 + rng.normal()));
    return [
      { kind: 'dense', coef: 1, unitRows: c.m, unitCols: c.n, data, rowMap: null, colMap: null },
      { kind: 'dense', coef: -1, unitRows: c.m, unitCols: c.n, data: other, rowMap: null, colMap: null },
    ];
  }
  const mapped: Summand = {
    kind: 'dense',
    coef: c.terms === 'mapped' ? 0.7 : -1,
    unitRows: 2,
    unitCols: 3,
    data: data.slice(0, 6),
    rowMap: pieceMap(c.m, 2),
    colMap: pieceMap(c.n, 3),
  };
  if (c.terms === 'mapped') return [mapped];
  const rowPtr = new Int32Array(c.m + 1);
  const cols: number[] = [];
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) if (rng.uniform() < 0.3) cols.push(j);
    rowPtr[i + 1] = cols.length;
  }
  const mask: Summand = {
    kind: 'mask',
    coef: 1,
    unitRows: c.m,
    unitCols: c.n,
    rowPtr,
    colIdx: Uint16Array.from(cols),
    rowMap: null,
    colMap: null,
  };
  return [mask, mapped];
}

function build(c: Case) {
  const rng = new Rng(`form-rows-${c.m}-${c.n}`);
  const weights = (k: number) => Float64Array.from({ length: k }, () => (0.2 + rng.uniform()) / k);
  const values = Array.from({ length: c.m * c.n }, () => rng.normal());
  const data = c.float32Data ? Float32Array.from(values) : Float64Array.from(values);
  const op = new BlockOperator(weights(c.m), weights(c.n), summands(c, rng, data));
  const ra = Float64Array.from(
    { length: c.m + 1 },
    (_, i) => (c.tiny && i % 2 === 0 ? c.tiny : 1) * (0.5 + 2 * rng.uniform()),
  );
  const rb = Float64Array.from({ length: c.n + 1 }, () => (c.large ?? 1) * (0.5 + 2 * rng.uniform()));
  return { op, ra, rb };
}

function formed(c: Case, precision: CertificatePrecision, wasm: boolean) {
  const { op, ra, rb } = build(c);
  const shape = gramShape(op);
  formRowsKernel.wasm = wasm;
  const savedBlock = gramBlock.entries;
  gramBlock.entries = c.blockEntries ?? savedBlock;
  try {
    const g = formGram(op, ra, rb, shape, precision);
    expect(g).toBeDefined();
    const { negK, spare, frob2, errFrob } = g as NonNullable<typeof g>;
    // The buffers are reused by the next call: copies.
    return { negK: negK.slice(), g: shape.rowsTall ? undefined : spare.slice(), frob2, errFrob, shape };
  } finally {
    formRowsKernel.wasm = true;
    gramBlock.entries = savedBlock;
  }
}

describe('forming G̃ with the WebAssembly row kernel', () => {
  it('runs here (Node has WebAssembly SIMD)', () => {
    expect(createWasmRowScaler(new Float64Array(5), new Float64Array(6), 6)).toBeDefined();
  });

  const cases: [string, Case][] = [
    ['17 columns (a tail of 1), float32 data', { m: 11, n: 17, float32Data: true }],
    ['16 columns (no tail), float64 data', { m: 13, n: 16, float32Data: false }],
    ['rows > cols (streamed, 19 columns)', { m: 41, n: 19, float32Data: true }],
    ['underflowing ·r_p carried up by ·r_q', { m: 9, n: 22, float32Data: false, tiny: 1e-310, large: 1e9 }],
    [
      'subnormal float32 entries (r_p ≈ 1e-40 on even rows)',
      { m: 10, n: 21, float32Data: true, tiny: 1e-40 },
    ],
    ['a step kernel through piece maps (one term)', { m: 12, n: 19, float32Data: false, terms: 'mapped' }],
    [
      'mask minus a mapped step kernel (several terms), whole',
      { m: 14, n: 23, float32Data: true, terms: 'mask-minus-mapped' },
    ],
    [
      'mask minus a mapped step kernel (several terms), streamed',
      { m: 37, n: 18, float32Data: false, terms: 'mask-minus-mapped' },
    ],
    [
      'two dense operands, float32 data (an odd row length)',
      { m: 13, n: 19, float32Data: true, terms: 'two-dense' },
    ],
    ['two dense operands, float64 data, streamed', { m: 33, n: 16, float32Data: false, terms: 'two-dense' }],
    [
      'mask minus a mapped step kernel, streamed in three Gram blocks',
      { m: 61, n: 18, float32Data: false, terms: 'mask-minus-mapped', blockEntries: 21 * 19 },
    ],
    [
      'one dense matrix, streamed in three Gram blocks',
      { m: 61, n: 18, float32Data: true, blockEntries: 21 * 19 },
    ],
    [
      'mask minus a mapped step kernel, underflowing ·r_p',
      { m: 9, n: 22, float32Data: false, tiny: 1e-310, large: 1e9, terms: 'mask-minus-mapped' },
    ],
  ];
  it.each(
    cases.flatMap(([name, c]) =>
      (['float64', 'float32'] as const).map((p) => [`${name}, ${p}`, c, p] as const),
    ),
  )('%s: same G̃, K̃ and bounds as the JavaScript loop', (_, c, precision) => {
    const js = formed(c, precision, false);
    const simd = formed(c, precision, true);
    expect(simd.shape.rowsTall).toBe(c.m > c.n);
    expect(simd.negK).toEqual(js.negK);
    expect(simd.g).toEqual(js.g);
    expect(simd.frob2).toBe(js.frob2);
    expect(simd.errFrob).toBe(js.errFrob);
    expect(simd.frob2).toBeGreaterThan(0);
  });

  it('the committed binary and form-rows.wat are what scripts/form-rows-wasm.mjs generates', () => {
    expectGeneratorCheck(join(__dirname, '..', '..', 'scripts', 'form-rows-wasm.mjs'));
  });
});
