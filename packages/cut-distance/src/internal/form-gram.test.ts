import { Rng } from '@graphon-pai/core';
import { type CertificatePrecision, formGram, gramShape } from './deterministic-certificate';
import { BlockOperator, type DenseSummand } from './operator';

/**
 * Step 1 of the deterministic certificate (forming G̃ = D_a^{-½}A'D_b^{-½} with a global Frobenius bound on
 * its error, no per-entry error arithmetic) against an exact reference: every float is a dyadic rational,
 * so G is computed exactly with BigInt and ‖G̃ − G‖_F, ‖G̃‖_F² are compared with the bounds formGram returns.
 */

/** x = n·2^e exactly. */
interface Dyadic {
  n: bigint;
  e: number;
}

const view = new DataView(new ArrayBuffer(8));

function dyadic(x: number): Dyadic {
  if (x === 0) return { n: 0n, e: 0 };
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const n = exp === 0 ? frac : frac | (1n << 52n);
  return { n: bits >> 63n ? -n : n, e: (exp === 0 ? 1 : exp) - 1075 };
}

const mul = (a: Dyadic, b: Dyadic): Dyadic => ({ n: a.n * b.n, e: a.e + b.e });
function add(a: Dyadic, b: Dyadic): Dyadic {
  if (a.e > b.e) return add(b, a);
  return { n: a.n + (b.n << BigInt(b.e - a.e)), e: a.e };
}
const neg = (a: Dyadic): Dyadic => ({ n: -a.n, e: a.e });

/** a·2^scale as a float64 (relative error ≤ 2⁻⁵⁹ before the final rounding). */
function toNumber(a: Dyadic, scale = 0): number {
  if (a.n === 0n) return 0;
  const bits = (a.n < 0n ? -a.n : a.n).toString(2).length;
  const shift = Math.max(0, bits - 60);
  let v = Number(a.n >> BigInt(shift));
  let k = a.e + shift + scale;
  while (k < -900) {
    v *= 2 ** -900;
    k += 900;
  }
  return v * 2 ** k;
}

/** A' (rows m+1, cols n+1) exactly, from the operator's dense summands on its own pieces. */
function exactAugmented(op: BlockOperator): Dyadic[][] {
  const m = op.rows;
  const n = op.cols;
  const zero = dyadic(0);
  const a: Dyadic[][] = Array.from({ length: m + 1 }, () => Array.from({ length: n + 1 }, () => zero));
  for (let p = 0; p < m; p++)
    for (let q = 0; q < n; q++) {
      let d = zero;
      for (const s of op.summands as DenseSummand[])
        d = add(d, mul(dyadic(s.coef), dyadic(s.data[p * n + q])));
      const mass = mul(mul(dyadic(op.rowWeights[p]), dyadic(op.colWeights[q])), d);
      a[p][q] = mass;
      a[p][n] = add(a[p][n], neg(mass));
      a[m][q] = add(a[m][q], neg(mass));
      a[m][n] = add(a[m][n], mass);
    }
  return a;
}

interface Case {
  terms: { coef: number; scale: number }[];
  /** Row weights r_a: `tiny` on even rows (to push G̃ entries below float32's normal range). */
  tiny?: number;
  /** Column weights r_b multiplied by this (carries an underflowed ·r_p product up). */
  large?: number;
  float32Data?: boolean;
}

function build(c: Case, m: number, n: number, seed: string) {
  const rng = new Rng(seed);
  const weights = (k: number) => {
    const w = Float64Array.from({ length: k }, () => 0.2 + rng.uniform());
    const s = w.reduce((x, y) => x + y, 0);
    return w.map((x) => x / s);
  };
  const summands: DenseSummand[] = c.terms.map(({ coef, scale }) => {
    const values = Array.from({ length: m * n }, () => scale * rng.normal());
    return {
      kind: 'dense',
      coef,
      unitRows: m,
      unitCols: n,
      data: c.float32Data ? Float32Array.from(values) : Float64Array.from(values),
      rowMap: null,
      colMap: null,
    };
  });
  const op = new BlockOperator(weights(m), weights(n), summands);
  const ra = Float64Array.from(
    { length: m + 1 },
    (_, i) => (c.tiny && i % 2 === 0 ? c.tiny : 1) * (0.5 + 2 * rng.uniform()),
  );
  const rb = Float64Array.from({ length: n + 1 }, () => (c.large ?? 1) * (0.5 + 2 * rng.uniform()));
  return { op, ra, rb };
}

/**
 * ‖G̃ − G‖_F and ‖G̃‖_F² (exact up to the final float64 roundings) next to formGram's bounds, the errors
 * scaled by 2^scale (so that errors below the smallest subnormal stay visible).
 */
function measure(c: Case, precision: CertificatePrecision, scale = 0) {
  const m = 11;
  const n = 17;
  const { op, ra, rb } = build(c, m, n, `form-${c.terms.length}-${c.tiny ?? 0}`);
  const shape = gramShape(op);
  expect(shape.rowsTall).toBe(false);
  const formed = formGram(op, ra, rb, shape, precision);
  expect(formed).toBeDefined();
  const { spare, frob2, errFrob } = formed as NonNullable<typeof formed>;
  const a = exactAugmented(op);
  let err2 = 0;
  let norm2 = dyadic(0);
  for (let i = 0; i <= m; i++)
    for (let j = 0; j <= n; j++) {
      const stored = spare[i * (n + 1) + j];
      if (precision === 'float32') expect(Math.fround(stored)).toBe(stored);
      const exact = mul(mul(dyadic(ra[i]), a[i][j]), dyadic(rb[j]));
      const diff = toNumber(add(dyadic(stored), neg(exact)), scale);
      err2 += diff * diff;
      norm2 = add(norm2, mul(dyadic(stored), dyadic(stored)));
    }
  return { err: Math.sqrt(err2), errFrob: errFrob * 2 ** scale, norm2: toNumber(norm2), frob2 };
}

const MANY_TERMS = [
  { coef: 1 / 3, scale: 1 },
  { coef: -2 / 7, scale: 1 },
  { coef: 0.1, scale: 3 },
  { coef: 1e-3 * Math.PI, scale: 1 },
];

describe.each(['float64', 'float32'] as const)('formGram error bound (%s)', (precision) => {
  // How close the bound may be to the measured error: float32 is dominated by the final rounding
  // (≈ u₃₂/√3 per entry against u₃₂ in the bound), float64 by γ_{k+9}‖W‖_F against errors of a few u.
  const slack = precision === 'float32' ? 4 : 1000;

  it.each([
    ['four terms, every entry many roundings', { terms: MANY_TERMS }],
    ['one dense float32 matrix read in place', { terms: [{ coef: -1, scale: 1 }], float32Data: true }],
    ['one float64 matrix with an awkward coefficient', { terms: [{ coef: 1 / 3, scale: 1 }] }],
  ] as [string, Case][])('%s: ‖G̃ − G‖_F ≤ bound and ‖G̃‖_F² ≤ bound, neither vacuous', (_, c) => {
    const r = measure(c, precision);
    expect(r.err).toBeGreaterThan(0);
    expect(r.err).toBeLessThanOrEqual(r.errFrob);
    expect(r.errFrob).toBeLessThan(slack * r.err);
    expect(r.norm2).toBeLessThanOrEqual(r.frob2);
    expect(r.frob2).toBeLessThan(r.norm2 * (1 + 1e-5));
  });

  it('holds when entries underflow (subnormal G̃ entries in the stored precision)', () => {
    // float32: even rows scaled by 1e-38 put their G̃ entries below 2⁻¹²⁶; float64: terms of size 1e-305
    // make the mass entries h·g·D subnormal (≈ 1e-308 and below).
    const c: Case =
      precision === 'float32'
        ? { terms: MANY_TERMS, tiny: 1e-38 }
        : { terms: MANY_TERMS.map((t) => ({ ...t, scale: 1e-305 })) };
    const r = measure(c, precision, precision === 'float32' ? 0 : 1100);
    expect(r.err).toBeGreaterThan(0);
    expect(r.err).toBeLessThanOrEqual(r.errFrob);
    expect(r.norm2).toBeLessThanOrEqual(r.frob2);
  });

  it('holds when the product ·r_p underflows and ·r_q carries its error up (r_p ≈ 1e-310, r_q ≈ 1e9)', () => {
    // The error of the subnormal intermediate m̃·r_p (up to η/2) is multiplied by r_q: the η·r_q term.
    const r = measure({ terms: MANY_TERMS, tiny: 1e-310, large: 1e9 }, precision, 0);
    expect(r.err).toBeGreaterThan(0);
    expect(r.err).toBeLessThanOrEqual(r.errFrob);
    expect(r.norm2).toBeLessThanOrEqual(r.frob2);
  });
});
