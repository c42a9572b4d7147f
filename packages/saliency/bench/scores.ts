/** The scoring entry points the benchmark times (from the package source). */
export { graspScores, snipScores, synflowScores } from '../src/index';
export type ScoreMapLike = Map<string, { scores: Float32Array }>;
