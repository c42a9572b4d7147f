/**
 * Aggregation of job results into the report's numbers: per criterion and width, mean ± sd over seeds of
 * every distance, the homogeneity verdict (majority over seeds, median p-value), and per criterion the
 * fitted convergence slopes (log δ against log n; theory.md §4 predicts −1/2 for i.i.d. edges), the
 * taxonomy class the theory predicts and whether the run agrees.
 */
import type { TaxonomyConfig } from './config';
import type { JobResult, WidthResult } from './job';
import { type MeanSd, meanSd, type SlopeFit, logLogSlope } from '../../stats';
import { bareId } from '../../sweep';

/** The theory's taxonomy (theory.md §3 table): which criteria converge to a constant graphon. */
export const PREDICTED_CLASS: Readonly<Partial<Record<string, 'homogeneous' | 'heterogeneous'>>> = {
  random: 'homogeneous',
  magnitude: 'homogeneous',
  snip: 'heterogeneous',
  grasp: 'heterogeneous',
  'grasp-magnitude': 'heterogeneous',
  synflow: 'heterogeneous',
};

export interface CellSummary {
  criterion: string;
  width: number;
  seeds: number;
  density: number;
  toLimitUpper: MeanSd;
  toLimitLower: MeanSd;
  toPreviousUpper: MeanSd | null;
  toPreviousLower: MeanSd | null;
  medianPValue: number;
  heterogeneousSeeds: number;
  verdict: 'homogeneous' | 'heterogeneous';
  activeInputs: MeanSd;
}

export interface CriterionSummary {
  criterion: string;
  predicted: 'homogeneous' | 'heterogeneous' | 'unknown';
  observed: 'homogeneous' | 'heterogeneous';
  agrees: boolean | null;
  slopeToLimit: SlopeFit;
  slopeConsecutive: SlopeFit | null;
  cells: CellSummary[];
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const upper = (d: { upperBound: number | null; alignedLowerBound: number }) => d.upperBound ?? Number.NaN;

export function summarize(config: TaxonomyConfig, results: readonly JobResult[]): CriterionSummary[] {
  return config.criteria.map((criterion) => {
    const jobs = results.filter((r) => r.job.criterion === criterion);
    const cells: CellSummary[] = config.widths.map((width) => {
      const rows: WidthResult[] = jobs.flatMap((j) => j.widths.filter((w) => w.width === width));
      const prev = rows.filter((r) => r.toPrevious !== null);
      const heterogeneous = rows.filter((r) => r.homogeneity.verdict === 'heterogeneous').length;
      return {
        criterion,
        width,
        seeds: rows.length,
        density: meanSd(rows.map((r) => r.density)).mean,
        toLimitUpper: meanSd(rows.map((r) => upper(r.toLimit))),
        toLimitLower: meanSd(rows.map((r) => r.toLimit.alignedLowerBound)),
        toPreviousUpper: prev.length ? meanSd(prev.map((r) => upper(r.toPrevious!))) : null,
        toPreviousLower: prev.length ? meanSd(prev.map((r) => r.toPrevious!.alignedLowerBound)) : null,
        medianPValue: median(rows.map((r) => r.homogeneity.pValue)),
        heterogeneousSeeds: heterogeneous,
        verdict: heterogeneous * 2 > rows.length ? 'heterogeneous' : 'homogeneous',
        activeInputs: meanSd(rows.map((r) => r.activeInputs)),
      };
    });
    const widest = cells[cells.length - 1];
    const predicted: CriterionSummary['predicted'] = PREDICTED_CLASS[bareId(criterion)] ?? 'unknown';
    const withPrev = cells.filter((c) => c.toPreviousUpper !== null);
    return {
      criterion,
      predicted,
      observed: widest.verdict,
      agrees: predicted === 'unknown' ? null : predicted === widest.verdict,
      slopeToLimit: logLogSlope(
        cells.map((c) => c.width),
        cells.map((c) => c.toLimitUpper.mean),
      ),
      slopeConsecutive:
        withPrev.length >= 2
          ? logLogSlope(
              withPrev.map((c) => c.width),
              withPrev.map((c) => c.toPreviousUpper!.mean),
            )
          : null,
      cells,
    };
  });
}
