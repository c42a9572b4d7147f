/**
 * The building blocks of the job-record schemas (zod) that each preset declares in its `record.ts`: counts,
 * probabilities, report numbers (`number | null`: JSON writes a non-finite number as `null`), the job, and
 * the coordinates of a density-sweep cell. Everything a record is keyed by is strict.
 */
import { z } from 'zod';

export const count = z.number().int().nonnegative();
export const positive = z.number().int().positive();
export const probability = z.number().min(0).max(1);
export const value = z.number().nullable();
export const density = z.number().gt(0).max(1);

export const jobSchema = z.object({ criterion: z.string().min(1), seed: count });

export const sweepCell = z.object({
  criterion: z.string(),
  seed: count,
  width: positive,
  density,
  kept: count,
  activeInputs: count,
});
