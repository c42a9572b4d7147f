/**
 * @graphon-pai/experiments: the experiment presets of graphon-pai (the paper's convergence, taxonomy,
 * Graphon-NTK, UAT, joint-limit and accuracy studies) as library calls. A preset's descriptor is light (its
 * defaults, checks and record schema); `load()` brings its computation: `runJob` for one job (a criterion and
 * a seed) and `report`, which turns the job results into the report's files as data. `runExperiment` and
 * `mergeExperiment` run a sweep (or one shard of it) into a report or shard folder and join shard folders,
 * under core's output rule. Nothing here chooses a tfjs backend.
 */
export { optionOf } from './checks';
export { checkJobRecord, parseRecord, type RecordContext, shardMetaSchema } from './job-records';
export { type MnistTaskOptions, mnistBinaryTask, mnistTaskBatch } from './mnist-task';
export type { PresetConfig, PresetDescriptor, PresetReport, PresetRun, ReportContents } from './preset';
export type { AccuracyConfig } from './presets/accuracy/config';
export type { AccuracyCell, AccuracyResult } from './presets/accuracy/run';
export type { DensitySweepConfig } from './presets/density-sweep-config';
export {
  DEFAULT_PRESET,
  type PresetConfigs,
  type PresetName,
  type PresetResults,
  presetConfig,
  presetNamed,
  presets,
  withDefaults,
} from './presets/index';
export type { JointConfig } from './presets/joint/config';
export type { JointCell, JointResult } from './presets/joint/run';
export type { NtkConfig } from './presets/ntk/config';
export type { NtkCell, NtkResult } from './presets/ntk/run';
export type { TaxonomyConfig } from './presets/taxonomy/config';
export type {
  ConvGraphResult as TaxonomyConvGraphResult,
  ConvJobResult as TaxonomyConvResult,
  ConvWidthResult as TaxonomyConvWidthResult,
} from './presets/taxonomy/conv-job';
export type {
  JobResult as TaxonomyMlpResult,
  WidthResult as TaxonomyWidthResult,
} from './presets/taxonomy/job';
export type { TaxonomyResult } from './presets/taxonomy/run';
export type { UatConfig } from './presets/uat/config';
export type { UatCell, UatResult } from './presets/uat/run';
export { type Provenance, provenanceLine } from './provenance';
export { type FigureRenderer, type RenderedFigure, writeReportFolder } from './report-folder';
export {
  type ExperimentOutcome,
  type ExperimentOutput,
  type MergeExperimentOptions,
  mergeExperiment,
  type RunExperimentOptions,
  runExperiment,
} from './run-experiment';
export { type Job, jobId, orderJobs, parseShard, runJobs, type Shard, sweepJobs } from './sweep';
