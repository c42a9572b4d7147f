/**
 * `report.md` of the `uat` preset: setup, what is computed, one table per criterion (mean ± sd over seeds at
 * every width × density; S, q, α and the verdict of the first seed), a short reading, the figure and the
 * reproducing command.
 */
import { type Provenance, provenanceLine } from '../../provenance';
import { meanSd } from '../../stats';
import { cellsAt } from '../density-sweep';
import { meanSdText, sig, tableHead } from '../number-format';
import type { UatConfig } from './config';
import type { UatCell, UatResult } from './run';

export function uatMarkdown(config: UatConfig, results: readonly UatResult[], prov: Provenance): string {
  const out: string[] = [];
  out.push('# graphon-pai experiment --preset uat: universal approximation on active coordinates', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU MLP 784 → n → 10, n ∈ {${config.widths.join(', ')}}, Kaiming-normal Gaussian initialisation; each criterion (${config.criteria.map((c) => `\`${c}\``).join(', ')}) scores one class-balanced batch of ${config.samples} MNIST digits ` +
      `(${config.loss} loss, one shot); every layer keeps exactly round(p · N) weights, p ∈ {${config.densities.join(', ')}}; seeds {${config.seeds.join(', ')}}. ` +
      `The first layer's mask is read as a graphon (hidden neurons sorted by degree in ${config.rowBlocks} row blocks, pixels in order).`,
    '',
    `**What is computed** (\`@graphon-pai/bounds\` \`universalApproximationCheck\`; Pham, Ta, Tran-Thanh, arXiv 2602.06675): active inputs (column density > τ = ${config.threshold}); S = the k = ${config.k} densest active inputs; ` +
      'the floor rectangle [neurons of measure α] × S with W ≥ q (q maximising α·q^k); the predicted number α·n·q^k of hidden neurons connected to all of S, the expectation n·∫Π_{i∈S} w(u, i) du under independent edges, ' +
      `and the number observed in the mask, against the target ${config.minNeurons}. The verdict holds when all conditions hold; the required width is ⌈${config.minNeurons} / (α q^k)⌉.`,
    '',
  );
  out.push('## Results per criterion (mean ± sd over seeds; S, q, α and the verdict of the first seed)', '');
  for (const criterion of config.criteria) {
    out.push(
      `### ${criterion}`,
      '',
      ...tableHead(
        '| n | density | active inputs | S | q | α | predicted α·n·q^k | expected n·∫Πw | observed | required width | verdict |',
      ),
    );
    for (const width of config.widths) {
      for (const density of config.densities) {
        const cs = cellsAt(results, criterion, width, density);
        const first = cs.find((c) => c.seed === config.seeds[0]) ?? cs[0];
        const u = first.uat;
        const m = (f: (c: UatCell) => number, digits = 4) => meanSdText(meanSd(cs.map(f)), digits);
        out.push(
          `| ${width} | ${density} | ${m((c) => c.uat.activeCoordinates)} | {${u.coordinates.join(', ')}} | ${sig(u.q)} | ${sig(u.alpha)} | ${m((c) => c.uat.predictedCount)} | ${m((c) => c.uat.expectedCount)} | ${m((c) => c.uat.observedCount ?? Number.NaN)} | ${sig(u.requiredWidth, 6)} | ${
            u.holds
              ? 'holds'
              : `fails (${u.conditions
                  .filter((c) => !c.holds)
                  .map((c) => c.name)
                  .join(', ')})`
          } |`,
        );
      }
    }
    out.push('');
  }
  out.push('## Reading', '');
  for (const criterion of config.criteria) {
    const cs = results.filter((r) => r.job.criterion === criterion).flatMap((r) => r.cells);
    const holds = cs.filter((c) => c.uat.holds).length;
    const act = cs.map((c) => c.uat.activeCoordinates);
    const lo = Math.min(...act);
    const hi = Math.max(...act);
    const above = cs.filter((c) => (c.uat.observedCount ?? 0) >= c.uat.predictedCount).length;
    out.push(
      `- **${criterion}**: the condition holds in ${holds} of ${cs.length} cells; ${lo === hi ? lo : `${lo}–${hi}`} of 784 inputs are active; ` +
        `the observed count reaches the prediction α·n·q^k in ${above} of ${cs.length} cells.`,
    );
  }
  out.push(
    '',
    'α·n·q^k is a lower bound on the expected count (it uses the floor q, not the actual connection probabilities), and S is chosen on the same mask it is counted in (its densest inputs), which biases observed counts upwards; the expectation n·∫Πw is the number to compare the observation with.',
  );
  out.push('', '## Figures', '', '![Active-coordinate maps](figures/active-coordinates.svg)', '');
  out.push('## Reproduce', '', '```sh', prov.command, '```', '', footer(prov, results.length), '');
  return out.join('\n');
}

function footer(prov: Provenance, jobs: number): string {
  return `${provenanceLine(prov, jobs)} Every number is in \`results.csv\` and \`results.json\`; each job's raw result is in \`jobs/\`.`;
}
