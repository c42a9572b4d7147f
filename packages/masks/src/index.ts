/**
 * @packageDocumentation
 * Exact-density masks from saliency scores: selection, scopes, allocations (ERK, ...), iterative schedules
 * and mask statistics. Density is always the kept fraction.
 */
export { checkDensity, keptCount } from './density';
export {
  type NonFinitePolicy,
  type SelectOptions,
  SelectionWorkspace,
  selectLayerCounts,
  selectTopK,
} from './select';
export {
  type Allocation,
  type AllocationKind,
  allocateCounts,
  erkFactor,
  type LayerShapes,
  layerDensities,
} from './allocation';
export { type MaskFromScoresOptions, maskFromScores } from './mask-from-scores';
export {
  type BernoulliMaskOptions,
  bernoulliMask,
  type ShuffleMaskOptions,
  shuffleMask,
  type UniformRandomMaskOptions,
  uniformRandomMask,
} from './random';
export {
  type DegreeSummary,
  type LayerStatistics,
  type MaskStatistics,
  type MaskStatisticsOptions,
  maskStatistics,
  type NetworkStatistics,
} from './statistics';
export { formatMaskStatistics } from './statistics-table';
export {
  countSchedule,
  densitySchedule,
  type NormalizedSchedule,
  normalizeSchedule,
  type Schedule,
} from './schedule';
export {
  type Provenance,
  type PruneAllocation,
  type PruneOptions,
  type PruneResult,
  prune,
  type RoundInfo,
} from './prune';
export { MASKS_VERSION } from './version';
export {
  type LoadedMask,
  type LoadMaskOptions,
  loadMask,
  type SaveMaskOptions,
  saveMask,
} from './mask-files';
