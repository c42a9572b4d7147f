/**
 * Cut distance between bipartite kernels (step graphons, masks, matrices) of possibly different sizes.
 *
 *     δ_□(U, W) = inf_{φ,ψ} ‖U − W^{φ,ψ}‖_□      (rows and columns relabel independently)
 *
 * Every concrete alignment (φ, ψ) gives an **upper bound** on δ_□: `upperBound` is the upper bound of the
 * aligned cut norm (exact, deterministic or probabilistic as `upperBoundKind` says), minimised over
 * the alignments tried. Beside it, `alignedLowerBound` is the value of an explicit cut of the aligned
 * difference: it bounds that aligned cut norm from below, **not** δ_□ (which can only be smaller).
 *
 * Alignments (see `alignment.ts`): `identity`, `canonical` (both kernels degree-sorted), `optimized`
 * (canonical, then cut-guided swap moves on the second kernel; the better of canonical and optimized is returned and
 * named in `alignment`). Relabellings permute units (rows of a matrix or mask, blocks of a step kernel), so
 * they are measure preserving; kernels of different sizes are compared on the common refinement.
 *
 * @example
 * const d = cutDistance(maskN, mask2N, { alignment: 'canonical', seed: 1 });
 * d.upperBound;         // ≥ δ_□(W_{M_n}, W_{M_2n})
 * d.alignedLowerBound;  // ≤ ‖W_{M_n} − W_{M_2n}‖_□ after canonical alignment
 *
 * Reference: L. Lovász, "Large Networks and Graph Limits" (2012), §8.1 (bipartite variants: §8.1.4).
 */
import { checkPositiveInteger, InvalidArgumentError, Rng } from '@graphon-pai/core';
import { type Alignment, alignedTerm, permuteTerm } from './alignment';
import { buildOperator, type CutTerm, type PreparedInput, type UnitTerm, unitTerm } from './cut-input';
import { type CutNormOptions, type CutNormResult, cutNormPrepared, resolveOptions } from './cut-norm';
import { cutGuidedAlignment } from './internal/cut-guided';

export interface AlignmentOptions {
  /** Default `'optimized'`. */
  alignment?: Alignment;
  /** `optimized`: rounds of cut-guided moves (rows and columns alternate). Default 16. */
  rounds?: number;
  /** `optimized`: at most this fraction of units swapped per round. Default 0.2. */
  swapFraction?: number;
}

export interface CutDistanceOptions extends CutNormOptions, AlignmentOptions {}

export interface Relabelling {
  /** New position p holds original unit rowPerm[p] (rows of a matrix/mask, row blocks of a kernel). */
  rowPerm: Uint32Array;
  colPerm: Uint32Array;
}

export interface CutDistanceResult {
  /** Upper bound on δ_□(U, W) (proved as `upperBoundKind` says), or undefined when there is none. */
  upperBound: number | undefined;
  upperBoundKind: CutNormResult['upperBoundKind'];
  failureProbability: number;
  /** Lower bound on the *aligned* cut norm ‖U − W^{φ,ψ}‖_□ (not a lower bound on δ_□). */
  alignedLowerBound: number;
  /** Best estimate of the aligned cut norm. */
  estimate: number;
  /** The alignment the numbers belong to. */
  alignment: Alignment;
  requestedAlignment: Alignment;
  first: Relabelling;
  second: Relabelling;
  /** The cut-norm computation of the aligned difference. */
  cutNorm: CutNormResult;
  /** Every alignment tried, with its bounds. */
  candidates: { alignment: Alignment; upperBound: number | undefined; alignedLowerBound: number }[];
}

const ALIGNMENTS: readonly Alignment[] = ['identity', 'canonical', 'optimized'];

export interface AlignedPair {
  alignment: Alignment;
  first: Relabelling;
  second: Relabelling;
  prepared: PreparedInput;
}

/** The aligned pairs to evaluate for the requested alignment (canonical and optimized for `optimized`). */
export function alignPair(
  u: CutTerm,
  w: CutTerm,
  options: AlignmentOptions & { seed?: CutNormOptions['seed'] },
): AlignedPair[] {
  const alignment = options.alignment ?? 'optimized';
  if (!ALIGNMENTS.includes(alignment)) {
    throw new InvalidArgumentError('options.alignment', alignment, `one of ${ALIGNMENTS.join(', ')}`);
  }
  const rounds = checkPositiveInteger('options.rounds', options.rounds ?? 16, 1_000_000);
  const swapFraction = options.swapFraction ?? 0.2;
  if (!(typeof swapFraction === 'number' && swapFraction > 0 && swapFraction <= 1)) {
    throw new InvalidArgumentError('options.swapFraction', swapFraction, 'a number in (0, 1]');
  }
  const pair = (
    a: Alignment,
    first: Relabelling & { term: UnitTerm },
    second: Relabelling & { term: UnitTerm },
  ): AlignedPair => ({
    alignment: a,
    first: { rowPerm: first.rowPerm, colPerm: first.colPerm },
    second: { rowPerm: second.rowPerm, colPerm: second.colPerm },
    prepared: buildOperator([
      { term: first.term, coef: 1 },
      { term: second.term, coef: -1 },
    ]),
  });
  if (alignment === 'identity')
    return [pair('identity', alignedTerm(u, 'U', 'identity'), alignedTerm(w, 'W', 'identity'))];
  const a = alignedTerm(u, 'U', 'canonical');
  const b = alignedTerm(w, 'W', 'canonical');
  const out = [pair('canonical', a, b)];
  if (alignment === 'optimized') {
    const base = unitTerm(w, 'W');
    const perms = cutGuidedAlignment(
      a.term,
      base,
      b,
      { rounds, swapFraction, starts: 7 },
      new Rng(options.seed ?? 0).fork('alignment'),
    );
    out.push(pair('optimized', a, { ...perms, term: permuteTerm(base, perms.rowPerm, perms.colPerm) }));
  }
  return out;
}

/** Upper bound on δ_□(U, W) with the aligned cut norm's lower bound beside it; see the file header. */
export function cutDistance(u: CutTerm, w: CutTerm, options: CutDistanceOptions = {}): CutDistanceResult {
  const opts = resolveOptions(options);
  const pairs = alignPair(u, w, options);
  let best: { pair: AlignedPair; result: CutNormResult } | undefined;
  const candidates: CutDistanceResult['candidates'] = [];
  for (const pair of pairs) {
    let result: CutNormResult;
    try {
      result = cutNormPrepared(pair.prepared, opts);
    } finally {
      pair.prepared.op.release();
    }
    candidates.push({
      alignment: pair.alignment,
      upperBound: result.upperBound,
      alignedLowerBound: result.lowerBound,
    });
    if (!best || better(result, best.result)) best = { pair, result };
  }
  const { pair, result } = best!;
  return {
    upperBound: result.upperBound,
    upperBoundKind: result.upperBoundKind,
    failureProbability: result.failureProbability,
    alignedLowerBound: result.lowerBound,
    estimate: result.estimate,
    alignment: pair.alignment,
    requestedAlignment: options.alignment ?? 'optimized',
    first: pair.first,
    second: pair.second,
    cutNorm: result,
    candidates,
  };
}

function better(a: CutNormResult, b: CutNormResult): boolean {
  if (a.upperBound !== undefined && b.upperBound !== undefined && a.upperBound !== b.upperBound)
    return a.upperBound < b.upperBound;
  if (a.upperBound !== undefined && b.upperBound === undefined) return true;
  if (a.upperBound === undefined && b.upperBound !== undefined) return false;
  return a.estimate < b.estimate;
}
