/** @packageDocumentation Cut norm and cut distance with witnessed lower bounds and certified (exact, deterministic) or probabilistic upper bounds: exact, SDP (Alon-Naor / Burer-Monteiro) and local search; weak regularity. */
export type { Alignment } from './alignment';
export {
  BLOCK_DEFAULT,
  type BlockAverages,
  type BlockDistanceOptions,
  type BlockTerm,
  blockDistance,
  blockSummary,
} from './block-distance';
export {
  type AlignmentOptions,
  type CutDistanceOptions,
  type CutDistanceResult,
  cutDistance,
  type Relabelling,
} from './cut-distance';
export { type CutReport, cutReport } from './cut-report';
export {
  type CutNormInput,
  type CutTerm,
  type DenseMatrix,
  difference,
  type KernelDifference,
} from './cut-input';
export {
  type CertificateKind,
  type CertificatePrecision,
  type CutNormMethod,
  type CutNormOptions,
  type CutNormResult,
  cutNorm,
} from './cut-norm';
export { fixedDimensionFloor } from './fixed-dimension-floor';
export {
  GRID_MAX_ENUMERATED,
  type GridDistanceOptions,
  type GridDistanceResult,
  gridDistance,
  MIN_BLOCK_SIZE,
  type RowBlockOptions,
} from './grid-distance';
export { type LpDistanceResult, lpDistance } from './lp-distance';
export {
  PIXEL_DEFAULT_ROW_BLOCKS,
  type PixelDistanceOptions,
  type PixelTerm,
  pixelDistance,
  pixelSummary,
} from './pixel-distance';
export {
  type CutTermOfDecomposition,
  type WeakRegularityOptions,
  type WeakRegularityResult,
  weakRegularity,
} from './weak-regularity';
export {
  bootstrapPValue,
  type HomogeneityOptions,
  type HomogeneityStatistics,
  type HomogeneityTest,
  homogeneityStatistics,
  homogeneityStatisticsOf,
  homogeneityTest,
  type KeptCounts,
  minimumReplicates,
} from './homogeneity-test';
