/**
 * The `taxonomy` preset's report (beside the `results.json` and `jobs/` every preset writes):
 *
 *     report.md        setup, convergence (which limit the masks approach, the rate ± SE, the FSM model's
 *                      fit and bias, determinism of the limit), a reading per criterion, distance tables,
 *                      taxonomy verdicts
 *     results.csv      one row per criterion × width × seed with every number of the mask
 *     distances.csv    tidy: criterion,seed,width,reference,metric,value,kind (`distances.ts`)
 *     figures/*.svg|png  heatmaps (with the FSM and plug-in limits), convergence per reference, connectivity maps
 */
import { type CsvValue, csvTable } from '../../csv';
import type { PresetReport } from '../../preset';
import type { Provenance } from '../../provenance';
import type { TaxonomyConfig } from './config';
import { distancesCsv, type MetricName, PIXEL_ROW_BLOCKS, type ReferenceName } from './distances';
import { connectivityMaps, convergencePlot, heatmapGrid } from './figures';
import type { JobResult } from './job';
import { agreesCell, fmt, pm, predictionNote, reproduceSection, slopeText, verdictText } from './report-text';
import { HOMOGENEITY_COLUMNS, homogeneityCells, LIMIT_COLUMNS, limitCells } from './results-columns';
import { type CriterionSummary, type Curve, fullFloor, summarize } from './summary';

function csv(config: TaxonomyConfig, results: readonly JobResult[]): string {
  const header = [
    'criterion',
    'seed',
    'width',
    'rows',
    'cols',
    'kept',
    'density',
    'delta_to_limit_upper',
    'delta_to_limit_upper_kind',
    'delta_to_limit_aligned_lower',
    'previous_width',
    'delta_to_previous_upper',
    'delta_to_previous_aligned_lower',
    ...HOMOGENEITY_COLUMNS,
    'active_inputs',
    ...LIMIT_COLUMNS,
    'fsm_bias_block',
    'fsm_bias_pixel',
    'plugin_method',
    'plugin_reference_width',
  ];
  const rows: CsvValue[][] = [];
  for (const criterion of config.criteria) {
    for (const r of results.filter((j) => j.job.criterion === criterion)) {
      for (const w of r.widths) {
        rows.push([
          criterion,
          r.job.seed,
          w.width,
          w.rows,
          w.cols,
          w.kept,
          w.density,
          w.toLimit.upperBound ?? '',
          w.toLimit.upperBoundKind ?? '',
          w.toLimit.alignedLowerBound,
          w.toPrevious?.previousWidth ?? '',
          w.toPrevious?.upperBound ?? '',
          w.toPrevious?.alignedLowerBound ?? '',
          ...homogeneityCells(w.homogeneity),
          w.activeInputs,
          ...limitCells(w.limit),
          w.fsmBias.block,
          w.fsmBias.pixel,
          w.plugin.method,
          w.plugin.referenceWidth,
        ]);
      }
    }
  }
  return csvTable(header, rows);
}

const curve = (
  s: CriterionSummary,
  reference: ReferenceName,
  metric: MetricName,
  kind = metric === 'full' ? 'upper' : 'exact',
) => s.curves.find((c) => c.reference === reference && c.metric === metric && c.kind === kind);

const LIMIT_NAMES: Record<ReferenceName, string> = {
  plugin: 'the plug-in limit of its own score',
  fsm: 'the FSM model',
  constant: 'the constant p',
  previous: 'the previous width',
};

function determinismText(s: CriterionSummary, width: number): string {
  const d = s.determinism;
  if (d.verdict === 'not measured')
    return 'whether the limit is deterministic is not measured (it needs a neuron scorer)';
  const numbers =
    `δ_block to another initialisation on the same digits ${fmt(d.otherNetwork!, 5)}, to a mask sharing the output signal ${fmt(d.sharedSignal!, 5)}` +
    (d.crossSeed === null ? '' : `, between seeds (other digits too) ${fmt(d.crossSeed, 5)}`);
  if (d.verdict === 'deterministic') {
    return `at n = ${width} another initialisation lands no further away than a mask sharing the output signal (${numbers}): given the data, the limit is deterministic within the sampling noise of this width`;
  }
  if (d.verdict === 'depends on the output at init') {
    return `the limit depends on the network through its output at initialisation (${numbers}; \`--output-at-init zero\` makes the output vanish)`;
  }
  return `whether the limit is deterministic is inconclusive at n = ${width} (${numbers})`;
}

function reading(config: TaxonomyConfig, s: CriterionSummary): string {
  const widest = s.cells[s.cells.length - 1];
  const parts = [verdictText(s, ': this run does not reproduce the predicted class')];
  if (s.approaches) {
    parts.push(
      `the masks approach ${LIMIT_NAMES[s.approaches]}: δ_block slope ${slopeText(s.rate?.fit)} on log–log axes` +
        (s.rate?.referenceCorrected
          ? ` (${slopeText(s.rate.referenceCorrected)} against the effective width that corrects for the finite reference)`
          : ''),
    );
  } else {
    parts.push(
      `no reference limit is clearly approached at these widths on the block metric (plug-in slope ${slopeText(s.rate?.fit)})`,
    );
  }
  parts.push(
    `the FSM model (${s.fsm.method}) explains ${fmt(100 * s.fsm.explained.mean, 1)} % of Σ|S|² and sits δ_block ${fmt(s.fsm.biasBlock.mean, 5)} from the plug-in limit at n = ${widest.width} (its bias)`,
  );
  const constant = curve(s, 'constant', 'full');
  const atFloor = constant && constant.points[constant.points.length - 1].value.mean < 3 * fullFloor(config);
  if (atFloor) {
    parts.push(
      `δ□ to the constant p levels off near the fixed-d floor ${fmt(fullFloor(config), 4)}: a plateau at the floor of the full metric, not a failure to converge`,
    );
  }
  parts.push(determinismText(s, widest.width));
  parts.push(
    `${fmt(widest.activeInputs.mean, 0)} of 784 inputs keep at least one connection at n = ${widest.width}`,
  );
  return `- **${s.criterion}**: ${parts.join('; ')}.`;
}

function distanceTable(s: CriterionSummary): string[] {
  const columns: [string, Curve | undefined][] = [
    ['block → plug-in', curve(s, 'plugin', 'block')],
    ['block → FSM', curve(s, 'fsm', 'block')],
    ['block → p', curve(s, 'constant', 'block')],
    ['block → previous n', curve(s, 'previous', 'block')],
    ['pixel → plug-in', curve(s, 'plugin', 'pixel')],
    ['pixel → FSM', curve(s, 'fsm', 'pixel')],
    ['full → p (upper)', curve(s, 'constant', 'full')],
    ['full → FSM (upper)', curve(s, 'fsm', 'full')],
  ];
  const out = [
    `| n | ${columns.map(([t]) => t).join(' | ')} | p-value (median) | heterogeneous seeds | active inputs |`,
    `|---|${columns.map(() => '---').join('|')}|---|---|---|`,
  ];
  for (const c of s.cells) {
    const cell = (k: Curve | undefined) => pm(k?.points.find((p) => p.width === c.width)?.value ?? null, 5);
    out.push(
      `| ${c.width} | ${columns.map(([, k]) => cell(k)).join(' | ')} | ${fmt(c.medianPValue, 3)} | ${c.heterogeneousSeeds}/${c.seeds} | ${pm(c.activeInputs, 0)} |`,
    );
  }
  out.push(
    '',
    `Slopes (log–log, all seeds): block → plug-in ${slopeText(curve(s, 'plugin', 'block')?.fit)}, pixel → plug-in ${slopeText(curve(s, 'plugin', 'pixel')?.fit)}, block → FSM ${slopeText(curve(s, 'fsm', 'block')?.fit)}, block → p ${slopeText(curve(s, 'constant', 'block')?.fit)}, block → previous ${slopeText(curve(s, 'previous', 'block')?.fit)}.`,
    '',
  );
  return out;
}

function markdown(
  config: TaxonomyConfig,
  summary: CriterionSummary[],
  prov: Provenance,
  jobs: number,
): string {
  const N = summary[0]?.plugin.referenceWidth ?? 0;
  const out: string[] = [];
  out.push('# graphon-pai experiment: convergence and taxonomy of PaI masks on MNIST', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU MLP 784 → n → 10 with Gaussian (Kaiming-normal) initialisation, n ∈ {${config.widths.join(', ')}}; ` +
      `seeds {${config.seeds.join(', ')}} (the seed fixes the initialisation and the scoring batch); ` +
      `criteria ${config.criteria.map((c) => `\`${c}\``).join(', ')}, each scoring one class-balanced batch of ${config.samples} real MNIST digits ` +
      `with the ${config.loss} loss (data-free criteria ignore it), one shot; every layer keeps exactly round(${config.density} · N) weights ` +
      `(density = kept fraction ${config.density}). ` +
      (config.outputAtInit === 'zero'
        ? 'Neurons are paired, (w, a) and (w, −a), so the network output at initialisation is zero and data-driven criteria see the loss gradient at zero output. '
        : '') +
      "The first layer's n × 784 mask (rows = hidden neurons, columns = pixels) is compared with four references:",
    '',
    `- \`plugin\`: the limit of the criterion's own score mechanism, estimated by scoring ${N} fresh neurons (drawn from the initialisation law) with the same output signal and data as the network and keeping the top ${config.density} of their scores; for random and magnitude a wide mask of the same kind${summary.some((s) => s.plugin.method === 'wide-mask') ? '; criteria without a neuron scorer get a wide mask of the same criterion on a network of that width (`wide-mask`)' : ''};`,
    '- `fsm`: the Factorised Saliency Model fitted to this network (a rank-one model of the limit; its fit quality and its distance to the plug-in limit, its bias, are reported);',
    `- \`constant\`: the constant graphon ${config.density};`,
    '- `previous`: the mask at the previous width.',
    '',
    '**Metrics.** `block`: exact cut distance between canonical 16 × 16 block histograms; `pixel`: exact cut distance between ' +
      `${PIXEL_ROW_BLOCKS} degree-sorted row blocks × the 784 pixels (input identity kept); ` +
      '`full`: the full-resolution cut distance under the canonical alignment, its *upper bound* (probabilistic: its kind and failure probability are in `results.csv`) and the *aligned lower bound* (the value of an explicit cut of the aligned difference). ' +
      `With d = 784 fixed, every neuron has 784 edges, so the full distance of a mask to p cannot fall below ½·√(2/π)·√(p(1−p)/d) = ${fmt(fullFloor(config), 4)} however wide the layer: a plateau there is that floor, not a failure to converge. ` +
      'Rates are fitted on the block metric, which has no floor. A finite reference shares the degree-sorting bias of the masks (δ_block ≈ c·(n^(−1/2) − N_ref^(−1/2)) for i.i.d. edges), which steepens plain slopes near N_ref; the corrected slope uses the effective width (n^(−1/2) − N_ref^(−1/2))^(−2). ' +
      "At a fixed d the same sorting keeps the row-degree spread √(p(1−p)/d) of d-edge neurons in every wide mask, so the plug-in limit's top row blocks stay denser than p; a graphon such as the FSM limit has no such spread. Part of the FSM bias below (for random and magnitude, whose FSM limit is exactly p, essentially all of it) is that spread, not a defect of the factor model.",
    '',
    '**Determinism of the limit.** At the widest width, the block distance between a mask and the mask of another initialisation scored on the same digits is set beside the distance between the mask and a mask of the same width that shares its output signal (fresh neurons, same signal): comparable values mean that, given the data, the limit is deterministic; another initialisation much further away means the limit depends on the network through its output at initialisation. The distance between seeds (other digits too) adds the dependence on the data sample.',
    '',
    'The homogeneity test compares the mask with ' +
      `${config.bootstrap} uniformly random masks of the same shape and kept count (parametric bootstrap; statistics: cut norm of the ` +
      `canonical ${config.rowBlocks} × ${config.colBlocks} histogram minus p, and degree dispersion; Bonferroni-combined p-value, α = ${config.alpha}).`,
    '',
  );
  out.push(
    '## Convergence',
    '',
    '| criterion | approaches | δ_block slope | corrected slope | FSM explains | FSM bias (δ_block) | limit |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of summary) {
    out.push(
      `| ${s.criterion} | ${s.approaches ?? 'none clearly'} | ${slopeText(s.rate?.fit)} | ${slopeText(s.rate?.referenceCorrected)} | ${fmt(100 * s.fsm.explained.mean, 1)} % | ${fmt(s.fsm.biasBlock.mean, 5)} | ${s.determinism.verdict} |`,
    );
  }
  out.push('', '## Reading', '', ...summary.map((s) => reading(config, s)), '');
  out.push(
    '## Taxonomy',
    '',
    '| criterion | predicted | observed (widest n) | agrees |',
    '|---|---|---|---|',
  );
  for (const s of summary) {
    out.push(`| ${s.criterion} | ${s.predicted} | ${s.observed} | ${agreesCell(s)} |`);
  }
  out.push('', '## Distances per criterion (mean ± sd over seeds)', '');
  for (const s of summary) out.push(`### ${s.criterion}`, '', ...distanceTable(s));
  out.push('## Figures', '');
  out.push(
    '![Canonical graphons at increasing width beside the FSM-predicted and plug-in limits](figures/heatmaps.svg)',
    '',
  );
  out.push('![Distance to each reference limit against width, log–log](figures/convergence.svg)', '');
  out.push('![Input connectivity maps](figures/connectivity.svg)', '');
  out.push(...reproduceSection(prov, jobs));
  return out.join('\n');
}

/** One line per criterion for stdout: the observed class and the convergence slope. */
function summaryLine(s: CriterionSummary): string {
  const approach = s.approaches
    ? `approaches ${s.approaches}, δ_block slope ${slopeText(s.rate?.fit)}`
    : 'no limit clearly approached';
  return `  ${s.criterion.padEnd(16)} ${s.observed}${predictionNote(s)}; ${approach}; limit ${s.determinism.verdict}`;
}

export function buildReport(
  config: TaxonomyConfig,
  ordered: readonly JobResult[],
  prov: Provenance,
): PresetReport {
  const summary = summarize(config, ordered);
  const text = new Map<string, string>();
  text.set('report.md', markdown(config, summary, prov, ordered.length));
  text.set('results.csv', csv(config, ordered));
  text.set('distances.csv', distancesCsv(ordered));
  const figures = new Map<string, Record<string, unknown>>([
    ['heatmaps', heatmapGrid(config, ordered)],
    ['convergence', convergencePlot(config, summary)],
    ['connectivity', connectivityMaps(config, ordered)],
  ]);
  return { text, figures, summary, lines: summary.map(summaryLine) };
}
