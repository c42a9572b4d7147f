/**
 * @packageDocumentation
 * Expressivity and generalisation calculators for pruned networks: active coordinates and
 * the universal-approximation condition, the Graphon-NTK and the empirical NTK of masked networks, the
 * Arora et al. (2019) generalisation bound, kernel alignment and spectra, path densities, and classical
 * graph-limit facts. Graphons may be step graphons, masks or `Graphon` objects (formulas through `@graphon-pai/expressions`).
 */
export {
  type ActiveCoordinateOptions,
  type ActiveCoordinates,
  activeCoordinates,
  countFullyConnected,
  type FloorRectangle,
  type FloorRectangleOptions,
  floorRectangle,
} from './active-coordinates';
export {
  type EmpiricalNtkOptions,
  empiricalNtk,
  type MaskedOneHiddenLayer,
  maskedNetworkFromMlp,
  type SampleMaskedNetworkOptions,
  sampleMaskedNetwork,
} from './empirical-ntk';
export {
  type GeneralisationBound,
  type GeneralisationBoundOptions,
  generalisationBound,
} from './generalisation-bound';
export {
  ALON_NAOR,
  alonNaorAugment,
  bipartiteHomomorphismDensity,
  bipartiteWeakRegularityBound,
  countingLemmaBound,
  cutDecompositionBound,
  infinityToOneNormBruteForce,
  type SamplingLemmaBound,
  samplingLemmaBound,
  weakRegularityBound,
  weakRegularitySteps,
} from './graph-limit-facts';
export { type GraphonNtkOptions, graphonNtk, graphonNtkFromProfiles } from './graphon-ntk';
export type { GraphonSource } from './graphon-source';
export type { KernelMatrix, Matrix } from './matrix';
export { composeLayerGraphons, networkPathDensity, pathDensity } from './path-density';
export { gaussLegendre, type RowProfileOptions, type RowProfiles, rowProfiles } from './quadrature';
export { type DenseReluNtkOptions, denseReluNtk } from './relu-ntk';
export { effectiveRank, kernelTargetAlignment, type SpectralSummary, spectralSummary } from './spectral';
export {
  type UatCondition,
  type UatOptions,
  type UatVerdict,
  universalApproximationCheck,
} from './uat-condition';
export { type NtkReport, type NtkReportOptions, type NtkTask, graphonNtkReport } from './ntk-report';
export { type CoordinateSpec, type UatInput, type UatReport, uatReport } from './uat-report';
