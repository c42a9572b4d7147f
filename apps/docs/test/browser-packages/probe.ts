/**
 * One small computation through each package that ships a browser build, the same code run in Node (jest,
 * sources through the `source` condition) and in headless Chromium (bundled by esbuild through the
 * packages' `browser` condition, i.e. their `dist/browser.js`). The caller chooses and readies the tfjs
 * backend (cpu on both sides, so the network passes use the same float32 kernels).
 *
 * core: the seeded RNG stream and a bit-packed mask; linalg: a float64 GEMM and a symmetric eigenproblem;
 * nets: a Kaiming-normal MLP and its logits; saliency: SNIP scores on a seeded batch; masks: an exact-density
 * layer-wise mask; graphon: the canonical step graphon of the first layer's mask; cut-distance: its cut
 * distance to the constant graphon p.
 */
import { BitMatrix, networkMaskDensity, type PluginRegistry, Rng, StepGraphon } from '@graphon-pai/core';
import { cutDistance } from '@graphon-pai/cut-distance';
import { canonicalStepGraphon } from '@graphon-pai/graphon';
import { gemm, provider, symmetricEigen } from '@graphon-pai/linalg';
import { maskFromScores } from '@graphon-pai/masks';
import { makeBatch, Mlp } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';

export interface ProbeResult {
  provider: string;
  core: { uniforms: number[]; maskNnz: number; rowDegrees: number[] };
  linalg: { gemm: number[]; eigenvalues: number[] };
  nets: { firstWeights: number[] };
  saliency: { scoreSum: number; firstScores: number[] };
  masks: { kept: number; total: number; density: number };
  graphon: { values: number[] };
  cutDistance: { upperBound: number | null; alignedLowerBound: number };
}

/** Runs the probe; `registry` is core's (the global one, passed so the caller owns registration). */
export async function probe(registry: PluginRegistry): Promise<ProbeResult> {
  const rng = new Rng(7);
  const uniforms = Array.from({ length: 5 }, () => rng.uniform());
  const bits = new BitMatrix(6, 70);
  for (let q = 0; q < 6 * 70; q += 3) bits.set(Math.floor(q / 70), q % 70, true);

  const data = new Rng(11);
  const m = 7;
  const k = 9;
  const n = 5;
  const a = Float64Array.from({ length: m * k }, () => data.normal());
  const b = Float64Array.from({ length: k * n }, () => data.normal());
  const c = new Float64Array(m * n);
  gemm(false, false, m, n, k, 1, a, b, 0, c);
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s[i * k + j] = a[i] * a[j] + (i === j ? 1 : 0);
  const eigen = symmetricEigen(s, k);

  const network = Mlp.create({ widths: [20, 32, 4], init: 'kaiming-normal', seed: 3 });
  try {
    const batchRng = new Rng(5);
    const count = 24;
    const inputs = Float32Array.from({ length: count * 20 }, () => batchRng.uniform());
    const labels = Int32Array.from({ length: count }, (_, i) => i % 4);
    const batch = makeBatch(inputs, count, 20, { labels, classes: 4 });
    if (!registry.has('snip')) registerBuiltinCriteria(registry);
    const snip = registry.criterion<CriterionContext>('snip');
    const scores = await snip.spec.score({ network, data: batch, loss: 'cross-entropy', rng: new Rng(3) });
    const first = scores.get('0.weight')!;
    const mask = maskFromScores(scores, { density: 0.2, allocation: 'uniform' });
    const layer = mask.get('0.weight')!;
    const distance = cutDistance(layer, StepGraphon.constant(0.2), { alignment: 'canonical', seed: 3 });
    return {
      provider: provider(),
      core: { uniforms, maskNnz: bits.nnz(), rowDegrees: Array.from(bits.rowDegrees()) },
      linalg: { gemm: Array.from(c), eigenvalues: Array.from(eigen.values) },
      nets: { firstWeights: Array.from(network.weight(0).subarray(0, 8)) },
      saliency: {
        scoreSum: first.scores.reduce((sum, v) => sum + v, 0),
        firstScores: Array.from(first.scores.subarray(0, 8)),
      },
      masks: networkMaskDensity(mask),
      graphon: { values: Array.from(canonicalStepGraphon(layer, { rowBlocks: 4, colBlocks: 5 }).values) },
      cutDistance: { upperBound: distance.upperBound ?? null, alignedLowerBound: distance.alignedLowerBound },
    };
  } finally {
    network.dispose();
  }
}
