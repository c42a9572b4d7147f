/**
 * @packageDocumentation
 * Shared vocabulary of graphon-pai: bit-packed masks, score maps, step graphons, errors, seeded RNG,
 * safetensors/npy files and the plugin registry.
 */

export { BitMatrix, popcount } from './bit-matrix';
export { checkDensity, checkPositiveInteger, type DensityCheckOptions } from './checks';
export {
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
export { type ChunkProducer, writeFileAtomic } from './io/atomic-write';
export {
  bf16ToNumber,
  DTYPES,
  type DType,
  type DTypeArray,
  f16ToNumber,
  int64ToNumbers,
  numberToBf16,
  numberToF16,
  type Tensor,
  type TensorData,
  type TensorInput,
} from './io/dtype';
export { type ExampleMatrix, readExampleMatrix } from './io/example-file';
export { DEFAULT_MAX_CLASSES, type LabelFileOptions, readLabelFile } from './io/label-file';
export {
  decodeMaskFile,
  encodeMaskFile,
  MASK_FILE_FORMAT,
  type MaskFileContents,
  type MaskFileWriteOptions,
  type MaskMetadata,
  readMaskFile,
  writeMaskFile,
} from './io/mask-file';
export {
  decodeNpy,
  encodeNpy,
  type NpyHeader,
  readNpy,
  readNpyHeader,
  writeNpy,
} from './io/npy';
export {
  type ClaimedFile,
  type FileKind,
  MASK_FILE_KIND,
  OutputFiles,
  type OutputOptions,
  SCORE_FILE_KIND,
  safetensorsKind,
} from './io/output-files';
export {
  checkOutputFolder,
  OUTPUT_MARKER,
  OutputFolder,
  type OutputFolderOptions,
  type OutputMarker,
  readOutputMarker,
  withOutputFolder,
} from './io/output-folder';
export {
  type FoldedStateDict,
  foldPruneStateDict,
  isPruneStateDict,
  maskFromTensor,
  type PruneStateDictMasks,
  readPruneStateDictMasks,
  type StoredTensorInfo,
} from './io/prune-state-dict';
export {
  DEFAULT_MAX_READ_BYTES,
  DEFAULT_MAX_TENSORS,
  impliedTensorBytes,
  type ReadBudget,
  resolveBudget,
} from './io/read-budget';
export {
  decodeSafetensors,
  encodeSafetensors,
  encodeSafetensorsHeader,
  parseSafetensorsHeader,
  readSafetensors,
  readSafetensorsHeader,
  type SafetensorsContents,
  type SafetensorsEntry,
  SafetensorsFile,
  type SafetensorsHeader,
  type SafetensorsLayoutEntry,
  type SafetensorsMetadata,
  type TensorsInput,
  writeSafetensors,
} from './io/safetensors';
export {
  readScoreFile,
  readScoreMatrix,
  SCORE_FILE_FORMAT,
  type ScoreMatrix,
  writeScoreFile,
} from './io/score-file';
export { encodeStepGraphonNpy, readStepGraphonNpy, STEP_GRAPHON_FILES } from './io/step-graphon-npy';
export {
  type LayerScores,
  type LayerShape,
  layerSize,
  type NetworkMask,
  networkMaskDensity,
  type ScoreMap,
  scoreMapSize,
} from './layers';
export { closestName, levenshtein } from './plugins/closest-name';
export {
  assertPluginShape,
  BUILTIN_NAMESPACE,
  type CriterionSpec,
  definePlugin,
  type MaskerSpec,
  PLUGIN_API_VERSION,
  type PluginMeta,
  type PrunerPlugin,
  type ScheduleSpec,
} from './plugins/contract';
export {
  DEFAULT_PLUGIN_TIMEOUT_SECONDS,
  guardPlugin,
  guardPluginCall,
  type PluginCallSite,
  type PluginGuardOptions,
} from './plugins/guard';
export {
  PluginRegistry,
  type RegisteredCriterion,
  type RegisteredMasker,
  type RegisteredPlugin,
  type RegisterOptions,
  type RegistryEntry,
  registry,
  validatePluginModule,
} from './plugins/registry';
export { Rng, type Seed } from './rng';
export { type SelectionScan, selectionSample } from './selection-sample';
export { equalCuts, findBlock, type Graphon, StepGraphon, StepKernel } from './step-graphon';
