/** The schema of an `ntk` job record: each cell's Graphon-NTK report, and the dense kernel's. */
import { z } from 'zod';
import { jobSchema, probability, sweepCell, value } from '../../record-schema';

const ntkReport = z
  .object({
    traceOverM: value,
    alignment: value,
    effectiveRank: value,
    lambdaMin: value,
    lambdaMax: value,
    conditionNumber: value,
    topKEnergy: value,
    bound: z
      .object({
        delta: probability,
        ridge: z.number().nonnegative(),
        quadraticForm: value,
        leadingTerm: value,
        confidenceTerm: value,
        bound: value,
      })
      .passthrough(),
  })
  .passthrough();

export const ntkRecord = z
  .object({
    job: jobSchema,
    cells: z.array(sweepCell.extend({ ntk: ntkReport }).passthrough()),
    dense: ntkReport,
  })
  .passthrough();
