/**
 * @packageDocumentation
 * Shared vocabulary of graphon-pai: bit-packed masks, score maps, step graphons, errors, seeded RNG,
 * safetensors/npy files and the plugin registry.
 */
export {
  describeValue,
  type ErrorCode,
  type ErrorOptions,
  FormatError,
  GraphonPaiError,
  InvalidArgumentError,
  isUserError,
  NumericalError,
  PluginError,
  UnsupportedError,
} from './errors';
export { BitMatrix, popcount } from './bit-matrix';
export {
  type LayerScores,
  type LayerShape,
  layerSize,
  type NetworkMask,
  networkMaskDensity,
  type ScoreMap,
  scoreMapSize,
} from './layers';
export { Rng, type Seed } from './rng';
export { equalCuts, findBlock, type Graphon, StepGraphon, StepKernel } from './step-graphon';
