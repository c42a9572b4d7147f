/** `results.csv` of the `ntk` and `uat` presets: one row per criterion × seed × width × density with every number. */
import type { PresetCell, PresetJobResult } from './jobs';

/** The header, then one row per cell in job order: the cell's coordinates and counts, then `row(cell)`. */
function table(
  header: string,
  results: readonly PresetJobResult[],
  row: (c: PresetCell) => readonly unknown[],
): string {
  const lines = [header];
  for (const r of results) {
    for (const c of r.cells) {
      lines.push([c.criterion, c.seed, c.width, c.density, c.kept, c.activeInputs, ...row(c)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

export function ntkCsv(results: readonly PresetJobResult[]): string {
  return table(
    'criterion,seed,width,density,kept,active_inputs,trace_over_m,alignment,lambda_min,lambda_max,condition_number,effective_rank,top_k_energy,quadratic_form,leading_term,confidence_term,bound,ridge,delta',
    results,
    (c) => {
      const n = c.ntk!;
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

export function uatCsv(results: readonly PresetJobResult[]): string {
  return table(
    'criterion,seed,width,density,kept,active_inputs,active_coordinates,k,coordinates,q,alpha,per_neuron_lower_bound,predicted_count,expected_count,observed_count,observed_z,required_width,holds',
    results,
    (c) => {
      const u = c.uat!;
      return [
        u.activeCoordinates,
        u.k,
        u.coordinates.join(' '),
        u.q,
        u.alpha,
        u.perNeuronLowerBound,
        u.predictedCount,
        u.expectedCount,
        u.observedCount ?? '',
        u.observedZScore ?? '',
        u.requiredWidth ?? '',
        u.holds,
      ];
    },
  );
}
