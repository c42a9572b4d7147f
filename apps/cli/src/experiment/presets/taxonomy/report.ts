/**
 * The `taxonomy` preset's report (beside the `results.json` and `jobs/` every preset writes):
 *
 *     report.md        setup, one table per criterion, taxonomy verdicts, slopes and a short reading
 *     results.csv      one row per criterion × width × seed with every number
 *     figures/*.svg|png  heatmaps, convergence, connectivity maps
 */
import type { TaxonomyConfig } from './config';
import { connectivityMaps, convergencePlot, heatmapGrid } from './figures';
import type { JobResult } from './job';
import { type Provenance, provenanceLine } from '../../provenance';
import type { PresetReport } from '../../preset';
import type { MeanSd } from '../../stats';
import { type CriterionSummary, summarize } from './summary';

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const pm = (m: MeanSd | null, digits = 4) => (m === null ? '–' : m.n > 1 ? `${fmt(m.mean, digits)} ± ${fmt(m.sd, digits)}` : fmt(m.mean, digits));

function csv(config: TaxonomyConfig, results: readonly JobResult[]): string {
  const header = [
    'criterion', 'seed', 'width', 'rows', 'cols', 'kept', 'density',
    'delta_to_limit_upper', 'delta_to_limit_upper_kind', 'delta_to_limit_aligned_lower',
    'previous_width', 'delta_to_previous_upper', 'delta_to_previous_aligned_lower',
    'homogeneity_statistic_cut', 'homogeneity_statistic_dispersion', 'p_cut', 'p_dispersion', 'p_value', 'verdict',
    'active_inputs', 'fsm_method', 'fsm_tau',
  ];
  const lines = [header.join(',')];
  for (const criterion of config.criteria) {
    for (const r of results.filter((j) => j.job.criterion === criterion)) {
      for (const w of r.widths) {
        lines.push(
          [
            criterion, r.job.seed, w.width, w.rows, w.cols, w.kept, w.density,
            w.toLimit.upperBound ?? '', w.toLimit.upperBoundKind ?? '', w.toLimit.alignedLowerBound,
            w.toPrevious?.previousWidth ?? '', w.toPrevious?.upperBound ?? '', w.toPrevious?.alignedLowerBound ?? '',
            w.homogeneity.cut, w.homogeneity.dispersion, w.homogeneity.pCut, w.homogeneity.pDispersion,
            w.homogeneity.pValue, w.homogeneity.verdict, w.activeInputs, w.limit.method, w.limit.tau,
          ].join(','),
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function reading(s: CriterionSummary): string {
  const widest = s.cells[s.cells.length - 1];
  const verdict =
    s.agrees === null
      ? `classified **${s.observed}** (the theory makes no prediction for this criterion)`
      : s.agrees
        ? `classified **${s.observed}**, as the theory predicts`
        : `classified **${s.observed}**, but the theory predicts **${s.predicted}**: this run does not reproduce the predicted class`;
  const slope = s.slopeToLimit.slope;
  const conv =
    slope < -0.2
      ? `δ□ to the FSM-predicted limit shrinks with width (slope ${fmt(slope, 2)} on log–log axes; i.i.d. edges give −0.5)`
      : `δ□ to the FSM-predicted limit does **not** shrink clearly with width (slope ${fmt(slope, 2)}): at these widths the mask is not closer to the predicted limit than its sampling noise, or the fitted factors are biased`;
  const cons =
    s.slopeConsecutive === null
      ? ''
      : `; δ□ between consecutive widths has slope ${fmt(s.slopeConsecutive.slope, 2)}`;
  const active = `${fmt(widest.activeInputs.mean, 0)} of 784 inputs keep at least one connection at n = ${widest.width}`;
  return `- **${s.criterion}**: ${verdict}; ${conv}${cons}; ${active}.`;
}

function markdown(config: TaxonomyConfig, summary: CriterionSummary[], prov: Provenance, jobs: number): string {
  const out: string[] = [];
  out.push('# graphon-pai experiment: convergence and taxonomy of PaI masks on MNIST', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU MLP 784 → n → 10 with Gaussian (Kaiming-normal) initialisation, n ∈ {${config.widths.join(', ')}}; ` +
      `seeds {${config.seeds.join(', ')}} (the seed fixes the initialisation and the scoring batch); ` +
      `criteria ${config.criteria.map((c) => `\`${c}\``).join(', ')}, each scoring one class-balanced batch of ${config.samples} real MNIST digits ` +
      `with the ${config.loss} loss (data-free criteria ignore it), one shot; every layer keeps exactly round(${config.density} · N) weights ` +
      `(density = kept fraction ${config.density}). The first layer's n × 784 mask (rows = hidden neurons, columns = pixels) is compared ` +
      'with the limit the Factorised Saliency Model predicts from the factors the criterion implies for this network, and with the mask at the previous width.',
    '',
    '**What the numbers certify.** δ□ columns give the certified *upper bound* on the cut distance under the canonical ' +
      '(degree-sorted) alignment, and beside it the *aligned lower bound*: the value of an explicit cut of the aligned difference, a ' +
      'lower bound on that aligned cut norm (not on δ□ itself). The homogeneity test compares the mask with ' +
      `${config.bootstrap} uniformly random masks of the same shape and kept count (parametric bootstrap; statistics: cut norm of the ` +
      `canonical ${config.rowBlocks} × ${config.colBlocks} histogram minus p, and degree dispersion; Bonferroni-combined p-value, α = ${config.alpha}).`,
    '',
  );
  out.push('## Taxonomy', '', '| criterion | predicted | observed (widest n) | agrees | slope δ□→limit | slope δ□ consecutive |', '|---|---|---|---|---|---|');
  for (const s of summary) {
    out.push(
      `| ${s.criterion} | ${s.predicted} | ${s.observed} | ${s.agrees === null ? '–' : s.agrees ? 'yes' : '**no**'} | ${fmt(s.slopeToLimit.slope, 2)}${
        s.slopeToLimit.standardError !== undefined ? ` ± ${fmt(s.slopeToLimit.standardError, 2)}` : ''
      } | ${s.slopeConsecutive ? fmt(s.slopeConsecutive.slope, 2) : '–'} |`,
    );
  }
  out.push('', '## Reading', '', ...summary.map(reading), '');
  out.push('## Results per criterion (mean ± sd over seeds)', '');
  for (const s of summary) {
    out.push(`### ${s.criterion}`, '');
    out.push('| n | density | δ□ → limit (upper) | aligned lower | δ□ → previous n (upper) | aligned lower | p-value (median) | heterogeneous seeds | active inputs |');
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const c of s.cells) {
      out.push(
        `| ${c.width} | ${fmt(c.density, 4)} | ${pm(c.toLimitUpper)} | ${pm(c.toLimitLower)} | ${pm(c.toPreviousUpper)} | ${pm(c.toPreviousLower)} | ${fmt(c.medianPValue, 3)} | ${c.heterogeneousSeeds}/${c.seeds} | ${pm(c.activeInputs, 0)} |`,
      );
    }
    out.push('');
  }
  out.push('## Figures', '');
  out.push('![Canonical graphons at increasing width beside the predicted limit](figures/heatmaps.svg)', '');
  out.push('![Cut distance against width, log–log](figures/convergence.svg)', '');
  out.push('![Input connectivity maps](figures/connectivity.svg)', '');
  out.push('## Reproduce', '');
  out.push('```sh', prov.command, '```', '');
  out.push(provenanceLine(prov, jobs), '');
  out.push('Every number is in `results.csv` and `results.json`; each job\'s raw result is in `jobs/`.', '');
  return out.join('\n');
}

/** One line per criterion for stdout: the observed class and the convergence slope. */
function summaryLine(s: CriterionSummary): string {
  const agree = s.agrees === null ? '' : s.agrees ? ' (as predicted)' : ` (theory predicts ${s.predicted})`;
  return `  ${s.criterion.padEnd(16)} ${s.observed}${agree}; δ□→limit slope ${s.slopeToLimit.slope.toFixed(2)}`;
}

export function buildReport(config: TaxonomyConfig, ordered: readonly JobResult[], prov: Provenance): PresetReport {
  const summary = summarize(config, ordered);
  const text = new Map<string, string>();
  text.set('report.md', markdown(config, summary, prov, ordered.length));
  text.set('results.csv', csv(config, ordered));
  const figures = new Map<string, Record<string, unknown>>([
    ['heatmaps', heatmapGrid(config, ordered)],
    ['convergence', convergencePlot(config, summary)],
    ['connectivity', connectivityMaps(config, ordered)],
  ]);
  return { text, figures, summary, lines: summary.map(summaryLine) };
}
