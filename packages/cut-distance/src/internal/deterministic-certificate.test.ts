import { BitMatrix, InvalidArgumentError, Rng, StepGraphon } from '@graphon-pai/core';
import { availableProviders, cholesky, gemm, provider, setProvider } from '@graphon-pai/linalg';
import fc from 'fast-check';
import { bruteForceCutNorm } from '../../test/reference';
import { difference, prepareInput } from '../cut-input';
import { cutNorm } from '../cut-norm';
import { blockedCholesky } from './blocked-cholesky';
import { type CertificatePrecision, deterministicCertificate, gramBlock } from './deterministic-certificate';
import { lowerGram } from './lower-gram';
import { choleskyEigenLowerBound, FLOAT32, gamma } from './psd-certificate';

const PRECISIONS: CertificatePrecision[] = ['float64', 'float32'];
const u32 = FLOAT32.u;

/** H = V·Vᵀ with V an integer n × (n − 1) matrix: exactly singular PSD, with integer entries. */
function boundaryMatrix(n: number, seed: string): Float64Array {
  const rng = new Rng(seed);
  const v = new Float64Array(n * (n - 1));
  for (let i = 0; i < v.length; i++) v[i] = Math.floor(rng.uniform() * 3) - 1;
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n - 1; k++) s += v[i * (n - 1) + k] * v[j * (n - 1) + k];
      h[i * n + j] = s;
    }
  return h;
}

function shifted(h: Float64Array, n: number, shift: number): Float64Array {
  const out = h.slice();
  for (let i = 0; i < n; i++) out[i * n + i] += shift;
  return out;
}

describe('choleskyEigenLowerBound (matrices on the PSD boundary)', () => {
  it.each([12, 60, 200])('never certifies H − εI (λ_min = −ε exactly) with a margin below ε, n = %i', (n) => {
    const h = boundaryMatrix(n, `boundary-${n}`);
    for (let e = 8; e <= 48; e += 2) {
      const eps = 2 ** -e;
      // Integer diagonal < 2^13 minus 2^-e (e ≤ 48) is exact in float64: λ_min(H − εI) = −ε exactly.
      const mu = choleskyEigenLowerBound(shifted(h, n, -eps), n);
      if (mu !== undefined) {
        expect(mu).toBeGreaterThanOrEqual(eps);
      }
    }
    // Not vacuous: a PD shift of 1e-6·max diagonal is certified, with a margin of order n·u·trace.
    let maxDiag = 0;
    let trace = 0;
    for (let i = 0; i < n; i++) {
      maxDiag = Math.max(maxDiag, h[i * n + i]);
      trace += h[i * n + i];
    }
    const mu = choleskyEigenLowerBound(shifted(h, n, 1e-6 * maxDiag), n);
    expect(mu).toBeDefined();
    expect(mu as number).toBeLessThan(2 * gamma(n + 2) * (trace + n * 1e-6 * maxDiag));
  });

  it.each([12, 60, 200])(
    'float32: never certifies H − εI (λ_min = −ε exactly) with a margin below ε, n = %i',
    (n) => {
      const h = boundaryMatrix(n, `boundary-${n}`);
      // Integer diagonal < 2^8 minus 2^-e (e ≤ 15) is exact in float32: λ_min(H − εI) = −ε exactly.
      for (let e = 1; e <= 15; e++) {
        const eps = 2 ** -e;
        const h32 = Float32Array.from(shifted(h, n, -eps));
        for (let i = 0; i < n; i++) expect(h32[i * n + i]).toBe(h[i * n + i] - eps);
        const mu = choleskyEigenLowerBound(h32, n);
        if (mu !== undefined) expect(mu).toBeGreaterThanOrEqual(eps);
      }
      // Not vacuous: a PD shift of 1e-2·max diagonal is certified, with a margin of order n·u₃₂·trace.
      let maxDiag = 0;
      let trace = 0;
      for (let i = 0; i < n; i++) {
        maxDiag = Math.max(maxDiag, h[i * n + i]);
        trace += h[i * n + i];
      }
      const mu = choleskyEigenLowerBound(Float32Array.from(shifted(h, n, 1e-2 * maxDiag)), n);
      expect(mu).toBeDefined();
      expect(mu as number).toBeLessThan(2 * gamma(n + 2, u32) * (trace + n * 1e-2 * maxDiag));
    },
  );

  it('rejects clearly indefinite, non-finite and tiny matrices', () => {
    expect(choleskyEigenLowerBound(Float64Array.of(1, 2, 2, 1), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float64Array.of(1, Number.NaN, Number.NaN, 1), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float64Array.of(1e-260, 0, 0, 1e-260), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float64Array.of(2, 1, 1, 2), 2)).toBeGreaterThan(0);
    expect(choleskyEigenLowerBound(Float32Array.of(1, 2, 2, 1), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float32Array.of(1, Number.NaN, Number.NaN, 1), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float32Array.of(1e-30, 0, 0, 1e-30), 2)).toBeUndefined();
    expect(choleskyEigenLowerBound(Float32Array.of(2, 1, 1, 2), 2)).toBeGreaterThan(0);
  });
});

describe('blockedCholesky', () => {
  it('matches the linalg factor diagonal on an SPD matrix spanning several blocks', () => {
    const n = 300;
    const h = shifted(boundaryMatrix(n, 'spd'), n, 1);
    const ref = cholesky(h, n);
    const diag = blockedCholesky(h.slice(), n);
    expect(diag).toBeDefined();
    for (let i = 0; i < n; i++) expect((diag as Float64Array)[i]).toBeCloseTo(ref[i * n + i], 9);
  });

  it('fails on an indefinite matrix (negative shift beyond rounding)', () => {
    const n = 300;
    expect(blockedCholesky(shifted(boundaryMatrix(n, 'spd'), n, -1e-3), n)).toBeUndefined();
    expect(blockedCholesky(Float32Array.from(shifted(boundaryMatrix(n, 'spd'), n, -0.5)), n)).toBeUndefined();
  });

  it('float32: matches the float64 factor diagonal to float32 accuracy', () => {
    const n = 300;
    const h = shifted(boundaryMatrix(n, 'spd'), n, 1);
    const ref = cholesky(h, n);
    const diag = blockedCholesky(Float32Array.from(h), n);
    expect(diag).toBeDefined();
    for (let i = 0; i < n; i++) {
      const d = (diag as Float64Array)[i];
      expect(Math.abs(d - ref[i * n + i])).toBeLessThan(1e-3 * ref[i * n + i]);
      expect(Math.fround(d)).toBe(d);
    }
  });
});

describe('lowerGram', () => {
  it.each(['set', 'add', 'subtract'] as const)(
    '%s: lower triangle of W·Wᵀ over a column prefix, several panels',
    (update) => {
      const rng = new Rng(`gram-${update}`);
      const s = 300;
      const width = 37;
      const cols = 29;
      const w = new Float64Array(s * width);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal();
      const c = new Float64Array(s * s).fill(0.5);
      lowerGram(w, s, width, cols, c, update);
      for (let i = 0; i < s; i += 7)
        for (let j = 0; j < s; j += 5) {
          let ref = 0;
          for (let k = 0; k < cols; k++) ref += w[i * width + k] * w[j * width + k];
          const expected = j > i ? 0.5 : update === 'set' ? ref : update === 'add' ? 0.5 + ref : 0.5 - ref;
          expect(c[i * s + j]).toBeCloseTo(expected, 10);
        }
    },
  );
});

describe('GEMM provider accuracy (the certificate assumes float64 inner products)', () => {
  it('K = GᵀG is within γ_T·|G|ᵀ|G| of a compensated reference', () => {
    const rng = new Rng('gemm');
    const t = 700;
    const s = 60;
    const g = new Float64Array(t * s);
    for (let i = 0; i < g.length; i++) g[i] = rng.normal() * 2 ** Math.floor(rng.uniform() * 8);
    const k = new Float64Array(s * s);
    gemm(true, false, s, s, t, 1, g, g, 0, k);
    for (let a = 0; a < s; a += 7)
      for (let b = 0; b < s; b += 5) {
        // Kahan-compensated float64 reference and |G|ᵀ|G|.
        let sum = 0;
        let c = 0;
        let absSum = 0;
        for (let i = 0; i < t; i++) {
          const p = g[i * s + a] * g[i * s + b];
          absSum += Math.abs(p);
          const y = p - c;
          const z = sum + y;
          c = z - sum - y;
          sum = z;
        }
        expect(Math.abs(k[a * s + b] - sum)).toBeLessThanOrEqual(gamma(t) * absSum + 1e-300);
      }
  });
});

describe.each(availableProviders())(
  'float32 GEMM on provider %s (the float32 certificate assumes true float32 products)',
  (name) => {
    const initial = provider();
    beforeAll(() => setProvider(name));
    afterAll(() => setProvider(initial));

    it('accumulates 1001 terms of 1 + 2⁻¹² (lost in bf16 / tf32 inputs or half-precision sums) within γ_T|W||W|ᵀ', () => {
      // Rows of 1 + 2⁻¹²·c (c ∈ {1, 2, 3}): exact in float32, 1 in bfloat16, rounded in tf32; every product
      // and the exact sums are exact in float64. A bf16 or tf32 input or a half-precision accumulator errs by
      // ≥ 1001·2⁻¹² ≈ 0.24 on the diagonal, far above γ_T·Σ|w|² ≈ 0.06.
      const s = 130;
      const t = 1001;
      const w = new Float32Array(s * t);
      for (let i = 0; i < s; i++)
        for (let k = 0; k < t; k++) w[i * t + k] = 1 + 2 ** -12 * (1 + ((i + k) % 3));
      const c = new Float32Array(s * s);
      lowerGram(w, s, t, t, c, 'set');
      for (let i = 0; i < s; i++)
        for (let j = 0; j <= i; j++) {
          let exact = 0;
          for (let k = 0; k < t; k++) exact += w[i * t + k] * w[j * t + k];
          expect(Math.abs(c[i * s + j] - exact)).toBeLessThanOrEqual(gamma(t, u32) * exact);
          // And a true float32 sum is far better than the bound (errors of a few u·exact at most here).
          expect(Math.abs(c[i * s + j] - exact)).toBeLessThan(2 ** -12 * t * 0.05);
        }
    });

    it('K = WWᵀ of mixed-magnitude data is within γ_T(2⁻²⁴)·|W||W|ᵀ of the float64 product', () => {
      const rng = new Rng(`gemm32-${name}`);
      const t = 1001;
      const s = 70;
      const w = new Float32Array(s * t);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal() * 2 ** Math.floor(rng.uniform() * 8);
      const c = new Float32Array(s * s);
      lowerGram(w, s, t, t, c, 'set');
      for (let i = 0; i < s; i++)
        for (let j = 0; j <= i; j++) {
          let exact = 0;
          let abs = 0;
          for (let k = 0; k < t; k++) {
            exact += w[i * t + k] * w[j * t + k];
            abs += Math.abs(w[i * t + k] * w[j * t + k]);
          }
          // The float64 reference errs by ≤ γ₆₄(t)·abs, negligible next to the float32 bound.
          expect(Math.abs(c[i * s + j] - exact)).toBeLessThanOrEqual(gamma(t, u32) * abs + gamma(t) * abs);
        }
    });
  },
);

describe.each(PRECISIONS)('deterministicCertificate (%s)', (precision) => {
  const tight = precision === 'float64' ? 1e-5 : 2e-3;
  it('is tight on a rank-one augmented matrix (the dual matrix is exactly singular at λ_max)', () => {
    const m = 9;
    const n = 7;
    const rng = new Rng('rank-one');
    const x = Array.from({ length: m }, () => (rng.uniform() < 0.6 ? 1 : -1));
    const y = Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : -1));
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = x[i] * y[j];
    const { op } = prepareInput({ rows: m, cols: n, data }, 'x');
    // Unit weights: G = A' = [x; −Σx][y; −Σy]ᵀ / (m n), σ_max = ‖·‖‖·‖ / (m n).
    const sx = x.reduce((p, v) => p + v, 0);
    const sy = y.reduce((p, v) => p + v, 0);
    const sigma = (Math.sqrt(m + sx * sx) * Math.sqrt(n + sy * sy)) / (m * n);
    const exactDual = (sigma * Math.sqrt((m + 1) * (n + 1))) / 4;
    const cert = deterministicCertificate(
      op,
      new Float64Array(m + 1).fill(1),
      new Float64Array(n + 1).fill(1),
      precision,
    );
    expect(cert).toBeDefined();
    const c = cert as NonNullable<typeof cert>;
    expect(c.precision).toBe(precision);
    expect(c.bound).toBeGreaterThanOrEqual(exactDual);
    expect(c.bound).toBeLessThan(exactDual * (1 + tight));
    expect(c.bound).toBeGreaterThanOrEqual(bruteForceCutNorm(data, m, n));
  });

  it('certifies a near-singular dual (rank one plus 1e-12 noise) and a zero matrix', () => {
    const m = 10;
    const n = 12;
    const rng = new Rng('near');
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++)
        data[i * n + j] = (i % 3 ? 1 : -1) * (j % 2 ? 1 : -1) + 1e-12 * rng.normal();
    const r = cutNorm(
      { rows: m, cols: n, data },
      { method: 'sdp', seed: 1, certificate: 'deterministic', certificatePrecision: precision },
    );
    expect(r.upperBoundKind).toBe('deterministic');
    expect(r.upperBound as number).toBeGreaterThanOrEqual(bruteForceCutNorm(data, m, n));
    const zero = cutNorm(
      { rows: 5, cols: 6, data: new Float64Array(30) },
      { method: 'sdp', certificate: 'deterministic', certificatePrecision: precision },
    );
    expect(zero.upperBound).toBe(0);
  });
});

describe('deterministicCertificate float32 range', () => {
  it("refuses when G̃ overflows float32 (the caller then runs float64), and the bound does not depend on the weights' scale", () => {
    const m = 9;
    const n = 7;
    const rng = new Rng('range');
    const data = new Float64Array(m * n);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const { op } = prepareInput({ rows: m, cols: n, data }, 'x');
    const unit = (k: number, w: number) => new Float64Array(k).fill(w);
    // Weights 1e-100: G̃ = D^{-½}A'D^{-½} has entries ~1e100, beyond float32 (3.4e38), fine in float64.
    expect(deterministicCertificate(op, unit(m + 1, 1e-100), unit(n + 1, 1e-100), 'float32')).toBeUndefined();
    // The λ guess's Lanczos runs on K̃ scaled near 1: at weights 1e±100 its recurrence would overflow /
    // underflow and only the (looser) Gershgorin guess would remain.
    const scaled = deterministicCertificate(op, unit(m + 1, 1e-100), unit(n + 1, 1e-100), 'float64');
    const large = deterministicCertificate(op, unit(m + 1, 1e100), unit(n + 1, 1e100), 'float64');
    expect((large as NonNullable<typeof large>).attempts).toBe(1);
    expect((scaled as NonNullable<typeof scaled>).attempts).toBe(1);
    const plain = deterministicCertificate(op, unit(m + 1, 1), unit(n + 1, 1), 'float64');
    const plain32 = deterministicCertificate(op, unit(m + 1, 1), unit(n + 1, 1), 'float32');
    expect(scaled).toBeDefined();
    expect(plain32).toBeDefined();
    const bound = (plain as NonNullable<typeof plain>).bound;
    expect(Math.abs((scaled as NonNullable<typeof scaled>).bound - bound)).toBeLessThan(1e-6 * bound);
    expect(Math.abs((large as NonNullable<typeof large>).bound - bound)).toBeLessThan(1e-6 * bound);
    expect((plain32 as NonNullable<typeof plain32>).bound).toBeGreaterThanOrEqual(bound);
    expect((plain32 as NonNullable<typeof plain32>).bound).toBeLessThan(bound * 1.002);
    expect(bound).toBeGreaterThanOrEqual(bruteForceCutNorm(data, m, n));
  });
});

describe.each(PRECISIONS)('cutNorm certificate option (%s)', (precision) => {
  it('never lies below the exact cut norm or the witnessed cut (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        fc.boolean(),
        fc.boolean(),
        (m, n, seed, integers, twoOperands) => {
          const rng = new Rng(seed);
          const draw = () =>
            Float64Array.from({ length: m * n }, () =>
              integers ? Math.floor(rng.uniform() * 7) - 3 : rng.normal(),
            );
          const a = draw();
          // Two operands: the certificate forms A − B term by term (value and magnitude rows).
          const b = twoOperands ? draw() : undefined;
          const data = b ? a.map((x, i) => x - b[i]) : a;
          const exact = bruteForceCutNorm(data, m, n);
          const x = b
            ? difference({ rows: m, cols: n, data: a }, { rows: m, cols: n, data: b })
            : { rows: m, cols: n, data };
          const r = cutNorm(x, {
            method: 'sdp',
            seed,
            certificate: 'deterministic',
            certificatePrecision: precision,
          });
          expect(r.upperBoundKind).toBe('deterministic');
          expect(r.failureProbability).toBe(0);
          const ub = r.upperBound as number;
          expect(ub).toBeGreaterThanOrEqual(r.lowerBound);
          expect(ub).toBeGreaterThanOrEqual(exact * (1 - 1e-13));
        },
      ),
      { numRuns: 60, seed: 23 },
    );
  });

  it('is no looser than the probabilistic certificate (the default; float32: by at most 1 %) on a 120 × 90 matrix', () => {
    const rng = new Rng('compare');
    const m = 120;
    const n = 90;
    const data = new Float64Array(m * n);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < 0.3 ? 1 - 0.3 : -0.3;
    const det = cutNorm(
      { rows: m, cols: n, data },
      { method: 'sdp', seed: 2, certificate: 'deterministic', certificatePrecision: precision },
    );
    const prob = cutNorm({ rows: m, cols: n, data }, { method: 'sdp', seed: 2 });
    expect(det.upperBoundKind).toBe('deterministic');
    expect(det.certificatePrecision).toBe(precision);
    expect(prob.upperBoundKind).toBe('probabilistic');
    expect(prob.certificatePrecision).toBeUndefined();
    expect(prob.failureProbability).toBe(1e-6);
    expect(det.upperBound as number).toBeGreaterThanOrEqual(det.lowerBound);
    const slack = precision === 'float64' ? 1.001 : 1.01;
    expect(det.upperBound as number).toBeLessThanOrEqual((prob.upperBound as number) * slack);
    if (precision === 'float32') {
      const det64 = cutNorm(
        { rows: m, cols: n, data },
        { method: 'sdp', seed: 2, certificate: 'deterministic' },
      );
      expect(det.upperBound as number).toBeGreaterThanOrEqual(det64.upperBound as number);
    }
  });

  it('gives the same bound when the Gram product is streamed in many row blocks (300 × 40 mask − 0.1)', () => {
    const rng = new Rng('tall');
    const mask = BitMatrix.from(300, 40, () => rng.uniform() < 0.1);
    const x = difference(mask, StepGraphon.constant(0.1));
    const options = {
      method: 'sdp',
      seed: 1,
      certificate: 'deterministic',
      certificatePrecision: precision,
    } as const;
    const whole = cutNorm(x, options);
    const saved = gramBlock.entries;
    gramBlock.entries = 2048; // 49 rows of 41 per block: 7 blocks
    try {
      const streamed = cutNorm(x, options);
      expect(streamed.upperBoundKind).toBe('deterministic');
      expect(streamed.certificatePrecision).toBe(precision);
      // Another summation order: float64 agrees to 12 digits, float32 to its rounding of K̃ (≲ T·u₃₂).
      const agree = precision === 'float64' ? 1e-12 : 1e-4;
      expect(Math.abs((streamed.upperBound as number) - (whole.upperBound as number))).toBeLessThan(
        agree * (whole.upperBound as number),
      );
      expect(streamed.upperBound as number).toBeGreaterThanOrEqual(streamed.lowerBound);
    } finally {
      gramBlock.entries = saved;
    }
  });

  it('proves the same bound on every GEMM provider (the λ guess on OpenBLAS symv or the JS loop, LAPACK or the blocked Cholesky)', () => {
    const rng = new Rng('providers');
    const m = 150;
    const n = 110;
    const data = new Float64Array(m * n);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < 0.3 ? 1 - 0.3 : -0.3;
    const initial = provider();
    const bounds: number[] = [];
    try {
      for (const name of availableProviders()) {
        setProvider(name);
        const r = cutNorm(
          { rows: m, cols: n, data },
          { method: 'sdp', seed: 3, certificate: 'deterministic', certificatePrecision: precision },
        );
        expect(r.upperBoundKind).toBe('deterministic');
        expect(r.upperBound as number).toBeGreaterThanOrEqual(r.lowerBound);
        bounds.push(r.upperBound as number);
      }
    } finally {
      setProvider(initial);
    }
    // The providers sum K̃'s entries in other orders; λ is the guess rounded up to 24 bits, so the bounds
    // agree to the margins' rounding (float64) or to float32 rounding of K̃ (≲ T·u₃₂).
    const agree = precision === 'float64' ? 1e-9 : 1e-4;
    for (const b of bounds) expect(Math.abs(b - bounds[0])).toBeLessThanOrEqual(agree * bounds[0]);
  });

  it('rejects an unknown certificate kind or precision', () => {
    expect(() =>
      cutNorm({ rows: 2, cols: 2, data: [1, 0, 0, 1] }, { certificate: 'random' as 'deterministic' }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      cutNorm({ rows: 2, cols: 2, data: [1, 0, 0, 1] }, { certificatePrecision: 'float16' as 'float32' }),
    ).toThrow(InvalidArgumentError);
  });
});
