/**
 * Benchmark: Graphon-NTK Gram matrix for m = 2000 inputs of dimension 784 under a 64 × 64-block step
 * graphon, plus the generalisation bound, against numpy on the same inputs in the same run.
 *
 * Run: `pnpm --filter @graphon-pai/bounds bench` (sets raised glibc allocator thresholds for
 * both processes). Writes bench/results.json. Options: BENCH_REPEATS (default 3), BENCH_M (default 2000).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, readArrayNpy, runPython, writeArrayNpy } from '@graphon-pai/bench-utils';
import { Rng, StepGraphon } from '@graphon-pai/core';
import { availableProviders, type ProviderName, provider, setProvider } from '@graphon-pai/linalg';
import { generalisationBound, graphonNtk } from '../src';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const M = Number(process.env.BENCH_M ?? 2000);
const D = 784;
const BLOCKS = 64;

const rng = new Rng('bounds-bench');
const x = new Float64Array(M * D);
for (let i = 0; i < x.length; i++) x[i] = rng.normal();
// A structured heterogeneous graphon: neuron factor × input factor, in [0.02, 0.98].
const values = new Float64Array(BLOCKS * BLOCKS);
for (let a = 0; a < BLOCKS; a++) {
  for (let b = 0; b < BLOCKS; b++)
    values[a * BLOCKS + b] = 0.02 + 0.96 * ((a + 0.5) / BLOCKS) * (1 - (b + 0.5) / BLOCKS) ** 2;
}
const graphon = StepGraphon.uniformBlocks(BLOCKS, BLOCKS, values);
const y = new Float64Array(M);
for (let i = 0; i < M; i++) y[i] = x[i * D] + 0.5 * x[i * D + 1] > 0 ? 1 : -1;

const dir = mkdtempSync(join(tmpdir(), 'bounds-bench-'));
writeArrayNpy(join(dir, 'x.npy'), x, [M, D]);
writeArrayNpy(join(dir, 'row_cuts.npy'), graphon.rowCuts, [BLOCKS + 1]);
writeArrayNpy(join(dir, 'col_cuts.npy'), graphon.colCuts, [BLOCKS + 1]);
writeArrayNpy(join(dir, 'values.npy'), values, [BLOCKS * BLOCKS]);
writeArrayNpy(join(dir, 'y.npy'), y, [M]);

const input = { rows: M, cols: D, data: x };
const defaultProvider = provider();
// Every native provider present, default first: the float64 GEMM speed differs a lot between them.
const providers: ProviderName[] = [
  defaultProvider,
  ...availableProviders().filter((p) => p !== defaultProvider && (p === 'onnxruntime' || p === 'openblas')),
];
const oursByProvider: Record<
  string,
  { ntk: number; bound: number; total: number; ntkRuns: number[]; boundRuns: number[] }
> = {};
let kernel = graphonNtk(input, graphon);
let bound = generalisationBound(kernel, y);
for (const p of providers) {
  setProvider(p);
  const ntkTimes: number[] = [];
  const boundTimes: number[] = [];
  kernel = graphonNtk(input, graphon); // warm-up (JIT, provider load)
  bound = generalisationBound(kernel, y);
  for (let r = 0; r < REPEATS; r++) {
    let t = performance.now();
    kernel = graphonNtk(input, graphon);
    ntkTimes.push((performance.now() - t) / 1000);
    t = performance.now();
    bound = generalisationBound(kernel, y);
    boundTimes.push((performance.now() - t) / 1000);
  }
  const ntk = median(ntkTimes);
  const bd = median(boundTimes);
  oursByProvider[p] = { ntk, bound: bd, total: ntk + bd, ntkRuns: ntkTimes, boundRuns: boundTimes };
}
setProvider(defaultProvider);

// numpy gets its best BLAS configuration (runPython removes the OpenBLAS overrides for the peer only; the
// allocator settings are inherited).
const np = JSON.parse(runPython(join(HERE, 'peer.py'), [dir, REPEATS]).trim().split('\n').pop()!);
const kNumpy = readArrayNpy(join(dir, 'k_numpy.npy'));
let diff = 0;
let scale = 0;
for (let i = 0; i < kNumpy.length; i++) {
  diff = Math.max(diff, Math.abs(kNumpy[i] - kernel.data[i]));
  scale = Math.max(scale, Math.abs(kNumpy[i]));
}

const npBlocks = np.ntkBlocks + np.bound;
const npGrouped = np.ntkGrouped + np.bound;
const ratios: Record<string, Record<string, number>> = {};
for (const [p, o] of Object.entries(oursByProvider)) {
  ratios[p] = {
    totalVsNumpyBlocks: o.total / npBlocks,
    totalVsNumpyGrouped: o.total / npGrouped,
    ntkVsNumpyBlocks: o.ntk / np.ntkBlocks,
    ntkVsNumpyGrouped: o.ntk / np.ntkGrouped,
    boundVsNumpy: o.bound / np.bound,
  };
}
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; shared, noisy VM`,
  loadAverageAtEnd: loadavg(),
  allocator: {
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? null,
    MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? null,
  },
  defaultProvider,
  problem: { samples: M, inputs: D, rowBlocks: BLOCKS, colBlocks: BLOCKS, layers: 'both', repeats: REPEATS },
  oursSeconds: oursByProvider,
  numpySeconds: {
    ntkBlocks: np.ntkBlocks,
    ntkGrouped: np.ntkGrouped,
    bound: np.bound,
    totalBlocks: npBlocks,
    totalGrouped: npGrouped,
    ntkBlocksRuns: np.ntkBlocksRuns,
    ntkGroupedRuns: np.ntkGroupedRuns,
    boundRuns: np.boundRuns,
  },
  ratios,
  agreement: {
    kernelMaxRelDiff: diff / scale,
    numpyGroupedVsBlocks: np.groupedVsBlocksMaxRelDiff,
    leadingTerm: { ours: bound.leadingTerm, numpy: np.boundValues.leadingTerm },
    lambdaMin: { ours: bound.lambdaMin, numpy: np.boundValues.lambdaMin },
  },
  numpy: np.numpy,
  numpyThreadpool: np.threadpool,
};
writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  JSON.stringify(
    {
      defaultProvider: results.defaultProvider,
      ours: results.oursSeconds,
      numpy: results.numpySeconds,
      ratios: results.ratios,
      agreement: results.agreement,
    },
    null,
    2,
  ),
);
