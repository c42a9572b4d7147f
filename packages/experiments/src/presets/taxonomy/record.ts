/**
 * The schema of a `taxonomy` job record (`jobs/<id>.json`, see `../../job-records.ts`): per width the mask's
 * counts and density, its FSM limit, the full-resolution distances, the homogeneity test, the histograms and
 * each input's column density; with `--net` (`conv`), per channel multiplier the layer's shape and, for its
 * kernel and channel graphs, the block distances, the homogeneity test and the histograms.
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

const homogeneity = z
  .object({
    cut: value,
    dispersion: value,
    pCut: probability,
    pDispersion: probability,
    pValue: probability,
    replicates: count,
    verdict: z.enum(['homogeneous', 'heterogeneous']),
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
    homogeneity,
    activeInputs: count,
    histogram: z.array(value),
    limitHistogram: z.array(value),
    columnDensity: z.array(probability),
  })
  .passthrough()
  .refine((w) => w.kept <= w.rows * w.cols, 'kept exceeds rows × cols');

const mlpRecord = z.object({ job: jobSchema, widths: z.array(taxonomyWidth) }).passthrough();

const convGraph = z
  .object({
    rows: positive,
    cols: positive,
    distances: z.array(
      z.object({
        reference: z.enum(['wide-mask', 'fsm', 'constant', 'previous']),
        metric: z.literal('block'),
        value: z.number().nonnegative(),
        kind: z.literal('exact'),
      }),
    ),
    homogeneity,
    histogram: z.array(value),
    limitHistogram: z.array(value),
  })
  .passthrough();

const shape = z.array(positive).length(4);

/** A conv-study record (`--net`): per channel multiplier (`width`) the layer's shape and its two graphs. */
const convRecord = z
  .object({
    job: jobSchema,
    conv: z
      .object({
        net: z.string(),
        spec: z.string(),
        layer: z.string(),
        wideMultiplier: z.number().positive(),
        wideShape: shape,
      })
      .passthrough(),
    widths: z.array(
      z
        .object({
          width: z.number().positive(),
          tensorShape: shape,
          kept: count,
          density: probability,
          graphs: z.object({ kernel: convGraph, channel: convGraph }),
        })
        .passthrough()
        .refine((w) => w.kept <= w.tensorShape.reduce((a, b) => a * b, 1), 'kept exceeds the weight count'),
    ),
  })
  .passthrough();

/** A taxonomy record: a conv-study record when it has `conv`, else an MLP record (each with its own issues). */
export const taxonomyRecord = z.unknown().superRefine((raw, ctx) => {
  const conv = typeof raw === 'object' && raw !== null && 'conv' in raw;
  const parsed = (conv ? convRecord : mlpRecord).safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue);
});
