/** @packageDocumentation Pruning-at-initialisation criteria for graphon-pai: random, magnitude, SNIP, GraSP and SynFlow, registered as plugins. */
export {
  type CriterionContext,
  checkContext,
  contextBatches,
  contextLoss,
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
  graspScores,
} from './grasp';
export { magnitudeCriterion, magnitudeScores } from './magnitude';
export { type NeuronScorer, neuronScorer, PLUGIN_CRITERIA, type PluginCriterion } from './neuron-scorer';
export {
  FreshNeurons,
  type NeuronLaw,
  PLUGIN_CHUNK,
  PLUGIN_MEMORY_BYTES,
  type PluginLimit,
  type PluginLimitOptions,
  pluginLimit,
} from './plugin-limit';
export { randomScores } from './random';
export { builtinCriteriaPlugin, registerBuiltinCriteria, SALIENCY_VERSION } from './register';
export { type SnipOptions, snipScores } from './snip';
export { pairedZeroOutput } from './zero-output';
export {
  type SynflowOptions,
  type SynflowResult,
  synflowDetailed,
  synflowScores,
} from './synflow';
