/**
 * `report.md` of the `accuracy` preset: setup, test accuracy against density per criterion next to the dense
 * baseline, the theory quantities of every cell (a bound above 1 is vacuous for the 0–1 error), and the rank
 * correlation of each quantity with the test error across the sweep, with a plain verdict against the paper's
 * reading: higher alignment, a lower bound and more active inputs should go with a lower test error.
 */
import { type Provenance, provenanceLine } from '../../provenance';
import { meanSd } from '../../stats';
import { cellsAt } from '../density-sweep';
import { meanSdText, sig, tableHead } from '../number-format';
import type { AccuracyConfig } from './config';
import { significant, spearman } from './rank-correlation';
import type { AccuracyCell, AccuracyResult } from './run';

/** A quantity the theory ties to generalisation, and the sign of its correlation with test error it predicts. */
interface Quantity {
  name: string;
  value: (c: AccuracyCell) => number | null;
  /** −1: higher value, lower error; +1: higher value, higher error; 0: no prediction (a diagnostic). */
  expected: -1 | 0 | 1;
}

const QUANTITIES: readonly Quantity[] = [
  { name: 'alignment', value: (c) => c.theory.alignment, expected: -1 },
  { name: 'bound', value: (c) => c.theory.bound, expected: 1 },
  { name: 'bound at tr K/m = 1', value: (c) => c.theory.normalizedBound, expected: 1 },
  { name: 'active inputs', value: (c) => c.activeInputs, expected: -1 },
  { name: 'tr K/m', value: (c) => c.theory.traceOverM, expected: 0 },
];

export interface Correlation {
  quantity: string;
  rho: number;
  count: number;
  expected: 'negative' | 'positive' | 'none';
  verdict: string;
}

/** Spearman's ρ between each quantity and the test error (1 − accuracy) over every pruned network. */
export function correlations(results: readonly AccuracyResult[]): Correlation[] {
  const cells = results.flatMap((r) => r.cells);
  return QUANTITIES.map((q) => {
    const pairs = cells
      .map((c) => [q.value(c), 1 - c.testAccuracy] as const)
      .filter(
        (p): p is readonly [number, number] =>
          p[0] !== null && Number.isFinite(p[0]) && Number.isFinite(p[1]),
      );
    const rho = spearman(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
    const count = pairs.length;
    const expected = q.expected < 0 ? 'negative' : q.expected > 0 ? 'positive' : 'none';
    let verdict: string;
    if (!significant(rho, count)) {
      verdict = `no clear relation (|ρ| ≤ ${sig(1.96 / Math.sqrt(count - 1), 2)}, the ≈ 5 % level)`;
    } else if (q.expected === 0) {
      verdict = `${rho > 0 ? 'larger' : 'smaller'} kernels go with higher error (diagnostic; the theory predicts no direction)`;
    } else {
      verdict =
        Math.sign(rho) === q.expected ? "supports the paper's reading" : "contradicts the paper's reading";
    }
    return { quantity: q.name, rho, count, expected, verdict };
  });
}

const percent = (x: number) => `${(100 * x).toFixed(2)} %`;

export function accuracyMarkdown(
  config: AccuracyConfig,
  results: readonly AccuracyResult[],
  prov: Provenance,
): string {
  const out: string[] = [];
  out.push('# graphon-pai experiment --preset accuracy: prune, train, test', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU MLP 784 → n → 10, n ∈ {${config.widths.join(', ')}}, Kaiming-normal initialisation (seed = the job's seed). ` +
      `Each criterion (${config.criteria.map((c) => `\`${c}\``).join(', ')}) scores it on ${config.samples} class-balanced MNIST training digits (${config.loss} loss, one shot); ` +
      `the first layer keeps exactly round(p · 784 n) weights, p ∈ {${config.densities.join(', ')}}, the n × 10 output layer stays dense. ` +
      `Each masked network is trained from its initialisation for ${config.epochs} epoch(s) of SGD (learning rate ${config.lr}, momentum 0.9, batch 128, shuffling seeded by the job's seed) on the 60,000 MNIST training digits, pruned weights held at exactly zero, and tested on the 10,000 test digits; the dense network is trained the same way. Seeds {${config.seeds.join(', ')}}.`,
    '',
    `**Theory quantities** (\`@graphon-pai/bounds\`), from the first layer's mask read as a graphon (neurons sorted by degree, ${config.rowBlocks} row blocks): the Graphon-NTK K (both layers, σ_w² = 1) on the binary task ${config.classes[0]} vs ${config.classes[1]} (the first ${config.samples} digits of the two classes, ‖x‖² = 784); ` +
      `tr K / m; the kernel–target alignment (scale-free); the Arora et al. (2019) bound √(2 yᵀ(K + λI)⁻¹y / m) + C √(log(m / (λ_min δ)) / m) (δ = ${config.delta}, λ = ${config.ridge}) **as computed** and **at the common kernel scale** tr K / m = 1 (K divided by tr K / m): ` +
      'sparser masks shrink the kernel, which raises yᵀK⁻¹y by scale alone. A bound above 1 is vacuous for the 0–1 error and is marked †; a kernel that is not positive definite has no bound (—). Active inputs: pixels with at least one kept weight.',
    '',
  );
  out.push('## Test accuracy against density (mean ± sd over seeds)', '');
  for (const width of config.widths) {
    out.push(`n = ${width}:`, '');
    out.push(...tableHead(`| density | ${config.criteria.join(' | ')} |`));
    for (const density of config.densities) {
      const row = config.criteria.map((c) =>
        meanSdText(meanSd(cellsAt(results, c, width, density).map((x) => 100 * x.testAccuracy))),
      );
      out.push(`| ${density} | ${row.join(' | ')} |`);
    }
    const dense = meanSd(
      results.flatMap((r) => r.dense.filter((d) => d.width === width).map((d) => 100 * d.testAccuracy)),
    );
    out.push(`| 1 (dense) | ${config.criteria.map(() => meanSdText(dense)).join(' | ')} |`, '');
  }
  out.push('Accuracies in %.', '', '![Test accuracy against density](figures/accuracy.svg)', '');
  out.push('## Theory quantities (mean over seeds)', '');
  const mark = (b: number | null) => (b === null ? '—' : `${sig(b)}${b > 1 ? ' †' : ''}`);
  for (const criterion of config.criteria) {
    out.push(`### ${criterion}`, '');
    out.push(
      ...tableHead(
        '| n | density | test accuracy | active inputs | tr K/m | alignment | bound | bound at tr K/m = 1 |',
      ),
    );
    for (const width of config.widths) {
      for (const density of config.densities) {
        const cs = cellsAt(results, criterion, width, density);
        const mean = (f: (c: AccuracyCell) => number) => meanSd(cs.map(f)).mean;
        const bounds = (f: (c: AccuracyCell) => number | null) => {
          const v = cs.map(f);
          return v.some((x) => x === null) ? null : meanSd(v as number[]).mean;
        };
        out.push(
          `| ${width} | ${density} | ${percent(mean((c) => c.testAccuracy))} | ${sig(mean((c) => c.activeInputs))} | ${sig(mean((c) => c.theory.traceOverM))} | ${sig(mean((c) => c.theory.alignment))} | ${mark(bounds((c) => c.theory.bound))} | ${mark(bounds((c) => c.theory.normalizedBound))} |`,
        );
      }
    }
    out.push('');
  }
  const first = results.find((r) => r.dense.length > 0);
  const dense = first?.dense[0];
  if (first && dense) {
    out.push(
      `Dense reference (n = ${dense.width}, seed ${first.job.seed}): test accuracy ${percent(dense.testAccuracy)}, tr K/m ${sig(dense.theory.traceOverM)}, alignment ${sig(dense.theory.alignment)}, bound ${mark(dense.theory.bound)}, at tr K/m = 1 ${mark(dense.theory.normalizedBound)}.`,
      '',
    );
  }
  out.push('## Does the theory predict the test error?', '');
  out.push(
    "Spearman's rank correlation ρ between each quantity and the test error (1 − accuracy) over every pruned network of the sweep (criteria × densities × seeds). " +
      "The paper's reading predicts a negative ρ for the alignment and the active inputs and a positive ρ for the bound. " +
      'Density drives most quantities and the error together, so a correlation here is necessary, not sufficient, for the reading.',
    '',
    ...tableHead('| quantity | predicted sign | ρ | networks | verdict |'),
  );
  const rho = correlations(results);
  for (const r of rho)
    out.push(`| ${r.quantity} | ${r.expected} | ${sig(r.rho, 3)} | ${r.count} | ${r.verdict} |`);
  const tested = rho.filter((r) => r.expected !== 'none');
  const supports = tested.filter((r) => r.verdict.startsWith('supports')).map((r) => r.quantity);
  const contradicts = tested.filter((r) => r.verdict.startsWith('contradicts')).map((r) => r.quantity);
  out.push(
    '',
    `In this sweep, ${supports.length ? `${supports.join(', ')} ${supports.length > 1 ? 'support' : 'supports'} the paper's reading` : "no quantity supports the paper's reading"}` +
      `${contradicts.length ? `; ${contradicts.join(', ')} ${contradicts.length > 1 ? 'contradict' : 'contradicts'} it` : ''}` +
      `${tested.length - supports.length - contradicts.length ? `; the others show no clear relation` : ''}.`,
    '',
  );
  out.push('## Reproduce', '', '```sh', prov.command, '```', '');
  out.push(
    `${provenanceLine(prov, results.length)} Every number is in \`results.csv\` and \`results.json\`; each job's raw result is in \`jobs/\`.`,
    '',
  );
  return out.join('\n');
}
