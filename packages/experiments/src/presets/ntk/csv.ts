/** `results.csv` of the `ntk` preset: one row per criterion × seed × width × density with every number. */
import { sweepCsv } from '../density-sweep';
import type { NtkResult } from './run';

export function ntkCsv(results: readonly NtkResult[]): string {
  return sweepCsv(
    'trace_over_m,alignment,lambda_min,lambda_max,condition_number,effective_rank,top_k_energy,quadratic_form,leading_term,confidence_term,bound,ridge,delta',
    results,
    (c) => {
      const n = c.ntk;
      return [
        n.traceOverM,
        n.alignment,
        n.lambdaMin,
        n.lambdaMax,
        n.conditionNumber ?? '',
        n.effectiveRank,
        n.topKEnergy,
        n.bound.quadraticForm,
        n.bound.leadingTerm,
        n.bound.confidenceTerm,
        n.bound.bound,
        n.bound.ridge,
        n.bound.delta,
      ];
    },
  );
}
