/**
 * Alon–Naor SDP for the cut norm: Burer–Monteiro block ascent, hyperplane rounding, certificate.
 *
 * Augmentation (Alon & Naor 2004, §5.1): with row sums ρ = B·1, column sums κ = Bᵀ·1, total τ,
 *
 *     A' = [[B, −ρ], [−κᵀ, τ]],   xᵀA'y = 4·x₀y₀·Σ_{S×T} B  for x, y ∈ {±1},
 *     S = {p : x_p ≠ x₀}, T = {q : y_q ≠ y₀},  hence ‖A'‖_{∞→1} = 4‖B‖_□.
 *
 * Relaxation: max Σ A'_ij ⟨u_i, v_j⟩ over unit vectors in R^R (Burer–Monteiro rank R). For fixed V the best U
 * is `u_i = (A'V)_i / ‖(A'V)_i‖` (and symmetrically), so alternating the two blocks is an exact block
 * ascent on the product of spheres (the bipartite case of the "mixing method", Wang–Chang–Kolter 2017):
 * the objective `Σ_j ‖(A'ᵀU)_j‖` never decreases. Each sweep starts from the extrapolated
 * `rownorm(V + β(V − V_prev))` (heavy-ball momentum, β = `momentum`, halved whenever a sweep loses
 * objective), which shortens the slow tail of the plain ascent about twofold. Convergence test: relative
 * gain below `tolerance` on `patience` consecutive sweeps.
 *
 * Certificate (our derivation; it is the dual of the SDP in Schur-complement form). For any a, b > 0 and
 * x, y ∈ {±1}, by Cauchy–Schwarz
 *
 *     xᵀA'y = (D_a^{½}x)ᵀ (D_a^{-½} A' D_b^{-½}) (D_b^{½}y) ≤ σ_max(G) · √(Σa · Σb),   G = D_a^{-½} A' D_b^{-½}.
 *
 * The bound holds for every positive a, b; it is tight at the SDP optimum for `a_i = ‖(A'V)_i‖`,
 * `b_j = ‖(A'ᵀU)_j‖` (complementary slackness), which is what we use. σ_max(G)² = λ_max(GᵀG) is bounded
 * above in one of two ways (`certificate`):
 *
 * - `'deterministic'` (certified): a float64 Cholesky of `λI − GᵀG` (Schur complement on the smaller side) with a
 *   rigorous rounding margin proves `σ_max(G)² ≤ λ⁺` (`deterministic-certificate.ts`); the bound holds
 *   without exception. Above `deterministicLimit()` the probabilistic route runs instead (the kind says so).
 * - `'probabilistic'`: Lanczos with the Kuczyński–Woźniakowski inequality, so the resulting
 *   `‖B‖_□ ≤ √(λ̄) · √(Σa Σb) / 4` holds **except with probability δ over the Lanczos start vector**
 *   (`failureProbability`).
 *
 * Neither is ever the primal value.
 *
 * Complexity per sweep: two products with B (R columns) plus O((m + n)·R). Certificate: one product per
 * Lanczos step with A' and one with A'ᵀ.
 */
import type { Rng } from '@graphon-pai/core';
import { type FoundCut, alternateMany } from './alternate';
import { type CertificatePrecision, deterministicCertificate } from './deterministic-certificate';
import { lanczosMax, stepsFor } from './lanczos';
import { clock } from './clock';
import type { BlockOperator, ProductMode } from './operator';

export interface SdpSettings {
  rank: number;
  /** Heavy-ball momentum β ∈ [0, 1) of the block ascent (0: plain). */
  momentum: number;
  maxIterations: number;
  tolerance: number;
  patience: number;
  roundings: number;
  improve: number;
  certify: boolean;
  certificate: CertificateKind;
  certificatePrecision: CertificatePrecision;
  failureProbability: number;
  certificateSlack: number;
}

/** How the SDP upper bound is proved: Cholesky with a rounding margin, or randomly started Lanczos. */
export type CertificateKind = 'deterministic' | 'probabilistic';

/** The steps of the deterministic certificate timed in `phaseMs`. */
export type CertificateStep =
  | 'certificateForm'
  | 'certificateGram'
  | 'certificateGuess'
  | 'certificateFactor';

export interface SdpOutcome {
  cut: FoundCut;
  /** Best hyperplane-rounded cut before local improvement (|Σ_{S×T} B|). */
  roundedValue: number;
  /** Relaxation value / 4 at the returned point (not a bound). */
  sdpValue: number;
  /** Upper bound on ‖B‖_□ (undefined without a certificate), proved as `upperBoundKind` says. */
  upperBound: number | undefined;
  upperBoundKind: CertificateKind | undefined;
  /** Probabilistic certificate: Lanczos steps per run. */
  lanczosSteps: number;
  /** Deterministic certificate: Cholesky factorisations tried and the Schur complement's order. */
  choleskyAttempts: number;
  schurSize: number;
  /** Deterministic certificate: the arithmetic of the factorisation that proved the bound. */
  certificatePrecision: CertificatePrecision | undefined;
  iterations: number;
  converged: boolean;
  /**
   * Wall time per phase (ms): solve, rounding, improvement, certificate; with a deterministic certificate
   * also its steps (forming G̃, the Gram product, the λ guess, the factorisations).
   */
  phaseMs: { solve: number; rounding: number; improvement: number; certificate: number } & Partial<
    Record<CertificateStep, number>
  >;
}

class Augmented {
  readonly m: number;
  readonly n: number;
  readonly rho: Float64Array;
  readonly kappa: Float64Array;
  readonly tau: number;

  constructor(readonly op: BlockOperator) {
    this.m = op.rows;
    this.n = op.cols;
    this.rho = new Float64Array(op.rows);
    this.kappa = new Float64Array(op.cols);
    op.mul(new Float64Array(op.cols).fill(1), 1, this.rho);
    op.mulT(new Float64Array(op.rows).fill(1), 1, this.kappa);
    let t = 0;
    for (let i = 0; i < this.m; i++) t += this.rho[i];
    this.tau = t;
  }

  /** out ((m+1)×r) = A' · v, v is (n+1)×r. */
  mul(v: Float64Array, r: number, out: Float64Array, mode: ProductMode = 'fast'): void {
    this.product(false, v, r, out, mode);
  }

  /** out ((n+1)×r) = A'ᵀ · u, u is (m+1)×r. */
  mulT(u: Float64Array, r: number, out: Float64Array, mode: ProductMode = 'fast'): void {
    this.product(true, u, r, out, mode);
  }

  /** A' · v, or A'ᵀ · v when `transposed`: the operator's product, then the augmentation's sums. */
  private product(
    transposed: boolean,
    v: Float64Array,
    r: number,
    out: Float64Array,
    mode: ProductMode,
  ): void {
    const { op, tau } = this;
    const outSums = transposed ? this.kappa : this.rho;
    const inSums = transposed ? this.rho : this.kappa;
    const nIn = inSums.length;
    const nOut = outSums.length;
    const head = v.subarray(0, nIn * r);
    const outHead = out.subarray(0, nOut * r);
    if (transposed) op.mulT(head, r, outHead, mode);
    else op.mul(head, r, outHead, mode);
    const last = nIn * r;
    for (let i = 0; i < nOut; i++) {
      const s = outSums[i];
      const b = i * r;
      for (let k = 0; k < r; k++) out[b + k] -= s * v[last + k];
    }
    const ob = nOut * r;
    for (let k = 0; k < r; k++) {
      let acc = tau * v[last + k];
      for (let j = 0; j < nIn; j++) acc -= inSums[j] * v[j * r + k];
      out[ob + k] = acc;
    }
  }
}

/** Normalises rows of p into u; returns Σ norms. Rows with zero norm keep their previous direction. */
function normaliseRows(
  p: Float64Array,
  rows: number,
  r: number,
  u: Float64Array,
  norms: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const b = i * r;
    let s = 0;
    for (let k = 0; k < r; k++) s += p[b + k] * p[b + k];
    const nrm = Math.sqrt(s);
    norms[i] = nrm;
    total += nrm;
    if (nrm > 0) for (let k = 0; k < r; k++) u[b + k] = p[b + k] / nrm;
  }
  return total;
}

export function solveSdp(op: BlockOperator, settings: SdpSettings, rng: Rng): SdpOutcome {
  let last = clock.now();
  const lap = (): number => {
    const now = clock.now();
    const d = now - last;
    last = now;
    return d;
  };
  const aug = new Augmented(op);
  const { u, v, a, b, objective, iterations, converged } = ascend(aug, settings, rng);
  const solveMs = lap();
  const { roundedValue, chosen, keep } = roundCuts(op, aug, u, v, settings, rng);
  const roundingMs = lap();
  const best: FoundCut = alternateMany(op, chosen, keep);
  const improvementMs = lap();

  let upperBound: number | undefined;
  let upperBoundKind: CertificateKind | undefined;
  let lanczosSteps = 0;
  let choleskyAttempts = 0;
  let schurSize = 0;
  let certificatePrecision: CertificatePrecision | undefined;
  let steps: Partial<Record<CertificateStep, number>> = {};
  if (settings.certify && settings.certificate === 'deterministic') {
    // Float32 when asked; float64 when that fails (e.g. G̃ outside float32 range).
    const precisions: CertificatePrecision[] =
      settings.certificatePrecision === 'float32' ? ['float32', 'float64'] : ['float64'];
    for (const precision of precisions) {
      const cert = deterministicCertificate(op, a, b, precision);
      choleskyAttempts += cert?.attempts ?? 0;
      if (!cert) continue;
      upperBound = cert.bound;
      upperBoundKind = 'deterministic';
      schurSize = cert.schurSize;
      certificatePrecision = precision;
      steps = {
        certificateForm: cert.phaseMs.form,
        certificateGram: cert.phaseMs.gram,
        certificateGuess: cert.phaseMs.guess,
        certificateFactor: cert.phaseMs.factor,
      };
      break;
    }
  }
  if (settings.certify && upperBound === undefined) {
    const cert = certify(aug, a, b, settings, rng);
    upperBound = cert.bound;
    upperBoundKind = 'probabilistic';
    lanczosSteps = cert.steps;
  }
  const certificateMs = lap();
  return {
    cut: best,
    roundedValue,
    sdpValue: objective / 4,
    upperBound,
    upperBoundKind,
    lanczosSteps,
    choleskyAttempts,
    schurSize,
    certificatePrecision,
    iterations,
    converged,
    phaseMs: {
      solve: solveMs,
      rounding: roundingMs,
      improvement: improvementMs,
      certificate: certificateMs,
      ...steps,
    },
  };
}

/**
 * The Burer–Monteiro block ascent (see the file header) from Gaussian starts: returns the row and column
 * vectors U, V, the certificate weights a (from the final V) and b (from the final U), the objective, the
 * sweeps taken and whether the tolerance was met. A function of its own, like {@link roundCuts}: one long
 * function holding every stage ran its later loops in unoptimised code after each deoptimisation
 * (allocating ≈ 8 MB of boxed numbers per call at 1000 × 1000).
 */
function ascend(
  aug: Augmented,
  settings: SdpSettings,
  rng: Rng,
): {
  u: Float64Array;
  v: Float64Array;
  a: Float64Array;
  b: Float64Array;
  objective: number;
  iterations: number;
  converged: boolean;
} {
  const m1 = aug.m + 1;
  const n1 = aug.n + 1;
  const r = settings.rank;
  const u = new Float64Array(m1 * r);
  const v = new Float64Array(n1 * r);
  for (const x of [u, v]) {
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  }
  const scratchU = new Float64Array(m1);
  const scratchV = new Float64Array(n1);
  normaliseRows(u, m1, r, u, scratchU);
  normaliseRows(v, n1, r, v, scratchV);
  const p = new Float64Array(m1 * r);
  const q = new Float64Array(n1 * r);
  const a = new Float64Array(m1);
  const b = new Float64Array(n1);
  let objective = 0;
  let calm = 0;
  let converged = false;
  let iterations = 0;
  // Momentum (heavy ball on the product of spheres): each sweep starts from rownorm(V + β(V − V_prev)). The
  // plain block ascent has a long, slowly converging tail on noise-like inputs; with β = 0.9 it reaches the
  // plain 31-sweep objective in about 14 sweeps. A sweep that lowers the objective halves β and restarts
  // from the plain step, so the iteration still settles.
  let beta = settings.momentum;
  const vPrev = new Float64Array(n1 * r);
  const ve = new Float64Array(n1 * r);
  let momentum = false;
  for (let it = 0; it < settings.maxIterations; it++) {
    iterations = it + 1;
    let from = v;
    if (momentum && beta > 0) {
      for (let i = 0; i < ve.length; i++) ve[i] = v[i] + beta * (v[i] - vPrev[i]);
      normaliseRows(ve, n1, r, ve, scratchV);
      from = ve;
    }
    vPrev.set(v);
    aug.mul(from, r, p);
    normaliseRows(p, m1, r, u, a);
    aug.mulT(u, r, q);
    const next = normaliseRows(q, n1, r, v, b);
    const gain = next - objective;
    objective = next;
    // A loss restarts from a plain sweep with half the momentum; a loss within the tolerance (rounding near
    // the optimum) still counts as a calm sweep, a larger one does not.
    if (it > 0 && gain < 0) {
      beta *= 0.5;
      momentum = false;
    } else momentum = it > 0;
    if (it > 0 && Math.abs(gain) <= settings.tolerance * Math.abs(next)) {
      if (++calm >= settings.patience) {
        converged = true;
        break;
      }
    } else calm = 0;
  }
  // Weights for the certificate: a from the final V, b from the final U.
  aug.mul(v, r, p);
  normaliseRows(p, m1, r, p, a);
  return { u, v, a, b, objective, iterations, converged };
}

/**
 * Hyperplane rounding of the SDP point into `settings.roundings` cuts (their best value is what cutnorm
 * reports as rounded), and the `settings.improve` of them with the largest best row response, as column
 * indicators (n × keep) for the alternating improvement.
 */
function roundCuts(
  op: BlockOperator,
  aug: Augmented,
  u: Float64Array,
  v: Float64Array,
  settings: SdpSettings,
  rng: Rng,
): { roundedValue: number; chosen: Float64Array; keep: number } {
  const r = settings.rank;
  // Hyperplane rounding (the rounded values are what cutnorm reports), then alternating improvement of
  // all rounded cuts at once.
  const c = settings.roundings;
  const g = new Float64Array(r);
  const starts = new Float64Array(aug.n * c);
  const rowSide = new Float64Array(aug.m * c);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < r; i++) g[i] = rng.normal();
    const x0 = side(u, aug.m, r, g);
    const y0 = side(v, aug.n, r, g);
    for (let j = 0; j < aug.n; j++) starts[j * c + k] = side(v, j, r, g) !== y0 ? 1 : 0;
    for (let i = 0; i < aug.m; i++) rowSide[i * c + k] = side(u, i, r, g) !== x0 ? 1 : 0;
  }
  const y = new Float64Array(aug.m * c);
  op.mul(starts, c, y, 'indicator');
  let roundedValue = 0;
  for (let k = 0; k < c; k++) {
    let rounded = 0;
    for (let i = 0; i < aug.m; i++) rounded += rowSide[i * c + k] * y[i * c + k];
    roundedValue = Math.max(roundedValue, Math.abs(rounded));
  }
  // Improve the `improve` rounded cuts whose best row response is largest (one block product each sweep).
  const order = Array.from({ length: c }, (_, k) => k);
  const response = order.map((k) => {
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < aug.m; i++) {
      const val = y[i * c + k];
      if (val > 0) pos += val;
      else neg -= val;
    }
    return Math.max(pos, neg);
  });
  order.sort((k1, k2) => response[k2] - response[k1]);
  const keep = Math.min(settings.improve, c);
  const chosen = new Float64Array(aug.n * keep);
  for (let j = 0; j < aug.n; j++)
    for (let k = 0; k < keep; k++) chosen[j * keep + k] = starts[j * c + order[k]];
  return { roundedValue, chosen, keep };
}

/** sign(⟨x_i, g⟩) as ±1 (0 counts as +1). */
function side(x: Float64Array, i: number, r: number, g: Float64Array): number {
  let s = 0;
  const b = i * r;
  for (let k = 0; k < r; k++) s += x[b + k] * g[k];
  return s >= 0 ? 1 : -1;
}

/**
 * Independent Lanczos starts of the certificate: the failure probabilities multiply, so four runs of 31
 * steps replace one of 67 at N = 4097 (δ = 10⁻⁶, ε = 0.02), and a 4-column product costs far less than
 * four matrix-vector products (sparse gathers and GEMM are memory bound).
 */
const CERTIFICATE_RUNS = 4;

/** `‖B‖_□ ≤ σ̄ · √(Σa Σb) / 4` with σ̄ a probabilistic upper bound of σ_max(D_a^{-½} A' D_b^{-½}). */
function certify(
  aug: Augmented,
  aIn: Float64Array,
  bIn: Float64Array,
  settings: SdpSettings,
  rng: Rng,
): { bound: number; steps: number } {
  const a = floorWeights(aIn);
  const b = floorWeights(bIn);
  const m1 = a.length;
  const n1 = b.length;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < m1; i++) sa += a[i];
  for (let j = 0; j < n1; j++) sb += b[j];
  if (sa === 0 || sb === 0) return { bound: 0, steps: 0 };
  // CERTIFICATE_RUNS independent Lanczos runs advance together: one float64 block product per step.
  const runs = CERTIFICATE_RUNS;
  const sqrtB = new Float64Array(n1);
  for (let j = 0; j < n1; j++) sqrtB[j] = Math.sqrt(b[j]);
  const tmpV = new Float64Array(n1 * runs);
  const tmpU = new Float64Array(m1 * runs);
  const apply = (x: Float64Array, out: Float64Array): void => {
    for (let j = 0; j < n1; j++)
      for (let c = 0; c < runs; c++) tmpV[j * runs + c] = x[j * runs + c] / sqrtB[j];
    aug.mul(tmpV, runs, tmpU, 'float64');
    for (let i = 0; i < m1; i++) for (let c = 0; c < runs; c++) tmpU[i * runs + c] /= a[i];
    aug.mulT(tmpU, runs, out, 'float64');
    for (let j = 0; j < n1; j++) for (let c = 0; c < runs; c++) out[j * runs + c] /= sqrtB[j];
  };
  const steps = stepsFor(n1, settings.certificateSlack, settings.failureProbability, runs);
  const res = lanczosMax(n1, apply, steps, settings.failureProbability, rng.fork('certificate'), runs);
  return { bound: (Math.sqrt(res.upper) * Math.sqrt(sa * sb)) / 4, steps: res.steps };
}

/** Replaces zero or tiny weights by a floor (any positive weights give a valid bound). */
function floorWeights(w: Float64Array): Float64Array {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, w[i]);
  const floor = max * 1e-9;
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = Math.max(w[i], floor);
  return out;
}
