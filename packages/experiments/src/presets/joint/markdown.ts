/**
 * `report.md` of the `joint` preset: the setup, the closed-form limits, the fitted rates with their standard
 * errors per criterion and metric, the distances (mean ± sd over seeds) with the fixed-d floor and the
 * discretisation of the limit's grid, the time per width, a reading that compares every slope with −1/2
 * within two standard errors, the figure and the reproducing command.
 */
import { type Provenance, provenanceLine } from '../../provenance';
import { type MeanSd, meanSd, type SlopeFit } from '../../stats';
import { tableHead } from '../number-format';
import type { JointConfig } from './config';
import { fittedRate, JOINT_METRICS, type JointMetric } from './rates';
import { FULL_GRID, JOINT_PROFILE, type JointCell, type JointResult } from './run';

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : Number(x.toPrecision(digits)).toString();
const pm = (m: MeanSd) => (m.n > 1 ? `${fmt(m.mean)} ± ${fmt(m.sd, 2)}` : fmt(m.mean));
const slope = (f: SlopeFit | undefined) =>
  f === undefined ? '–' : `${f.slope.toFixed(3)} ± ${fmt(f.standardError, 2)} (R² ${f.r2.toFixed(2)})`;

const SCORES: Record<string, [string, string]> = {
  random: ['i.i.d. uniform', 'W ≡ p'],
  magnitude: ['ξ_ji = |w_ji|/σ_w', 'W ≡ p'],
  synflow: ['A_j · ξ_ji', 'W(u, v) = erfc(τ / (√2 A(u)))'],
  snip: ['A_j · B_i · ξ_ji', 'W(u, v) = erfc(τ / (√2 A(u) B(v)))'],
};

/** Is the slope consistent with −1/2 (within two standard errors, or within 0.05 when the error is tiny)? */
function verdict(f: SlopeFit | undefined): string {
  if (f === undefined || f.standardError === undefined) return 'too few widths to fit';
  const tol = Math.max(2 * f.standardError, 0.05);
  if (Math.abs(f.slope + 0.5) <= tol) return 'consistent with n^(−1/2)';
  return f.slope < -0.5 ? 'faster than n^(−1/2)' : 'slower than n^(−1/2)';
}

function cellsAt(results: readonly JointResult[], criterion: string, width: number): JointCell[] {
  return results
    .filter((r) => r.job.criterion === criterion)
    .flatMap((r) => r.cells.filter((c) => c.width === width));
}

export function jointMarkdown(
  config: JointConfig,
  results: readonly JointResult[],
  prov: Provenance,
): string {
  const { informativeFraction: alpha, informativeScale: s1, backgroundScale: s0 } = JOINT_PROFILE;
  const out: string[] = [];
  out.push('# graphon-pai experiment --preset joint: convergence where d grows with n', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU network d → n → 1 with d = n/2, n ∈ {${config.widths.join(', ')}}, Kaiming-normal initialisation and zero output at initialisation ` +
      '(neurons paired as (w, a) and (w, −a), `pairedZeroOutput`). Data (`mirroredRegressionTask`): ' +
      `${config.samples / 2} Gaussian examples with per-coordinate scales s_i = ${s1} on the first ${alpha * 100} % of the coordinates and ${s0} on the rest, ` +
      'targets y ~ N(0, 1) independent of the inputs, and the same examples negated with negated targets; mean squared loss. ' +
      `Each criterion (${config.criteria.map((c) => `\`${c}\``).join(', ')}) scores the network once; every layer keeps exactly round(p · N) weights, p = ${config.density}; seeds {${config.seeds.join(', ')}}. ` +
      'The first layer’s n × d mask is compared with the limit its criterion has in closed form.',
    '',
  );
  out.push('## Limits (closed form)', '');
  out.push(
    'With A_j = |a_j|/σ_a, ξ_ji = |w_ji|/σ_w (half-normal) and B_i = |Σ_b y_b x_bi| / ‖y‖ over the first half of the batch, the first-layer scores are exact products at every width: ' +
      'on a mirrored pair exactly one of ±w_j·x is positive, so SNIP’s gradient ∂L/∂w_ji = −(a_j/m) Σ_b y_b x_bi is the same for every neuron up to a_j. ' +
      `Given y, B_i ~ s_i·|Z_i| i.i.d., so B has the law ${alpha}·HN(${s1}) + ${1 - alpha}·HN(${s0}). A(u), B(v) are the upper quantiles of these laws and τ solves ∫∫ W = p.`,
    '',
    ...tableHead('| criterion | first-layer score | limit | τ | reference |'),
  );
  for (const criterion of config.criteria) {
    const r = results.find((x) => x.job.criterion === criterion);
    const [score, limit] = SCORES[criterion] ?? ['', ''];
    out.push(
      `| ${criterion} | ${score} | ${limit} | ${fmt(r?.limit.tau ?? null, 6)} | ${r?.limit.reference ?? '–'} |`,
    );
  }
  out.push('');
  out.push('## Fitted rates', '');
  out.push(
    'Least-squares slope of log δ on log n over every (seed, width), ± its standard error. `block`: exact cut distance of the ' +
      `${config.rowBlocks} × ${config.colBlocks} canonical histograms; \`pixel\`: exact cut distance of ${config.rowBlocks} degree-sorted row blocks × the d inputs, against the limit given the batch’s input factors; ` +
      '`full`: upper bound of the full-resolution cut distance (canonical alignment) to the limit’s grid (probabilistic, failure probability in `results.csv`).',
    '',
    ...tableHead('| criterion | block | pixel | full (upper bound) |'),
  );
  const fits = new Map<string, Record<JointMetric, SlopeFit | undefined>>();
  for (const criterion of config.criteria) {
    const f = Object.fromEntries(JOINT_METRICS.map((m) => [m, fittedRate(results, criterion, m)])) as Record<
      JointMetric,
      SlopeFit | undefined
    >;
    fits.set(criterion, f);
    out.push(`| ${criterion} | ${slope(f.block)} | ${slope(f.pixel)} | ${slope(f.full)} |`);
  }
  out.push('');
  out.push('## Distances (mean ± sd over seeds)', '');
  for (const criterion of config.criteria) {
    out.push(
      `### ${criterion}`,
      '',
      ...tableHead(
        '| n | d | block | pixel | full upper | full lower | grid discretisation | fixed-d floor | seconds |',
      ),
    );
    for (const width of config.widths) {
      const cs = cellsAt(results, criterion, width);
      if (cs.length === 0) continue;
      const m = (f: (c: JointCell) => number | null) =>
        pm(meanSd(cs.map(f).filter((v): v is number => v !== null)));
      const time = (c: JointCell) => c.seconds.score + c.seconds.block + c.seconds.pixel + c.seconds.full;
      out.push(
        `| ${width} | ${width / 2} | ${m((c) => c.block)} | ${m((c) => c.pixel)} | ${m((c) => c.full.upperBound)} | ${m((c) => c.full.alignedLowerBound)} | ${fmt(cs[0].full.discretisation)} | ${fmt(cs[0].floor)} | ${m(time)} |`,
      );
    }
    out.push('');
  }
  out.push(
    '## Reading',
    '',
    'A slope is called consistent with n^(−1/2) when it is within two standard errors (or 0.05) of −0.5.',
    '',
  );
  for (const criterion of config.criteria) {
    const f = fits.get(criterion)!;
    const parts = JOINT_METRICS.map((m) => `${m} ${fmt(f[m]?.slope)} (${verdict(f[m])})`);
    out.push(`- **${criterion}**: ${parts.join('; ')}.`);
  }
  out.push(
    '',
    'Here d grows with n (d = n/2), so the fixed-d floor ½·√(2/π)·√(p(1−p)/d) of the constant limit itself falls like n^(−1/2): it is not a plateau in this regime, and the full-resolution distance of random and magnitude masks is compared with it in the table. ' +
      `SNIP’s full-resolution distance is measured against the limit on at most ${FULL_GRID.rows} × ${FULL_GRID.cols} cells; the grid’s certified discretisation bound (column “grid discretisation”, an L1 bound, ≥ its cut norm) ` +
      'adds to the upper bound for a certified bound on δ□(W_M, W) itself; the fitted full slope is that of the distance to the grid.',
    '',
  );
  out.push('## Figures', '', '![Distance to the limit against width](figures/joint-convergence.svg)', '');
  out.push('## Reproduce', '', '```sh', prov.command, '```', '');
  out.push(
    `${provenanceLine(prov, results.length)} Every number is in \`results.csv\`, \`distances.csv\` and \`results.json\`; each job's raw result is in \`jobs/\`.`,
    '',
  );
  return out.join('\n');
}
