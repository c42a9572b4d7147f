/** @packageDocumentation Cut norm and cut distance with certified lower and upper bounds: exact, SDP (Alon-Naor / Burer-Monteiro) and local search; weak regularity. */
export type { Alignment } from './alignment';
export {
  type AlignmentOptions,
  type CutDistanceOptions,
  type CutDistanceResult,
  cutDistance,
  type Relabelling,
} from './cut-distance';
export {
  type CutNormInput,
  type CutTerm,
  type DenseMatrix,
  difference,
  type KernelDifference,
} from './cut-input';
export { type CutNormMethod, type CutNormOptions, type CutNormResult, cutNorm } from './cut-norm';
export { type LpDistanceResult, lpDistance } from './lp-distance';
export {
  type CutTermOfDecomposition,
  type WeakRegularityOptions,
  type WeakRegularityResult,
  weakRegularity,
} from './weak-regularity';
