/** `results.csv` of the `accuracy` preset: one row per criterion × seed × width × density with every number. */
import { sweepCsv } from '../density-sweep';
import type { AccuracyResult } from './run';

export function accuracyCsv(results: readonly AccuracyResult[]): string {
  return sweepCsv(
    'test_accuracy,test_loss,train_loss,trace_over_m,alignment,bound,normalized_bound',
    results,
    (c) => [
      c.testAccuracy,
      c.testLoss,
      c.trainLoss,
      c.theory.traceOverM,
      c.theory.alignment,
      c.theory.bound ?? '',
      c.theory.normalizedBound ?? '',
    ],
  );
}
