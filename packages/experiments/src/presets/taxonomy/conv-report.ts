/**
 * The report of the taxonomy preset's conv study (beside the `results.json` and `jobs/` every preset writes):
 *
 *     report.md        setup (network, layer, its [O, C, kh, kw] at every multiplier), convergence per
 *                      criterion and graph (which reference the graphs approach, the rate ± SE), taxonomy
 *                      verdicts, distance tables
 *     results.csv      one row per criterion × seed × multiplier × graph, labelled with the layer and its shape
 *     distances.csv    tidy: criterion,seed,layer,multiplier,graph,reference,metric,value,kind
 *     figures/*        heatmaps of both graphs with the FSM model and the wide mask, convergence per graph
 */
import { type CsvValue, csvTable } from '../../csv';
import type { PresetReport } from '../../preset';
import type { Provenance } from '../../provenance';
import type { TaxonomyConfig } from './config';
import { convConvergencePlot, convHeatmapGrid } from './conv-figures';
import type { ConvJobResult, ConvReferenceName } from './conv-job';
import { type ConvStudy, convStudy, graphSides } from './conv-study';
import { type ConvCriterionSummary, type ConvGraphSummary, summarizeConv } from './conv-summary';
import { agreesCell, fmt, pm, predictionNote, reproduceSection, slopeText, verdictText } from './report-text';
import { HOMOGENEITY_COLUMNS, homogeneityCells, LIMIT_COLUMNS, limitCells } from './results-columns';

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const curve = (g: ConvGraphSummary, reference: ConvReferenceName) =>
  g.curves.find((c) => c.reference === reference);

function resultsCsv(config: TaxonomyConfig, results: readonly ConvJobResult[]): string {
  const header = [
    'criterion',
    'seed',
    'net',
    'layer',
    'multiplier',
    'graph',
    'out_channels',
    'in_channels',
    'kernel_height',
    'kernel_width',
    'rows',
    'cols',
    'kept',
    'density',
    ...HOMOGENEITY_COLUMNS,
    ...LIMIT_COLUMNS,
    'wide_multiplier',
  ];
  const rows: CsvValue[][] = [];
  for (const criterion of config.criteria) {
    for (const r of results.filter((j) => j.job.criterion === criterion)) {
      for (const w of r.widths) {
        for (const [graph, g] of Object.entries(w.graphs)) {
          rows.push([
            criterion,
            r.job.seed,
            r.conv.net,
            r.conv.layer,
            w.width,
            graph,
            ...w.tensorShape,
            g.rows,
            g.cols,
            w.kept,
            w.density,
            ...homogeneityCells(g.homogeneity),
            ...limitCells(w.limit),
            r.conv.wideMultiplier,
          ]);
        }
      }
    }
  }
  return csvTable(header, rows);
}

/** `distances.csv` of the conv study, one row per (criterion, seed, multiplier, graph, reference, metric). */
export function convDistancesCsv(results: readonly ConvJobResult[]): string {
  const rows = results.flatMap((r) =>
    r.widths.flatMap((w) =>
      Object.entries(w.graphs).flatMap(([graph, g]) =>
        g.distances.map((d) => [
          r.job.criterion,
          r.job.seed,
          r.conv.layer,
          w.width,
          graph,
          d.reference,
          d.metric,
          d.value,
          d.kind,
        ]),
      ),
    ),
  );
  return csvTable(
    ['criterion', 'seed', 'layer', 'multiplier', 'graph', 'reference', 'metric', 'value', 'kind'],
    rows,
  );
}

const REFERENCE_NAMES: Record<ConvReferenceName, string> = {
  'wide-mask': 'the wide mask of the same criterion',
  fsm: 'the FSM model',
  constant: 'the constant p',
  previous: 'the previous multiplier',
};

function reading(s: ConvCriterionSummary, g: ConvGraphSummary): string {
  const verdict = verdictText(g);
  const approach = g.approaches
    ? `approaches ${REFERENCE_NAMES[g.approaches]}: δ_block slope ${slopeText(g.rate?.fit)}` +
      (g.rate?.referenceCorrected
        ? ` (${slopeText(g.rate.referenceCorrected)} against the effective multiplier)`
        : '')
    : `no reference is clearly approached at these multipliers (wide-mask slope ${slopeText(g.rate?.fit)})`;
  return `- **${s.criterion}**, ${g.graph} graph: ${verdict}; ${approach}.`;
}

function distanceTable(study: ConvStudy, g: ConvGraphSummary): string[] {
  const refs: ConvReferenceName[] = ['wide-mask', 'fsm', 'constant', 'previous'];
  const out = [
    `| m | ${g.graph} graph | ${refs.map((r) => `block → ${r}`).join(' | ')} | p-value (median) | heterogeneous seeds |`,
    `|---|---|${refs.map(() => '---').join('|')}|---|---|`,
  ];
  for (const [i, c] of g.cells.entries()) {
    const cell = (r: ConvReferenceName) =>
      pm(curve(g, r)?.points.find((p) => p.width === c.width)?.value ?? null, 5);
    const [rows, cols] = graphSides(g.graph, study.shapes[i]);
    out.push(
      `| ${c.width} | ${rows} × ${cols} | ${refs.map(cell).join(' | ')} | ${fmt(c.medianPValue, 3)} | ${c.heterogeneousSeeds}/${c.seeds} |`,
    );
  }
  out.push(
    '',
    `Slopes (log–log in m, all seeds): ${refs.map((r) => `block → ${r} ${slopeText(curve(g, r)?.fit)}`).join(', ')}.`,
    '',
  );
  return out;
}

function markdown(
  config: TaxonomyConfig,
  study: ConvStudy,
  summary: readonly ConvCriterionSummary[],
  prov: Provenance,
  jobs: number,
): string {
  const layerName = study.layer.replace(/\.weight$/, '');
  const out: string[] = [];
  out.push(`# graphon-pai experiment: convergence and taxonomy of the conv layer ${layerName} on MNIST`, '');
  out.push('## Setup', '');
  out.push(
    `Network \`${study.net}\` (\`${study.specString}\`), every convolution's output channels and every hidden linear width multiplied by m ∈ {${config.widths.join(', ')}}, ` +
      `Kaiming-normal initialisation; seeds {${config.seeds.join(', ')}} (the seed fixes the initialisation and the scoring batch); ` +
      `criteria ${config.criteria.map((c) => `\`${c}\``).join(', ')}, each scoring one class-balanced batch of ${config.samples} MNIST training digits ` +
      `with the ${config.loss} loss (data-free criteria ignore it), one shot; every layer keeps exactly round(${config.density} · N) weights (density = kept fraction ${config.density}). ` +
      `The studied layer is \`${study.layer}\`, a convolution whose weight [out, in, kh, kw] grows with m:`,
    '',
    '| m | weight [O, C, kh, kw] | kernel graph (O × C·kh·kw) | channel graph (O × C) |',
    '|---|---|---|---|',
  );
  const shapeRow = (m: string, s: readonly number[]) =>
    `| ${m} | ${shapeText(s)} | ${graphSides('kernel', s).join(' × ')} | ${graphSides('channel', s).join(' × ')} |`;
  for (const [i, m] of config.widths.entries()) out.push(shapeRow(String(m), study.shapes[i]));
  out.push(shapeRow(`${study.wideMultiplier} (wide mask)`, study.wideShape), '');
  out.push(
    "Its two graphs: the **kernel graph**, the mask itself (out-channel × (in-channel, kh, kw)), and the **channel graph**, the kept fraction of each (out-channel, in-channel) pair's kh × kw kernel. Each is compared with four references:",
    '',
    `- \`wide-mask\`: the same criterion's mask of this layer on the network at multiplier ${study.wideMultiplier} (same seed and digits); the plug-in limit of the MLP study scores fresh neurons of a one-hidden-layer MLP and has no conv counterpart, so this is the limit of the criterion's own mechanism available here;`,
    "- `fsm`: the Factorised Saliency Model fitted to this layer (out-channel factors × (in-channel, kh, kw) factors; exact for random and magnitude, a rank-one fit of |score / w| otherwise); on the channel graph its prediction is averaged over each pair's kh·kw taps;",
    `- \`constant\`: the constant graphon ${config.density};`,
    '- `previous`: the graph at the previous multiplier.',
    '',
    `**Metric.** \`block\`: the exact cut distance between canonical block histograms (rows and columns sorted by degree) on a grid fixed across multipliers: ${study.blockGrid.kernel.rowBlocks} × ${study.blockGrid.kernel.colBlocks} for the kernel graph and ${study.blockGrid.channel.rowBlocks} × ${study.blockGrid.channel.colBlocks} for the channel graph (16 × 16, capped by the smallest multiplier's graph). ` +
      'Rates are log–log slopes in m (both sides of the layer grow like m). The `pixel` metric of the MLP study keeps input identity; the columns of a conv layer are channels without identity across multipliers, so it does not apply. ' +
      `The wide-mask curve also gets the slope against the effective multiplier (m^(−1/2) − ${study.wideMultiplier}^(−1/2))^(−2), which corrects for the finite reference.`,
    '',
    `The homogeneity test compares each graph with that of ${config.bootstrap} uniformly random masks of the same shape and kept count (parametric bootstrap; statistics: cut norm of the canonical histogram minus p, on ${study.histogramGrid.kernel.rowBlocks} × ${study.histogramGrid.kernel.colBlocks} blocks for the kernel graph and ${study.histogramGrid.channel.rowBlocks} × ${study.histogramGrid.channel.colBlocks} for the channel graph (--row-blocks × --col-blocks capped by the smallest multiplier's graph), and the degree dispersion; Bonferroni-combined p-value, α = ${config.alpha}).`,
    '',
  );
  out.push(
    '## Convergence',
    '',
    '| criterion | graph | approaches | δ_block slope | corrected slope | slope → p | FSM explains |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of summary) {
    for (const g of s.graphs) {
      out.push(
        `| ${s.criterion} | ${g.graph} | ${g.approaches ?? 'none clearly'} | ${slopeText(g.rate?.fit)} | ${slopeText(g.rate?.referenceCorrected)} | ${slopeText(curve(g, 'constant')?.fit)} | ${fmt(100 * s.fsm.explained.mean, 1)} % |`,
      );
    }
  }
  out.push('', '## Reading', '', ...summary.flatMap((s) => s.graphs.map((g) => reading(s, g))), '');
  out.push(
    '## Taxonomy',
    '',
    `| criterion | graph | predicted | observed (m = ${config.widths[config.widths.length - 1]}) | agrees |`,
    '|---|---|---|---|---|',
  );
  for (const s of summary) {
    for (const g of s.graphs) {
      out.push(`| ${s.criterion} | ${g.graph} | ${g.predicted} | ${g.observed} | ${agreesCell(g)} |`);
    }
  }
  out.push('', '## Distances per criterion (mean ± sd over seeds)', '');
  for (const s of summary) {
    out.push(`### ${s.criterion}`, '');
    for (const g of s.graphs) out.push(...distanceTable(study, g));
  }
  out.push('## Figures', '');
  out.push(
    `![Canonical kernel and channel graphs of ${layerName} across multipliers, the FSM model and the wide mask](figures/heatmaps.svg)`,
    '',
  );
  out.push(
    '![Block distance to each reference against the channel multiplier, log–log](figures/convergence.svg)',
    '',
  );
  out.push(...reproduceSection(prov, jobs));
  return out.join('\n');
}

function summaryLine(s: ConvCriterionSummary, g: ConvGraphSummary): string {
  const approach = g.approaches
    ? `approaches ${g.approaches}, δ_block slope ${slopeText(g.rate?.fit)}`
    : 'no reference clearly approached';
  return `  ${s.criterion.padEnd(16)} ${g.graph.padEnd(7)} ${g.observed}${predictionNote(g)}; ${approach}`;
}

export function buildConvReport(
  config: TaxonomyConfig,
  ordered: readonly ConvJobResult[],
  prov: Provenance,
): PresetReport {
  const study = convStudy(config);
  const summary = summarizeConv(config, ordered);
  const text = new Map<string, string>();
  text.set('report.md', markdown(config, study, summary, prov, ordered.length));
  text.set('results.csv', resultsCsv(config, ordered));
  text.set('distances.csv', convDistancesCsv(ordered));
  const figures = new Map<string, Record<string, unknown>>([
    ['heatmaps', convHeatmapGrid(config, study, ordered)],
    ['convergence', convConvergencePlot(config, study, summary)],
  ]);
  return {
    text,
    figures,
    summary,
    lines: [
      `  ${study.layer} of ${study.net}, kernel and channel graphs:`,
      ...summary.flatMap((s) => s.graphs.map((g) => summaryLine(s, g))),
    ],
  };
}
