/**
 * Aggregation of job results into the report's numbers.
 *
 * Per criterion and width: mean ± sd over seeds of every distance and the homogeneity verdict (majority over
 * seeds, median p-value). Per criterion, reference and metric: the convergence fit, ordinary least squares of
 * log δ on log n over every (seed, width) point, with the standard error of the slope (`logLogSlope`). Fits
 * are made on the `block` and `pixel` metrics only: the `full` metric has the fixed-d floor
 * (`fixedDimensionFloor`), so its slope flattens however the masks converge and is not a rate.
 *
 * **Which limit the masks approach** (block metric): the references whose distance clearly shrinks (slope +
 * 2 SE < −0.2) are approached; the report names the closest of them at the widest width, preferring `plugin`
 * (the limit of the criterion's own mechanism) when it is among them.
 *
 * **Finite reference width.** Degree sorting gives a mask's canonical summary a bias of order n^(−1/2) (the
 * largest of n sampled degrees overshoot); the plug-in limit at finite N_ref carries the same bias at
 * N_ref^(−1/2), so for i.i.d. edges δ_block ≈ c·(n^(−1/2) − N_ref^(−1/2)) and the plain slope overstates the
 * rate near N_ref (≈ −0.62 for a true −0.5 at N_ref = 8 × the widest of 256…4096; checked against the exact
 * limit of random masks in numpy, `bench/plugin_convergence_peer.py`). `referenceCorrected` is the slope
 * against the effective width n_eff = (n^(−1/2) − N_ref^(−1/2))^(−2), exact for that bias and conservative
 * (flatter than the truth) where independent sampling noise dominates.
 *
 * **Determinism** (widest width, block metric): the mean distance between the mask and the mask of another
 * initialisation scored on the same digits (`otherNetwork`), next to the mean distance between the mask and
 * a mask of the same width sharing its output signal (`sharedSignal`, the sampling noise with the limit held
 * fixed). Ratio ≤ 1.5: the limit is deterministic given the data (another network lands no further away than
 * sampling noise); ≥ 2: it depends on the network through its output at initialisation; otherwise
 * inconclusive. `crossSeed`, the mean distance between masks of different jobs (other network *and* other
 * scoring digits), adds the dependence on the data sample.
 */
import { gridDistance } from '@graphon-pai/cut-distance';
import { fixedDimensionFloor } from '@graphon-pai/cut-distance';
import { logLogSlope, type MeanSd, meanSd, type SlopeFit } from '../../stats';
import { bareId } from '../../sweep';
import type { TaxonomyConfig } from './config';
import { type DistanceKind, type MetricName, METRICS, type ReferenceName, REFERENCES } from './distances';
import type { JobResult, WidthResult } from './job';
import { referenceWidth } from './references';

/** The theory's taxonomy (the paper's table): which criteria converge to a constant graphon. */
export const PREDICTED_CLASS: Readonly<Partial<Record<string, 'homogeneous' | 'heterogeneous'>>> = {
  random: 'homogeneous',
  magnitude: 'homogeneous',
  snip: 'heterogeneous',
  grasp: 'heterogeneous',
  'grasp-magnitude': 'heterogeneous',
  synflow: 'heterogeneous',
};

/** A slope counts as convergence when slope + 2 SE is below this. */
const CLEARLY_SHRINKING = -0.2;

export interface CellSummary {
  criterion: string;
  width: number;
  seeds: number;
  density: number;
  medianPValue: number;
  heterogeneousSeeds: number;
  verdict: 'homogeneous' | 'heterogeneous';
  activeInputs: MeanSd;
}

/** One curve: a criterion's distance to one reference in one metric and kind, against width. */
export interface Curve<R extends string = ReferenceName, M extends string = MetricName> {
  reference: R;
  metric: M;
  kind: DistanceKind;
  points: { width: number; value: MeanSd }[];
  /** Pooled log–log fit over (seed, width); null for `full` (floored) or with fewer than two widths. */
  fit: SlopeFit | null;
  /** The fit against the effective width n_eff (plug-in reference only). */
  referenceCorrected: SlopeFit | null;
}

export interface Determinism {
  crossSeed: number | null;
  otherNetwork: number | null;
  sharedSignal: number | null;
  verdict: 'deterministic' | 'depends on the output at init' | 'inconclusive' | 'not measured';
}

export interface CriterionSummary {
  criterion: string;
  predicted: 'homogeneous' | 'heterogeneous' | 'unknown';
  observed: 'homogeneous' | 'heterogeneous';
  agrees: boolean | null;
  curves: Curve[];
  /** The reference the masks approach on the block metric, or null when none clearly does. */
  approaches: ReferenceName | null;
  /** The block-metric fit to `approaches` (or to `plugin` when none). */
  rate: Curve | null;
  fsm: { method: string; explained: MeanSd; biasBlock: MeanSd; biasPixel: MeanSd };
  plugin: { method: string; referenceWidth: number };
  determinism: Determinism;
  cells: CellSummary[];
}

/**
 * The curve whose reference the masks clearly approach (slope + 2 SE below {@link CLEARLY_SHRINKING}):
 * `preferred` when it is among them, else the closest at the widest width; null when none is.
 */
export function approachedCurve<C extends Curve<string, string>>(
  curves: readonly C[],
  preferred: string,
): C | null {
  const last = (c: C) => c.points[c.points.length - 1].value.mean;
  const approached = curves.filter(
    (c) => c.fit && c.fit.slope + 2 * (c.fit.standardError ?? Infinity) < CLEARLY_SHRINKING,
  );
  return (
    approached.find((c) => c.reference === preferred) ??
    [...approached].sort((a, b) => last(a) - last(b))[0] ??
    null
  );
}

export function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function curves(config: TaxonomyConfig, jobs: readonly JobResult[]): Curve[] {
  const N = referenceWidth(config);
  const out: Curve[] = [];
  for (const reference of REFERENCES) {
    for (const metric of METRICS) {
      for (const kind of ['exact', 'upper', 'lower'] as DistanceKind[]) {
        const pts: { width: number; value: number }[] = [];
        for (const j of jobs) {
          for (const w of j.widths) {
            const d = w.distances.find(
              (r) => r.reference === reference && r.metric === metric && r.kind === kind,
            );
            if (d) pts.push({ width: w.width, value: d.value });
          }
        }
        if (pts.length === 0) continue;
        out.push(fitCurve(reference, metric, kind, config.widths, pts, reference === 'plugin' ? N : null));
      }
    }
  }
  return out;
}

/**
 * The curve of points (one per seed and width): mean ± sd per width, the pooled log–log fit (not for the
 * floored `full` metric), and with `referenceWidth` the fit against the effective width n_eff.
 */
export function fitCurve<R extends string, M extends string>(
  reference: R,
  metric: M,
  kind: DistanceKind,
  widths: readonly number[],
  pts: readonly { width: number; value: number }[],
  referenceWidth: number | null,
): Curve<R, M> {
  const points = widths
    .map((width) => ({
      width,
      value: meanSd(pts.filter((p) => p.width === width).map((p) => p.value)),
    }))
    .filter((p) => p.value.n > 0);
  const usable = pts.filter((p) => p.value > 0);
  const fittable = metric !== 'full' && new Set(usable.map((p) => p.width)).size >= 2;
  const fit = fittable
    ? logLogSlope(
        usable.map((p) => p.width),
        usable.map((p) => p.value),
      )
    : null;
  const N = referenceWidth;
  const corrected =
    fittable && N !== null && usable.every((p) => p.width < N)
      ? logLogSlope(
          usable.map((p) => (1 / Math.sqrt(p.width) - 1 / Math.sqrt(N)) ** -2),
          usable.map((p) => p.value),
        )
      : null;
  return { reference, metric, kind, points, fit, referenceCorrected: corrected };
}

function determinism(widest: WidthResult[]): Determinism {
  const records = widest.map((w) => w.determinism).filter((d) => d !== null);
  const mean = (v: number[]) => (v.length ? meanSd(v).mean : null);
  const shared = mean(records.map((d) => d.sharedSignalBlock).filter((v) => v !== null));
  const otherNetwork = mean(records.map((d) => d.otherNetworkBlock).filter((v) => v !== undefined));
  const cross: number[] = [];
  const side = records.length ? Math.round(Math.sqrt(records[0].blockSummary.length)) : 0;
  const m = (d: number[]) => ({ rows: side, cols: side, data: d });
  for (let a = 0; a < records.length; a++) {
    for (let b = a + 1; b < records.length; b++) {
      cross.push(gridDistance(m(records[a].blockSummary), m(records[b].blockSummary)).value);
    }
  }
  const crossSeed = mean(cross);
  if (shared === null || otherNetwork === null) {
    return { crossSeed, otherNetwork, sharedSignal: shared, verdict: 'not measured' };
  }
  const ratio = otherNetwork / shared;
  const verdict =
    ratio <= 1.5 ? 'deterministic' : ratio >= 2 ? 'depends on the output at init' : 'inconclusive';
  return { crossSeed, otherNetwork, sharedSignal: shared, verdict };
}

export function summarize(config: TaxonomyConfig, results: readonly JobResult[]): CriterionSummary[] {
  return config.criteria.map((criterion) => {
    const jobs = results.filter((r) => r.job.criterion === criterion);
    const cells: CellSummary[] = config.widths.map((width) => {
      const rows: WidthResult[] = jobs.flatMap((j) => j.widths.filter((w) => w.width === width));
      const heterogeneous = rows.filter((r) => r.homogeneity.verdict === 'heterogeneous').length;
      return {
        criterion,
        width,
        seeds: rows.length,
        density: meanSd(rows.map((r) => r.density)).mean,
        medianPValue: median(rows.map((r) => r.homogeneity.pValue)),
        heterogeneousSeeds: heterogeneous,
        verdict: heterogeneous * 2 > rows.length ? 'heterogeneous' : 'homogeneous',
        activeInputs: meanSd(rows.map((r) => r.activeInputs)),
      };
    });
    const all = curves(config, jobs);
    const block = all.filter((c) => c.metric === 'block' && c.reference !== 'previous');
    const choice = approachedCurve(block, 'plugin');
    const widestRows = jobs.map((j) => j.widths[j.widths.length - 1]);
    const predicted: CriterionSummary['predicted'] = PREDICTED_CLASS[bareId(criterion)] ?? 'unknown';
    const observed = cells[cells.length - 1].verdict;
    return {
      criterion,
      predicted,
      observed,
      agrees: predicted === 'unknown' ? null : predicted === observed,
      curves: all,
      approaches: choice?.reference ?? null,
      rate: choice ?? block.find((c) => c.reference === 'plugin') ?? null,
      fsm: {
        method: widestRows[0]?.limit.method ?? '',
        explained: meanSd(widestRows.map((w) => w.limit.explained)),
        biasBlock: meanSd(widestRows.map((w) => w.fsmBias.block)),
        biasPixel: meanSd(widestRows.map((w) => w.fsmBias.pixel ?? Number.NaN)),
      },
      plugin: { method: widestRows[0]?.plugin.method ?? '', referenceWidth: referenceWidth(config) },
      determinism: determinism(widestRows),
      cells,
    };
  });
}

/** The fixed-d floor of the full-resolution distance to the constant p for this configuration. */
export function fullFloor(config: TaxonomyConfig): number {
  return fixedDimensionFloor(config.density, 784);
}
