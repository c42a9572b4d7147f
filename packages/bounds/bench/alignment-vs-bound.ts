/**
 * Experiment (not a timing benchmark): does concentrating the first-layer graphon on informative inputs
 * lower yᵀK⁻¹y, as the Graphon-NTK argument says (docs: concepts/graphon-ntk), or only raise the kernel–target alignment?
 *
 * Setup (all choices here, nothing hidden):
 * - MNIST digits 3 vs 5 from `@graphon-pai/nets`' `mnistSubset` (count 6000, seed 0, unit scaling), labels
 *   y = +1 (3) / −1 (5). Disjoint splits: 200 examples to *choose* the informative pixels, training sets of
 *   m = 100, 200, 400, and 300 held-out test examples.
 * - Inputs rescaled to ‖x‖² = n_in = 784 (the normalisation under which `layers: 'hidden'` is Arora et
 *   al.'s H^∞); kernel = `graphonNtk` (both layers, σ_w² = 1) unless stated.
 * - Informative pixels: the top k = 100 by the Fisher score |μ₃ − μ₅| / (σ₃ + σ₅ + 1e-3) on the selection
 *   split. Graphons are column profiles (constant in u), all at **the same mean density p = 0.2**:
 *   `homogeneous` W ≡ 0.2; `informative-q` W = q on the top-100 pixels and r elsewhere (mean 0.2);
 *   `random-0.9` the same profile on 100 random pixels with non-zero variance (a concentration control).
 * - Reported per graphon and m: tr(K)/m, alignment A(K, y), yᵀK⁻¹y (raw), yᵀK̃⁻¹y for the trace-normalised
 *   K̃ = K·m/tr K (scale-free), λ_min(K̃), effective rank, yᵀ(K̃ + λI)⁻¹y with λ = 0.01, and the held-out
 *   error of the min-norm interpolant f(x) = K(x, X)K⁻¹y (sign error and MSE) — what the bound is about.
 * - numpy float64 check of K, yᵀK⁻¹y and alignment for one m, same .npy inputs (bench/alignment_reference.py).
 *
 * Run: `pnpm --filter @graphon-pai/bounds exec tsx --conditions=source bench/alignment-vs-bound.ts`
 * Writes bench/alignment-results.json (`ALIGN_LAYERS=hidden`: the H^∞ kernel, alignment-results-hidden.json).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArrayNpy, runPython, writeArrayNpy } from '@graphon-pai/bench-utils';
import { Rng, StepGraphon } from '@graphon-pai/core';
import { choleskySolve, cholesky } from '@graphon-pai/linalg';
import { mnistSubset } from '@graphon-pai/nets';
import { generalisationBound, graphonNtk, kernelTargetAlignment, spectralSummary } from '../src';

const HERE = dirname(fileURLToPath(import.meta.url));
const D = 784;
const P = 0.2;
const TOP = 100;
const SIZES = (process.env.ALIGN_SIZES ?? '100,200,400').split(',').map(Number);
const TEST = 300;
const SELECT = 200;
const LAYERS = (process.env.ALIGN_LAYERS ?? 'both') as 'both' | 'hidden';

async function main(): Promise<void> {
  const batch = await mnistSubset({ count: 6000, seed: 0 });
  const rows: number[] = [];
  for (let r = 0; r < batch.count; r++) if (batch.labels![r] === 3 || batch.labels![r] === 5) rows.push(r);
  const need = SELECT + Math.max(...SIZES) + TEST;
  if (rows.length < need) throw new Error(`only ${rows.length} examples of 3/5, need ${need}`);
  const take = (from: number, n: number) => {
    const x = new Float64Array(n * D);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const r = rows[from + k];
      let s = 0;
      for (let i = 0; i < D; i++) s += batch.inputs[r * D + i] ** 2;
      const scale = Math.sqrt(D / s);
      for (let i = 0; i < D; i++) x[k * D + i] = batch.inputs[r * D + i] * scale;
      y[k] = batch.labels![r] === 3 ? 1 : -1;
    }
    return { x, y, n };
  };
  const sel = take(0, SELECT);
  const testSet = take(SELECT + Math.max(...SIZES), TEST);

  // Fisher score per pixel on the selection split.
  const score = new Float64Array(D);
  const variance = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    const a: number[] = [];
    const b: number[] = [];
    for (let k = 0; k < sel.n; k++) (sel.y[k] > 0 ? a : b).push(sel.x[k * D + i]);
    const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    const sd = (v: number[], mu: number) => Math.sqrt(v.reduce((s, t) => s + (t - mu) ** 2, 0) / v.length);
    const ma = mean(a);
    const mb = mean(b);
    score[i] = Math.abs(ma - mb) / (sd(a, ma) + sd(b, mb) + 1e-3);
    const all = [...a, ...b];
    variance[i] = sd(all, mean(all)) ** 2;
  }
  const order = Array.from({ length: D }, (_, i) => i).sort((i, j) => score[j] - score[i]);
  const top = order.slice(0, TOP);
  const live = Array.from({ length: D }, (_, i) => i).filter((i) => variance[i] > 0);
  const rng = new Rng('alignment-vs-bound');
  const randomSet = Array.from(rng.sampleWithoutReplacement(live.length, TOP), (k) => live[k]);

  const profile = (set: number[], q: number): StepGraphon => {
    const r = (P * D - q * set.length) / (D - set.length);
    const v = new Float64Array(D).fill(r);
    for (const i of set) v[i] = q;
    return StepGraphon.uniformBlocks(1, D, v);
  };
  const graphons: [string, StepGraphon][] = [
    ['homogeneous', StepGraphon.constant(P)],
    ['informative-0.5', profile(top, 0.5)],
    ['informative-0.9', profile(top, 0.9)],
    ['informative-1.0', profile(top, 1.0)],
    ['random-0.9', profile(randomSet, 0.9)],
  ];

  const results: Record<string, unknown>[] = [];
  let reference: Record<string, unknown> | undefined;
  for (const m of SIZES) {
    const train = take(SELECT, m);
    // One Gram on [train; test] gives K and the cross kernel.
    const all = new Float64Array((m + TEST) * D);
    all.set(train.x, 0);
    all.set(testSet.x, m * D);
    for (const [name, g] of graphons) {
      const full = graphonNtk({ rows: m + TEST, cols: D, data: all }, g, { layers: LAYERS });
      const n = m + TEST;
      const k = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) k[i * m + j] = full.data[i * n + j];
      const kernel = { rows: m, cols: m, data: k };
      let tr = 0;
      for (let i = 0; i < m; i++) tr += k[i * m + i];
      const kn = { rows: m, cols: m, data: k.map((v) => (v * m) / tr) };
      const b = generalisationBound(kernel, train.y);
      const bn = generalisationBound(kn, train.y);
      const br = generalisationBound(kn, train.y, { ridge: 0.01 });
      const spec = spectralSummary(kn, { topK: 10 });
      const alpha = choleskySolve(cholesky(k, m), m, train.y, 1);
      let err = 0;
      let mse = 0;
      for (let t = 0; t < TEST; t++) {
        let f = 0;
        for (let i = 0; i < m; i++) f += full.data[(m + t) * n + i] * alpha[i];
        if (Math.sign(f) !== testSet.y[t]) err++;
        mse += (f - testSet.y[t]) ** 2;
      }
      const row = {
        m,
        graphon: name,
        traceOverM: tr / m,
        alignment: kernelTargetAlignment(kernel, train.y),
        quadraticForm: b.quadraticForm,
        leadingTerm: b.leadingTerm,
        normalisedQuadraticForm: bn.quadraticForm,
        normalisedLambdaMin: spec.lambdaMin,
        effectiveRank: spec.effectiveRank,
        top10Energy: spec.topKEnergy,
        ridge0p01QuadraticForm: br.quadraticForm,
        testError: err / TEST,
        testMse: mse / TEST,
      };
      results.push(row);
      console.log(
        `m=${m} ${name.padEnd(16)} tr/m=${row.traceOverM.toFixed(3)} A=${row.alignment.toFixed(4)} ` +
          `yKy=${row.quadraticForm.toFixed(2)} yK̃y=${row.normalisedQuadraticForm.toFixed(2)} ` +
          `λmiñ=${row.normalisedLambdaMin.toExponential(2)} erank=${row.effectiveRank.toFixed(2)} ` +
          `ridge=${row.ridge0p01QuadraticForm.toFixed(2)} test err=${row.testError.toFixed(3)} mse=${row.testMse.toFixed(3)}`,
      );
      if (
        m === SIZES[Math.min(1, SIZES.length - 1)] &&
        (name === 'homogeneous' || name === 'informative-0.9')
      ) {
        const dir = mkdtempSync(join(tmpdir(), 'bounds-align-'));
        writeArrayNpy(join(dir, 'x.npy'), train.x, [m, D]);
        writeArrayNpy(join(dir, 'y.npy'), train.y, [m]);
        writeArrayNpy(
          join(dir, 'w.npy'),
          Float64Array.from({ length: D }, (_, i) => g.value(0.5, (i + 0.5) / D)),
          [D],
        );
        const ref = JSON.parse(runPython(join(HERE, 'alignment_reference.py'), [dir, LAYERS]));
        const kref = readArrayNpy(join(dir, 'k.npy'));
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < m * m; i++) {
          diff = Math.max(diff, Math.abs(kref[i] - k[i]));
          scale = Math.max(scale, Math.abs(kref[i]));
        }
        reference = {
          ...(reference ?? {}),
          [name]: {
            m,
            kernelMaxRelDiff: diff / scale,
            quadraticFormOurs: b.quadraticForm,
            quadraticFormNumpy: ref.quadraticForm,
            quadraticFormRelDiff: Math.abs(b.quadraticForm - ref.quadraticForm) / ref.quadraticForm,
            alignmentOurs: row.alignment,
            alignmentNumpy: ref.alignment,
          },
        };
        console.log('numpy check', name, JSON.stringify(reference[name]));
      }
    }
  }
  writeFileSync(
    join(HERE, LAYERS === 'both' ? 'alignment-results.json' : `alignment-results-${LAYERS}.json`),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        setup: {
          data: 'mnistSubset({count: 6000, seed: 0}), digits 3 (+1) vs 5 (−1), ‖x‖² = 784',
          splits: { select: SELECT, train: SIZES, test: TEST },
          density: P,
          informativePixels: TOP,
          kernel: `graphonNtk, layers '${LAYERS}', sigmaW2 1`,
        },
        results,
        numpyCheck: reference,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
