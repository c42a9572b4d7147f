/**
 * @packageDocumentation Conformance suite for graphon-pai criteria and third-party pruner plugins, plus
 * numeric jest matchers.
 */
export { type BackendName, backendLoadError, ensureBackend } from './backend';
export {
  describeCriterionConformance,
  describeMaskerConformance,
  describePluginConformance,
  type SuiteOptions,
} from './conformance';
export {
  type CheckResult,
  type ConformanceCheck,
  ConformanceError,
  checkScoreShapes,
  criterionChecks,
  runCriterionConformance,
} from './criterion-checks';
export {
  type ArrayComparison,
  type CloseToOptions,
  compareArrays,
  describeComparison,
  installMatchers,
  numericMatchers,
} from './matchers';
export { type MaskerContext, maskerChecks, pluginChecks } from './plugin-checks';
export { type ConformanceOptions, type ConformanceSetup, createSetup } from './setup';
