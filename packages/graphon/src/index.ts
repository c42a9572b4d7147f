/**
 * @packageDocumentation
 * Bipartite graphons: step-graphon operations, canonical (degree-sorted) histograms, estimators (histogram,
 * SAS, USVT, network histogram), the kernel and channel graphs of convolution masks, Factorised Saliency
 * Model limits and fits, W-random sampling and error metrics. Figures are in `@graphon-pai/figures`, mathjs expressions in `@graphon-pai/expressions`.
 */
export {
  type BlockCounts,
  blockCuts,
  blockHistogram,
  blockStarts,
  type CanonicalHistogram,
  type CanonicalOrder,
  canonicalHistogram,
  canonicalOrder,
  canonicalStepGraphon,
  sortByDegreeDescending,
} from './canonical';
export {
  type ChannelGraph,
  type ConvMaskShape,
  channelCanonicalOrder,
  channelConnectivity,
  channelGraph,
  channelStepGraphon,
  convMaskShape,
  kernelGraph,
} from './conv-graphs';
export {
  DISTRIBUTION_NAMES,
  type Distribution,
  type DistributionSpec,
  distribution,
  empiricalDistribution,
  type NamedDistribution,
  type ProfileSpec,
} from './distributions';
export { DISTRIBUTION_PARAMETERS, parseNamedDistribution } from './distribution-text';
export {
  FSM_BLOCK_TOLERANCE,
  type FsmCustomLink,
  FsmLimit,
  type FsmLimitOptions,
  type FsmLink,
  type FsmModel,
  fsmLimit,
  type ResolvedFsm,
  resolveFsm,
} from './fsm';
export { type FsmSample, sampleFsmMask } from './fsm-sample';
export {
  EmpiricalFsmLimit,
  type EmpiricalFsmLimitOptions,
  empiricalFsmLimit,
} from './empirical-fsm';
export { type FsmFit, type FsmFitLimitOptions, type FsmFitOptions, fitFsm } from './fit-fsm';
export {
  type FactorSummary,
  factorSummary,
  type FsmFitSummary,
  summarizeFsmFit,
} from './fsm-fit-summary';
export { type GraphonSample, type SampleGraphonOptions, sampleGraphon } from './sampling';
export {
  type CommonRefinement,
  colDegreeFunction,
  commonRefinement,
  evaluateStepFunction,
  mergeCuts,
  type ResampleOptions,
  refineKernel,
  resampleGrid,
  rowDegreeFunction,
  type StepFunction,
  stepDifference,
  stepGraphonFromFunction,
} from './step-functions';
export { type PluginBandwidth, pluginBlocks } from './bandwidth';
export {
  type EstimateGraphonOptions,
  estimateGraphon,
  GRAPHON_ESTIMATORS,
  type GraphonEstimate,
  type GraphonEstimator,
} from './estimate-graphon';
export { type HistogramOptions, histogramEstimate } from './histogram-estimator';
export { type ErrorOptions, estimationError } from './metrics';
export {
  type NetworkHistogramOptions,
  type NetworkHistogramResult,
  networkHistogram,
} from './network-histogram';
export { type SasOptions, sasEstimate, tvDenoise } from './sas';
export { type UsvtOptions, type UsvtResult, usvtEstimate } from './usvt';
export { rowBlockGraphon } from './row-block-graphon';
