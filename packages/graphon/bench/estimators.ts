/**
 * Estimator comparison for the README: L1 / L2 errors (canonical alignment, 128² grid) of each estimator on
 * W-random bipartite masks from known graphons at two sizes (fixed seeds), and run times.
 * Run: pnpm exec tsx --conditions=source bench/estimators.ts
 */
import type { BitMatrix, Graphon, StepGraphon } from '@graphon-pai/core';
import {
  estimationError,
  histogramEstimate,
  networkHistogram,
  sampleGraphon,
  sasEstimate,
  usvtEstimate,
} from '../src';

const graphons: [string, Graphon][] = [
  ['0.9(1−u)(1−v)+0.05 (rank one)', { value: (u, v) => 0.9 * (1 - u) * (1 - v) + 0.05 }],
  ['exp(−3(u+v)) − smooth, heterogeneous', { value: (u, v) => Math.exp(-3 * (u + v)) }],
  [
    '2-block SBM 0.6/0.2/0.1 (step)',
    { value: (u, v) => (u < 0.4 ? (v < 0.5 ? 0.6 : 0.2) : v < 0.5 ? 0.2 : 0.1) },
  ],
];
const estimators: [string, (m: BitMatrix) => StepGraphon][] = [
  ['histogram (plug-in)', (m) => histogramEstimate(m)],
  ['SAS', (m) => sasEstimate(m)],
  ['USVT', (m) => usvtEstimate(m, { maxRank: 8 }).graphon],
  ['network histogram', (m) => networkHistogram(m, { seed: 1 }).graphon],
];
const sizes: [number, number][] = [
  [256, 192],
  [1024, 768],
];
console.log(
  `| graphon | estimator | ${sizes.map(([r, c]) => `L1 / L2 at ${r}×${c}`).join(' | ')} | time at ${sizes[1][0]}×${sizes[1][1]} |`,
);
console.log(`|---|---|${sizes.map(() => '---|').join('')}---|`);
for (const [gname, g] of graphons) {
  const masks = sizes.map(([r, c], i) => sampleGraphon(g, r, c, { seed: 100 + i }).mask);
  for (const [ename, est] of estimators) {
    const cells: string[] = [];
    let t = 0;
    masks.forEach((m, i) => {
      const t0 = performance.now();
      const w = est(m);
      if (i === masks.length - 1) t = performance.now() - t0;
      const e = estimationError(w, g, { grid: 128 });
      cells.push(`${e.l1.toFixed(4)} / ${e.l2.toFixed(4)}`);
    });
    console.log(`| ${gname} | ${ename} | ${cells.join(' | ')} | ${(t / 1000).toFixed(2)} s |`);
  }
}
