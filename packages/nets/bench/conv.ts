/**
 * Convolution forward + backward (`conv2dForward`, then `conv2dBackward`: weight and input gradients) on
 * im2col + the fast GEMM, against numpy doing the same im2col arithmetic (bench/conv_peer.py) in the same run,
 * on the same inputs (.npy files). Prints a table and writes bench/conv-results.json with ratios ours / numpy, the GEMM provider, the CPU (lscpu) and
 * the BLAS kernel numpy's threadpoolctl reports.
 *
 *   pnpm --filter @graphon-pai/nets bench
 *
 * The `bench` script sets MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ for this process and, by inheritance,
 * for python; the peer runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (bench-utils' peerEnv).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runPython, timedRuns, writeArrayNpy } from '@graphon-pai/bench-utils';
import { Rng } from '@graphon-pai/core';
import { provider } from '@graphon-pai/linalg';
import {
  conv2dBackward,
  conv2dChunk,
  conv2dForward,
  conv2dGeometry,
  conv2dPatchSize,
} from '../src/conv/conv2d';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nets-conv-bench-'));
const rng = new Rng('nets-conv-bench');
const REPS = 15;

const cases = [
  {
    name: 'lenet conv1 256×1×28×28 → 6, 5×5 pad 2',
    count: 256,
    inChannels: 1,
    outChannels: 6,
    height: 28,
    width: 28,
    kernel: 5,
    padding: 2,
  },
  {
    name: 'lenet conv2 256×6×14×14 → 16, 5×5',
    count: 256,
    inChannels: 6,
    outChannels: 16,
    height: 14,
    width: 14,
    kernel: 5,
    padding: 0,
  },
  {
    name: 'vgg conv 128×32×14×14 → 64, 3×3 pad 1',
    count: 128,
    inChannels: 32,
    outChannels: 64,
    height: 14,
    width: 14,
    kernel: 3,
    padding: 1,
  },
  {
    name: 'vgg conv 64×64×7×7 → 64, 3×3 pad 1',
    count: 64,
    inChannels: 64,
    outChannels: 64,
    height: 7,
    width: 7,
    kernel: 3,
    padding: 1,
  },
];

const time = (fn: () => void): number => median(timedRuns(fn, REPS));

function cpuName(): string {
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8' });
    const model = /Model name:\s*(.+)/.exec(out)?.[1]?.trim() ?? 'unknown';
    const family = /CPU family:\s*(\d+)/.exec(out)?.[1] ?? '?';
    const number = /^Model:\s*(\d+)/m.exec(out)?.[1] ?? '?';
    const avx512 = /\bavx512f\b/.test(out) ? 'AVX-512' : 'no AVX-512';
    return `${model} family ${family} model ${number} (${avx512}, ${/^CPU\(s\):\s*(\d+)/m.exec(out)?.[1] ?? '?'} CPUs)`;
  } catch {
    return 'unknown (lscpu failed)';
  }
}

/** Samples per chunk when the compact im2col matrix may hold 2²² floats (the peer's own chunking). */
const classicChunk = (g: ReturnType<typeof conv2dGeometry>, count: number) =>
  Math.max(1, Math.min(count, Math.floor((1 << 22) / (conv2dPatchSize(g) * g.outHeight * g.outWidth))));

/** Σ v² in float64: a cancellation-free checksum of each result. */
const sumSquares = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0);

function main(): void {
  const tasks: Record<string, unknown>[] = [];
  const inputs = cases.map((c, k) => {
    const g = conv2dGeometry(c);
    const x = rng.normalArray(
      c.count * c.inChannels * c.height * c.width,
      0,
      1,
      new Float32Array(c.count * c.inChannels * c.height * c.width),
    );
    const w = rng.normalArray(
      c.outChannels * c.inChannels * c.kernel * c.kernel,
      0,
      0.1,
      new Float32Array(c.outChannels * c.inChannels * c.kernel * c.kernel),
    );
    const gy = rng.normalArray(
      c.count * c.outChannels * g.outHeight * g.outWidth,
      0,
      1,
      new Float32Array(c.count * c.outChannels * g.outHeight * g.outWidth),
    );
    const files = { x: join(dir, `x${k}.npy`), w: join(dir, `w${k}.npy`), gy: join(dir, `gy${k}.npy`) };
    writeArrayNpy(files.x, x, [x.length]);
    writeArrayNpy(files.w, w, [w.length]);
    writeArrayNpy(files.gy, gy, [gy.length]);
    tasks.push({
      name: c.name,
      ...files,
      xShape: [c.count, c.inChannels, c.height, c.width],
      wShape: [c.outChannels, c.inChannels, c.kernel, c.kernel],
      sh: 1,
      sw: 1,
      ph: c.padding,
      pw: c.padding,
      // Ours, then numpy's natural chunk (whole batches of at most 2²² im2col floats); the peer keeps the faster.
      chunks: [conv2dChunk(g, c.count), classicChunk(g, c.count)],
      reps: REPS,
    });
    return { c, g, x, w, gy };
  });
  const spec = join(dir, 'tasks.json');
  writeFileSync(spec, JSON.stringify(tasks));
  // numpy before and after ours; its time is the median over both rounds (drift on a shared machine).
  const before = JSON.parse(runPython(join(here, 'conv_peer.py'), [spec]));
  const ours = inputs.map(({ c, g, x, w, gy }) => {
    const step = () => {
      const y = conv2dForward(x, c.count, w, g);
      const { weight: dw, input: dx } = conv2dBackward(gy, x, w, c.count, g);
      return { y, dw, dx: dx! };
    };
    const r = step();
    return { ms: time(step), checksum: [sumSquares(r.y), sumSquares(r.dw), sumSquares(r.dx)] };
  });
  const after = JSON.parse(runPython(join(here, 'conv_peer.py'), [spec]));
  const rows = inputs.map(({ c }, k) => {
    // Each round already took the faster of default threads and one thread; drift: median over both rounds.
    const peerMs = median([...before[c.name].runs, ...after[c.name].runs]);
    const peerSum: number[] = before[c.name].checksum;
    const agree = ours[k].checksum.every((s, i) => Math.abs(s - peerSum[i]) <= 1e-4 * peerSum[i]);
    const peerThreads = `${before[c.name].threads}/${after[c.name].threads}`;
    const peerChunks = `${before[c.name].chunk}/${after[c.name].chunk}`;
    return {
      name: c.name,
      oursMs: ours[k].ms,
      peerMs,
      peerThreads,
      peerChunks,
      ratio: ours[k].ms / peerMs,
      checksumsAgree: agree,
    };
  });
  const kernel = (
    before.threadpool as {
      internal_api?: string;
      version?: string;
      architecture?: string;
      num_threads?: number;
    }[]
  )
    .map((t) => `${t.internal_api} ${t.version} ${t.architecture} × ${t.num_threads} threads`)
    .join('; ');
  const meta = {
    cpu: cpuName(),
    provider: provider(),
    numpyKernel: kernel,
    loadavg: loadavg().map((v) => v.toFixed(1)),
    date: new Date().toISOString(),
  };
  console.log(
    `CPU ${meta.cpu}; provider ${meta.provider}; numpy ${meta.numpyKernel}; load ${meta.loadavg.join(' ')}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(42)} ours ${r.oursMs.toFixed(1).padStart(8)} ms   numpy ${r.peerMs.toFixed(1).padStart(8)} ms (threads ${r.peerThreads}, chunk ${r.peerChunks})   ratio ${r.ratio.toFixed(2)}${r.checksumsAgree ? '' : '   CHECKSUMS DIFFER'}`,
    );
  }
  writeFileSync(join(here, 'conv-results.json'), `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
}

main();
