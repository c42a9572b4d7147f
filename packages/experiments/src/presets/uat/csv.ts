/** `results.csv` of the `uat` preset: one row per criterion × seed × width × density with every number. */
import { sweepCsv } from '../density-sweep';
import type { UatResult } from './run';

export function uatCsv(results: readonly UatResult[]): string {
  return sweepCsv(
    'active_coordinates,k,coordinates,q,alpha,per_neuron_lower_bound,predicted_count,expected_count,observed_count,observed_z,required_width,holds',
    results,
    (c) => {
      const u = c.uat;
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
