/** @packageDocumentation Pruning-at-initialisation criteria for graphon-pai: random, magnitude, SNIP, GraSP and SynFlow, registered as plugins. */
export {
  booleanOption,
  type CriterionContext,
  checkContext,
  contextBatches,
  contextLoss,
  normalizeBySum,
  positiveNumberOption,
  readOptions,
} from './context';
export {
  explainedFraction,
  FSM_CRITERIA,
  type FsmCriterion,
  type FsmFactors,
  fsmFactors,
  rankOneFit,
} from './fsm';
export {
  classBalancedBatch,
  type GraspOptions,
  type GraspVariant,
  graspCriterion,
  graspMagnitudeCriterion,
  graspScores,
} from './grasp';
export { magnitudeCriterion, magnitudeScores } from './magnitude';
export { type NeuronScorer, neuronScorer, PLUGIN_CRITERIA, type PluginCriterion } from './neuron-scorer';
export {
  defaultNeuronLaw,
  FreshNeurons,
  type NeuronLaw,
  PLUGIN_CHUNK,
  PLUGIN_MEMORY_BYTES,
  type PluginLimit,
  type PluginLimitOptions,
  pluginLimit,
} from './plugin-limit';
export { randomCriterion, randomScores, zeroPruned } from './random';
export { builtinCriteriaPlugin, registerBuiltinCriteria, SALIENCY_VERSION } from './register';
export { averagedGradients, type SnipOptions, snipCriterion, snipScores } from './snip';
export { pairedZeroOutput } from './zero-output';
export {
  type SynflowOptions,
  type SynflowResult,
  synflowCriterion,
  synflowDetailed,
  synflowScores,
} from './synflow';
