/**
 * Benchmark: Graphon-NTK Gram matrix for m = 2000 inputs of dimension 784 under a 64 × 64-block step
 * graphon, plus the generalisation bound, against numpy on the same inputs in the same run.
 *
 * Run: `pnpm --filter @graphon-pai/bounds bench` (sets raised glibc allocator thresholds for
 * both processes). Writes bench/results.json. Options: BENCH_REPEATS (default 3), BENCH_M (default 2000).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, StepGraphon } from '@graphon-pai/core';
import { availableProviders, type ProviderName, provider, setProvider } from '@graphon-pai/linalg';
import { generalisationBound, graphonNtk } from '../src';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const M = Number(process.env.BENCH_M ?? 2000);
const D = 784;
const BLOCKS = 64;

function writeNpy(path: string, data: Float64Array, shape: number[]): void {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += `${' '.repeat((64 - (total % 64)) % 64)}\n`;
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  writeFileSync(
    path,
    Buffer.concat([
      pre,
      Buffer.from(header, 'latin1'),
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    ]),
  );
}

function readNpy(path: string): Float64Array {
  const buf = readFileSync(path);
  const len = buf.readUInt16LE(8);
  const body = buf.subarray(10 + len);
  return new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

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
writeNpy(join(dir, 'x.npy'), x, [M, D]);
writeNpy(join(dir, 'row_cuts.npy'), graphon.rowCuts, [BLOCKS + 1]);
writeNpy(join(dir, 'col_cuts.npy'), graphon.colCuts, [BLOCKS + 1]);
writeNpy(join(dir, 'values.npy'), values, [BLOCKS * BLOCKS]);
writeNpy(join(dir, 'y.npy'), y, [M]);

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

// numpy gets its best BLAS configuration: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (needed by the system
// OpenBLAS our provider loads) are removed for the peer only; the allocator settings are inherited.
const peerEnv = { ...process.env };
delete peerEnv.OPENBLAS_CORETYPE;
delete peerEnv.OPENBLAS_L2_SIZE;
const peer = spawnSync('python3', [join(HERE, 'peer.py'), dir, String(REPEATS)], {
  env: peerEnv,
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
if (peer.status !== 0) throw new Error(`numpy peer failed: ${peer.stderr}`);
const np = JSON.parse(peer.stdout.trim().split('\n').pop()!);
const kNumpy = readNpy(join(dir, 'k_numpy.npy'));
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
