/**
 * The cut norm ‖a‖_□ of one kernel, or the cut distance δ_□(a, b) of two, as one record of bounds — what
 * `graphon-pai cut` prints and a user compares with their own numbers:
 *
 * - `upperBound` (null when none) with its `upperBoundKind`; `certified` is true exactly for the `exact`
 *   and `deterministic` kinds (a `deterministic` bound also names the `certificatePrecision` of the
 *   factorisation that proved it), while a `probabilistic` bound carries its `failureProbability` (the chance
 *   it is wrong) and is not called certified;
 * - `alignedLowerBound`: the value of an explicit cut. For a cut norm it bounds ‖a‖_□ from below; for a
 *   distance it bounds the *aligned* cut norm ‖a − b^{φ,ψ}‖_□ from below, not δ_□ (which can only be smaller);
 * - `estimate`, the cut-norm `method` that ran, and the `alignment` of a distance (null for a norm).
 *
 * @example
 * const r = cutReport(mask, StepGraphon.constant(0.1), { certificate: 'deterministic' });
 * r.certified; // true: δ_□(mask, 0.1) ≤ r.upperBound, proved by a Cholesky certificate
 */
import type { Alignment } from './alignment';
import { type CutDistanceOptions, cutDistance } from './cut-distance';
import type { CutTerm } from './cut-input';
import { type CertificatePrecision, type CutNormResult, cutNorm } from './cut-norm';

export interface CutReport {
  quantity: 'cut norm' | 'cut distance';
  upperBound: number | null;
  upperBoundKind: NonNullable<CutNormResult['upperBoundKind']> | null;
  /** Whether the upper bound is proved (kind `exact` or `deterministic`). */
  certified: boolean;
  /** Only for a `probabilistic` upper bound: the probability that it is wrong. */
  failureProbability?: number;
  /** Only for a `deterministic` upper bound: the precision of the Cholesky certificate that proved it. */
  certificatePrecision?: CertificatePrecision;
  alignedLowerBound: number;
  estimate: number;
  method: string;
  alignment: Alignment | null;
}

/** The upper bound, its kind, whether it is certified, and the failure probability of a probabilistic one. */
function upperBoundFields(
  r: {
    upperBound: number | undefined;
    upperBoundKind: CutNormResult['upperBoundKind'];
    failureProbability: number;
  },
  precision: CertificatePrecision | undefined,
): Pick<
  CutReport,
  'upperBound' | 'upperBoundKind' | 'certified' | 'failureProbability' | 'certificatePrecision'
> {
  const kind = r.upperBound === undefined ? null : (r.upperBoundKind ?? null);
  return {
    upperBound: r.upperBound ?? null,
    upperBoundKind: kind,
    certified: kind === 'exact' || kind === 'deterministic',
    ...(kind === 'probabilistic' ? { failureProbability: r.failureProbability } : {}),
    ...(kind === 'deterministic' && precision !== undefined ? { certificatePrecision: precision } : {}),
  };
}

/** ‖a‖_□ (without `b`) or δ_□(a, b), as a {@link CutReport}; options as {@link cutDistance}'s. */
export function cutReport(a: CutTerm, b?: CutTerm, options: CutDistanceOptions = {}): CutReport {
  if (b === undefined) {
    const r = cutNorm(a, options);
    return {
      quantity: 'cut norm',
      ...upperBoundFields(r, r.certificatePrecision),
      alignedLowerBound: r.lowerBound,
      estimate: r.estimate,
      method: r.method,
      alignment: null,
    };
  }
  const r = cutDistance(a, b, options);
  return {
    quantity: 'cut distance',
    ...upperBoundFields(r, r.cutNorm.certificatePrecision),
    alignedLowerBound: r.alignedLowerBound,
    estimate: r.estimate,
    method: r.cutNorm.method,
    alignment: r.alignment,
  };
}
