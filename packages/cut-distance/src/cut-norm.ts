/**
 * Cut norm of a kernel with a witnessed lower bound and an upper bound of a stated kind.
 *
 *     ‖U‖_□ = sup_{S,T ⊆ [0,1]} |∫_{S×T} U|,   for an m×n matrix read as a step function:
 *     ‖A‖_□ = max_{I,J} |Σ_{I×J} A_ij| / (m·n)                    (docs: concepts/cut-distance)
 *
 * Every input is reduced to the mass matrix `B_pq = h_p g_q D_pq` on the pieces of its grid (see
 * `cut-input.ts`), so `‖U‖_□ = max_{S,T} |Σ_{S×T} B|` exactly (a step function attains the supremum on
 * unions of pieces). Methods:
 *
 * - `exact`: Gray-code enumeration of the smaller side, closed-form best response on the other:
 *   O(2^min · max); `lowerBound = upperBound = ‖U‖_□` (up to float64 rounding of the sums).
 * - `sdp`: Alon–Naor augmentation, Burer–Monteiro block ascent on a product of spheres (rank R) with a
 *   relative-gain convergence test, Gaussian hyperplane rounding, alternating improvement of the best
 *   rounded cuts, and a dual certificate (see `internal/sdp.ts`). `certificate: 'probabilistic'` (the
 *   default) checks the dual bound by randomly started Lanczos runs: it holds except with probability
 *   `failureProbability` (`upperBoundKind: 'probabilistic'`). `'deterministic'` proves it by a Cholesky
 *   factorisation (float64, or float32 with `certificatePrecision: 'float32'`) with a rigorous rounding
 *   margin (`upperBoundKind: 'deterministic'`, no exception) while the smaller side has at most 2048
 *   pieces (4096 with LAPACK), and falls back to the probabilistic route above that (`upperBoundKind` says
 *   which ran). The deterministic bound
 *   `max(Σ B⁺, Σ B⁻)` replaces either when it is smaller.
 * - `local`: multi-start alternating maximisation (the cheap lower bound); no upper bound except the
 *   deterministic `max(Σ B⁺, Σ B⁻)` when it is cheap to compute.
 * - `auto`: `exact` when 2^min(pieces) · max(pieces) ≤ 2^26, otherwise `sdp`; `method` says which ran.
 *
 * `lowerBound` is always the value of the returned cut (`cut.rows × cut.cols`, pieces of `rowCuts` /
 * `colCuts`), recomputed from the sets; `estimate` is the best value known (= lowerBound: the SDP value
 * overestimates and is reported separately as `sdpValue`).
 *
 * Reference: N. Alon, A. Naor, "Approximating the cut-norm via Grothendieck's inequality", STOC 2004;
 * S. Burer, R. Monteiro, Math. Program. 95 (2003); A. Frieze, R. Kannan, Combinatorica 19 (1999);
 * L. Lovász, "Large Networks and Graph Limits" (2012), §8.
 *
 * @example
 * const a = { rows: 2, cols: 2, data: [1, -1, -1, 1] };
 * cutNorm(a).lowerBound;                                       // 0.25
 * cutNorm(difference(mask, StepGraphon.constant(0.1)), { method: 'sdp', seed: 1 });
 */
import { InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import { type CutNormInput, prepareInput, type PreparedInput } from './cut-input';
import { clock } from './internal/clock';
import { alternateMany, type FoundCut, indices } from './internal/alternate';
import { exactCut } from './internal/exact';
import type { CertificatePrecision } from './internal/deterministic-certificate';
import { type CertificateKind, type CertificateStep, type SdpSettings, solveSdp } from './internal/sdp';

export type { CertificatePrecision } from './internal/deterministic-certificate';
export type { CertificateKind } from './internal/sdp';

export type CutNormMethod = 'auto' | 'exact' | 'sdp' | 'local';

export interface CutNormOptions {
  /** Default `'auto'`. */
  method?: CutNormMethod;
  /** Seed of every random choice (starts, SDP initialisation, roundings, certificate). Default 0. */
  seed?: Seed;
  /** `local`: number of random starts (plus one all-columns start). Default 7. */
  starts?: number;
  /** `sdp`: Burer–Monteiro rank R. Default 8. */
  rank?: number;
  /** `sdp`: heavy-ball momentum β ∈ [0, 1) of the block ascent (0: plain block ascent). Default 0.9. */
  momentum?: number;
  /** `sdp`: sweep cap. Default 500. */
  maxIterations?: number;
  /** `sdp`: stop when the relative objective gain stays below this for `patience` sweeps. Default 2e-4. */
  tolerance?: number;
  /** `sdp`: consecutive calm sweeps before stopping. Default 3. */
  patience?: number;
  /** `sdp`: Gaussian hyperplane roundings. Default 32. */
  roundings?: number;
  /** `sdp`: rounded cuts (the best by row response) improved by alternating maximisation. Default 8. */
  improve?: number;
  /** `sdp`: compute the dual certificate (`upperBound`). Default true. */
  certify?: boolean;
  /**
   * `sdp`: how the dual bound is proved. `'probabilistic'` (default): randomly started Lanczos, wrong with
   * probability ≤ `failureProbability`. `'deterministic'`: Cholesky with a rigorous rounding margin
   * (certified; float64 unless `certificatePrecision` says float32), for smaller sides up to 2048 pieces
   * (4096 with LAPACK; larger inputs fall back to `'probabilistic'`, and `upperBoundKind` says which ran).
   * It costs a dense Gram product and a factorisation on the smaller side, which in float64 alone take about
   * as long as the SDP solve on a dense 1000 × 1000 input; with the rest it is 2–3× the solve's CPU time in
   * float64 and 1.5–2× in float32 (see the package README), so it is not the default.
   */
  certificate?: CertificateKind;
  /**
   * `sdp`, deterministic certificate: arithmetic of its Gram product and Cholesky factorisation.
   * `'float64'` (default): margins ~10⁻¹² relative, the bound within ~10⁻⁶ of the dual value of the solver's
   * candidate. `'float32'`: about twice as fast in those two steps, margins re-derived for u = 2⁻²⁴, which
   * cost a few % of the bound (≈ 1–2 % on a dense 1000 × 1000 difference; see the package README); still
   * deterministic. Falls back to float64 when the float32 factorisation cannot certify.
   */
  certificatePrecision?: CertificatePrecision;
  /** `sdp`, probabilistic certificate: failure probability δ. Default 1e-6. */
  failureProbability?: number;
  /** `sdp`, probabilistic certificate: relative slack ε of the Lanczos bound on λ_max (sets the step count). Default 0.02. */
  certificateSlack?: number;
  /** `auto`: largest 2^min·max work for `exact`. Default 2^26. `exact` refuses above 2^34. */
  exactBudget?: number;
}

export interface CutNormResult {
  /** Value |∫_{S×T} U| of the returned cut: a lower bound on ‖U‖_□. */
  lowerBound: number;
  /** Upper bound on ‖U‖_□ when one is proved, else undefined. */
  upperBound: number | undefined;
  /**
   * How `upperBound` is proved: `'exact'` (enumeration: the maximum itself), `'deterministic'` (holds
   * without exception: Cholesky certificate or `max(Σ B⁺, Σ B⁻)`), `'probabilistic'` (holds except with
   * probability `failureProbability`). Only `'exact'` and `'deterministic'` bounds are certified.
   */
  upperBoundKind: 'exact' | 'probabilistic' | 'deterministic' | undefined;
  /** Probability that a probabilistic `upperBound` is wrong (0 for every other kind). */
  failureProbability: number;
  /** Arithmetic of the Cholesky certificate when one proved `upperBound` (`sdp`, deterministic). */
  certificatePrecision?: CertificatePrecision;
  /** Best estimate of ‖U‖_□ (the lower bound: the best cut found). */
  estimate: number;
  method: Exclude<CutNormMethod, 'auto'>;
  requestedMethod: CutNormMethod;
  /** The cut: row pieces, column pieces, and the sign of ∫_{S×T} U. */
  cut: { rows: Uint32Array; cols: Uint32Array; sign: 1 | -1 };
  /** Piece grid of the rows (piece p = [rowCuts[p], rowCuts[p+1])). */
  rowCuts: Float64Array;
  colCuts: Float64Array;
  /** `sdp`: relaxation value / 4 at the solver's point (≥ ‖U‖_□ only at an optimum; not a bound). */
  sdpValue?: number;
  /** `sdp`: best hyperplane-rounded cut value before improvement (what cutnorm reports). */
  roundedValue?: number;
  /** SDP sweeps, local sweeps or exact subsets enumerated. */
  iterations: number;
  converged: boolean;
  timeMs: number;
  /**
   * Wall time per phase (ms), for profiling: `sdp` also fills `solve`, `rounding`, `improvement`,
   * `certificate` (a deterministic certificate also its steps `certificateForm`, `certificateGram`,
   * `certificateGuess`, `certificateFactor`); every method fills `search` (the method itself) and `bounds`
   * (recomputing the cut value and the deterministic bound).
   */
  phaseMs: Partial<
    Record<
      'search' | 'solve' | 'rounding' | 'improvement' | 'certificate' | 'bounds' | CertificateStep,
      number
    >
  >;
}

/** Every option with its default applied (the SDP's own settings included). */
interface Resolved extends SdpSettings {
  method: CutNormMethod;
  seed: Seed;
  starts: number;
  exactBudget: number;
}

const CERTIFICATES: readonly CertificateKind[] = ['deterministic', 'probabilistic'];
const PRECISIONS: readonly CertificatePrecision[] = ['float64', 'float32'];

const METHODS: readonly CutNormMethod[] = ['auto', 'exact', 'sdp', 'local'];

function intOption(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new InvalidArgumentError(`options.${name}`, v, `an integer in [${min}, ${max}]`);
  }
  return v;
}

function realOption(name: string, v: number | undefined, dflt: number, lo: number, hi: number): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && v > lo && v < hi)) {
    throw new InvalidArgumentError(`options.${name}`, v, `a number in (${lo}, ${hi})`);
  }
  return v;
}

function momentumOption(v: number | undefined): number {
  if (v === undefined) return 0.9;
  if (!(typeof v === 'number' && v >= 0 && v < 1)) {
    throw new InvalidArgumentError('options.momentum', v, 'a number in [0, 1)', {
      fix: 'use 0 for the plain block ascent, 0.9 (the default) for momentum',
    });
  }
  return v;
}

export function resolveOptions(options: CutNormOptions = {}): Resolved {
  const method = options.method ?? 'auto';
  if (!METHODS.includes(method)) {
    throw new InvalidArgumentError('options.method', method, `one of ${METHODS.join(', ')}`);
  }
  const certificate = options.certificate ?? 'probabilistic';
  if (!CERTIFICATES.includes(certificate)) {
    throw new InvalidArgumentError('options.certificate', certificate, `one of ${CERTIFICATES.join(', ')}`);
  }
  const certificatePrecision = options.certificatePrecision ?? 'float64';
  if (!PRECISIONS.includes(certificatePrecision)) {
    throw new InvalidArgumentError(
      'options.certificatePrecision',
      certificatePrecision,
      `one of ${PRECISIONS.join(', ')}`,
    );
  }
  return {
    method,
    certificate,
    certificatePrecision,
    seed: options.seed ?? 0,
    starts: intOption('starts', options.starts, 7, 1, 1_000_000),
    rank: intOption('rank', options.rank, 8, 1, 512),
    momentum: momentumOption(options.momentum),
    maxIterations: intOption('maxIterations', options.maxIterations, 500, 1, 1_000_000),
    tolerance: realOption('tolerance', options.tolerance, 2e-4, 0, 1),
    patience: intOption('patience', options.patience, 3, 1, 1000),
    roundings: intOption('roundings', options.roundings, 32, 1, 1_000_000),
    improve: intOption('improve', options.improve, 8, 1, 1_000_000),
    certify: options.certify ?? true,
    failureProbability: realOption('failureProbability', options.failureProbability, 1e-6, 0, 1),
    certificateSlack: realOption('certificateSlack', options.certificateSlack, 0.02, 0, 1),
    exactBudget: realOption('exactBudget', options.exactBudget, 2 ** 26, 0, 2 ** 40),
  };
}

const EXACT_LIMIT = 2 ** 34;

function exactWork(rows: number, cols: number): number {
  return 2 ** Math.min(rows, cols) * Math.max(rows, cols);
}

/** Cut norm of a matrix, a step kernel, a mask or a difference of two of them; see the file header. */
export function cutNorm(x: CutNormInput, options: CutNormOptions = {}): CutNormResult {
  const opts = resolveOptions(options);
  const prepared = prepareInput(x, 'x');
  try {
    return cutNormPrepared(prepared, opts);
  } finally {
    prepared.op.release();
  }
}

export function cutNormPrepared(prepared: PreparedInput, opts: Resolved): CutNormResult {
  const start = performance.now();
  const phaseStart = clock.now();
  const { op } = prepared;
  const work = exactWork(op.rows, op.cols);
  let method: Exclude<CutNormMethod, 'auto'>;
  if (opts.method === 'auto') method = work <= opts.exactBudget ? 'exact' : 'sdp';
  else method = opts.method;
  if (method === 'exact' && (Math.min(op.rows, op.cols) > 30 || work > EXACT_LIMIT)) {
    throw new InvalidArgumentError(
      'options.method',
      'exact',
      `a method that fits the size ('exact' needs 2^min(rows, cols)·max(rows, cols) ≤ 2^34; here ${op.rows} × ${op.cols} pieces)`,
      {
        fix: "use method 'sdp' or 'auto'",
      },
    );
  }
  const rng = new Rng(opts.seed);
  let cut: FoundCut;
  let upperBound: number | undefined;
  let upperBoundKind: CutNormResult['upperBoundKind'];
  let failureProbability = 0;
  let iterations = 0;
  let converged = true;
  let sdpValue: number | undefined;
  let roundedValue: number | undefined;
  let certificatePrecision: CertificatePrecision | undefined;
  let phaseMs: CutNormResult['phaseMs'] = {};
  if (method === 'exact') {
    cut = exactOnOperator(prepared);
    iterations = 2 ** Math.min(op.rows, op.cols);
  } else if (method === 'local') {
    const r = localSearch(prepared, opts.starts, rng);
    cut = r.cut;
    iterations = r.sweeps;
  } else {
    const out = solveSdp(op, opts, rng);
    cut = out.cut;
    iterations = out.iterations;
    converged = out.converged;
    sdpValue = out.sdpValue;
    roundedValue = out.roundedValue;
    phaseMs = { ...out.phaseMs };
    if (out.upperBound !== undefined) {
      upperBound = out.upperBound;
      upperBoundKind = out.upperBoundKind;
      failureProbability = out.upperBoundKind === 'probabilistic' ? opts.failureProbability : 0;
      certificatePrecision = out.certificatePrecision;
    }
  }
  const boundsStart = clock.now();
  phaseMs.search = boundsStart - phaseStart;
  // The value of the explicit cut, recomputed from its sets.
  const value = op.cutValue(cut.s, cut.t);
  const lowerBound = Math.abs(value);
  if (method === 'exact') {
    upperBound = lowerBound;
    upperBoundKind = 'exact';
  } else {
    const trivial = op.positiveNegativeMass(5e7);
    if (trivial !== undefined && (upperBound === undefined || trivial < upperBound)) {
      upperBound = trivial;
      upperBoundKind = 'deterministic';
      failureProbability = 0;
      certificatePrecision = undefined;
    }
  }
  if (upperBound !== undefined && upperBound < lowerBound) upperBound = lowerBound;
  phaseMs.bounds = clock.now() - boundsStart;
  return {
    lowerBound,
    upperBound,
    upperBoundKind,
    failureProbability,
    ...(certificatePrecision !== undefined ? { certificatePrecision } : {}),
    estimate: lowerBound,
    method,
    requestedMethod: opts.method,
    cut: { rows: indices(cut.s), cols: indices(cut.t), sign: value < 0 ? -1 : 1 },
    rowCuts: prepared.rowCuts,
    colCuts: prepared.colCuts,
    ...(sdpValue !== undefined ? { sdpValue } : {}),
    ...(roundedValue !== undefined ? { roundedValue } : {}),
    iterations,
    converged,
    timeMs: performance.now() - start,
    phaseMs,
  };
}

function exactOnOperator(prepared: PreparedInput): FoundCut {
  const { op } = prepared;
  const b = op.denseMass();
  const m = op.rows;
  const n = op.cols;
  if (n <= m) return exactCut(b, m, n);
  const bt = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) bt[j * m + i] = b[i * n + j];
  const c = exactCut(bt, n, m);
  return { s: c.t, t: c.s, value: c.value, products: c.products };
}

/** Multi-start alternating maximisation: one all-columns start plus `starts` random half-density starts. */
export function localSearch(
  prepared: PreparedInput,
  starts: number,
  rng: Rng,
): { cut: FoundCut; sweeps: number } {
  const { op } = prepared;
  const c = starts + 1;
  const t = new Float64Array(op.cols * c);
  for (let j = 0; j < op.cols; j++) {
    t[j * c] = 1;
    for (let k = 1; k < c; k++) t[j * c + k] = rng.uniform() < 0.5 ? 1 : 0;
  }
  const cut = alternateMany(op, t, c);
  return { cut, sweeps: cut.products / 2 };
}
