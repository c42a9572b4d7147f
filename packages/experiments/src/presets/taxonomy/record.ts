/**
 * The schema of a `taxonomy` job record (`jobs/<id>.json`, see `../../job-records.ts`): per width the mask's
 * counts and density, its FSM limit, the full-resolution distances, the homogeneity test, the histograms and
 * each input's column density.
 */
import { z } from 'zod';
import { count, jobSchema, positive, probability, value } from '../../record-schema';

const distance = z
  .object({
    upperBound: value,
    upperBoundKind: z.string().nullable(),
    alignedLowerBound: z.number().nonnegative(),
    alignment: z.string(),
    method: z.string(),
  })
  .passthrough();

const taxonomyWidth = z
  .object({
    width: positive,
    rows: positive,
    cols: positive,
    kept: count,
    density: probability,
    limit: z
      .object({ method: z.string(), tau: value, achievedDensity: probability, noise: z.string() })
      .passthrough(),
    toLimit: distance,
    toPrevious: distance.and(z.object({ previousWidth: positive })).nullable(),
    homogeneity: z
      .object({
        cut: value,
        dispersion: value,
        pCut: probability,
        pDispersion: probability,
        pValue: probability,
        replicates: count,
        verdict: z.enum(['homogeneous', 'heterogeneous']),
      })
      .passthrough(),
    activeInputs: count,
    histogram: z.array(value),
    limitHistogram: z.array(value),
    columnDensity: z.array(probability),
  })
  .passthrough()
  .refine((w) => w.kept <= w.rows * w.cols, 'kept exceeds rows × cols');

export const taxonomyRecord = z.object({ job: jobSchema, widths: z.array(taxonomyWidth) }).passthrough();
