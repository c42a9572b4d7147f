/**
 * Aggregation of the conv study's job results (`conv-job.ts`) with the MLP study's machinery
 * (`summary.ts`): per criterion and graph (`kernel`, `channel`), one curve per reference of the `block`
 * distance against the channel multiplier (mean ± sd over seeds, pooled log–log fit with its standard error,
 * `fitCurve`), the reference the masks clearly approach (`approachedCurve`, preferring `wide-mask`, the
 * limit of the criterion's own mechanism at the widest multiplier available), and the taxonomy verdict:
 * per multiplier the majority of the seeds' homogeneity verdicts, the observed class that of the widest
 * multiplier, against the theory's `PREDICTED_CLASS`.
 *
 * Slopes are fitted against the multiplier m; the layer's out-channels (rows) and in-channels are
 * proportional to m, so the slope is the same against either side. `wide-mask` also gets the slope against
 * the effective multiplier (m^(−1/2) − m_wide^(−1/2))^(−2), which corrects for the finite reference exactly as
 * the plug-in slope of the MLP study does.
 */
import { type MeanSd, meanSd } from '../../stats';
import { bareId } from '../../sweep';
import type { TaxonomyConfig } from './config';
import { wideMultiplier } from './conv-config';
import { CONV_REFERENCES, type ConvJobResult, type ConvReferenceName } from './conv-job';
import { CONV_GRAPHS, type ConvGraphName } from './conv-study';
import { approachedCurve, type Curve, fitCurve, median, PREDICTED_CLASS } from './summary';

export type ConvCurve = Curve<ConvReferenceName, 'block'>;

export interface ConvCell {
  width: number;
  seeds: number;
  medianPValue: number;
  heterogeneousSeeds: number;
  verdict: 'homogeneous' | 'heterogeneous';
}

export interface ConvGraphSummary {
  graph: ConvGraphName;
  curves: ConvCurve[];
  /** The reference approached on the block metric, or null. */
  approaches: ConvReferenceName | null;
  /** The fit to `approaches` (or to `wide-mask` when none). */
  rate: ConvCurve | null;
  predicted: 'homogeneous' | 'heterogeneous' | 'unknown';
  observed: 'homogeneous' | 'heterogeneous';
  agrees: boolean | null;
  cells: ConvCell[];
}

export interface ConvCriterionSummary {
  criterion: string;
  fsm: { method: string; explained: MeanSd };
  graphs: ConvGraphSummary[];
}

function graphSummary(
  config: TaxonomyConfig,
  criterion: string,
  jobs: readonly ConvJobResult[],
  graph: ConvGraphName,
): ConvGraphSummary {
  const curves = CONV_REFERENCES.flatMap((reference) => {
    const pts = jobs.flatMap((j) =>
      j.widths.flatMap((w) =>
        w.graphs[graph].distances
          .filter((d) => d.reference === reference)
          .map((d) => ({ width: w.width, value: d.value })),
      ),
    );
    if (pts.length === 0) return [];
    const wide = reference === 'wide-mask' ? wideMultiplier(config) : null;
    return [fitCurve(reference, 'block' as const, 'exact', config.widths, pts, wide)];
  });
  const cells: ConvCell[] = config.widths.map((width) => {
    const rows = jobs.flatMap((j) => j.widths.filter((w) => w.width === width).map((w) => w.graphs[graph]));
    const heterogeneous = rows.filter((r) => r.homogeneity.verdict === 'heterogeneous').length;
    return {
      width,
      seeds: rows.length,
      medianPValue: median(rows.map((r) => r.homogeneity.pValue)),
      heterogeneousSeeds: heterogeneous,
      verdict: heterogeneous * 2 > rows.length ? 'heterogeneous' : 'homogeneous',
    };
  });
  const choice = approachedCurve(
    curves.filter((c) => c.reference !== 'previous'),
    'wide-mask',
  );
  const predicted = PREDICTED_CLASS[bareId(criterion)] ?? 'unknown';
  const observed = cells[cells.length - 1].verdict;
  return {
    graph,
    curves,
    approaches: choice?.reference ?? null,
    rate: choice ?? curves.find((c) => c.reference === 'wide-mask') ?? null,
    predicted,
    observed,
    agrees: predicted === 'unknown' ? null : predicted === observed,
    cells,
  };
}

export function summarizeConv(
  config: TaxonomyConfig,
  results: readonly ConvJobResult[],
): ConvCriterionSummary[] {
  return config.criteria.map((criterion) => {
    const jobs = results.filter((r) => r.job.criterion === criterion);
    const widest = jobs.map((j) => j.widths[j.widths.length - 1]);
    return {
      criterion,
      fsm: {
        method: widest[0]?.limit.method ?? '',
        explained: meanSd(widest.map((w) => w.limit.explained)),
      },
      graphs: CONV_GRAPHS.map((g) => graphSummary(config, criterion, jobs, g)),
    };
  });
}
