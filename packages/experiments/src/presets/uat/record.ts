/** The schema of a `uat` job record: each cell's UAT report and each pixel's column density. */
import { z } from 'zod';
import { count, jobSchema, probability, sweepCell, value } from '../../record-schema';

const uatReport = z
  .object({
    holds: z.boolean(),
    activeCoordinates: count,
    k: count,
    coordinates: z.array(count),
    q: value,
    alpha: value,
    perNeuronLowerBound: value,
    predictedCount: value,
    expectedCount: value,
    requiredWidth: value,
    observedCount: value,
    observedZScore: value,
  })
  .passthrough();

export const uatRecord = z
  .object({
    job: jobSchema,
    cells: z.array(sweepCell.extend({ uat: uatReport, columnDensity: z.array(probability) }).passthrough()),
  })
  .passthrough();
