/**
 * Benchmarks of @graphon-pai/graphon against numpy / scipy on the same inputs, in the same run.
 * Run: pnpm --filter @graphon-pai/graphon bench   (env BENCH_SIDE_HIST, BENCH_SIDE_SVD to change sizes)
 * Both sides run with MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ raised (engines.md).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BitMatrix } from '@graphon-pai/core';
import { truncatedSvd } from '@graphon-pai/linalg';
import { canonicalHistogram, maskOperator, usvtEstimate } from '../src';

const here = dirname(fileURLToPath(import.meta.url));
const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '268435456', MALLOC_TRIM_THRESHOLD_: '1073741824' };
const peer = join(here, 'peer.py');
const py = (...args: (string | number)[]) =>
  execFileSync('python3', [peer, ...args.map(String)], { env, encoding: 'utf8', maxBuffer: 1 << 26 });

/** Reads the bit-packed .npy written by peer.py (uint8, little bit order) as a BitMatrix. */
function readMask(path: string, rows: number, cols: number): BitMatrix {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const data = buf.subarray(10 + headerLen);
  const m = new BitMatrix(rows, cols);
  const bytesPerRow = Math.ceil(cols / 8);
  const out = new Uint8Array(m.words.buffer);
  for (let r = 0; r < rows; r++)
    out.set(data.subarray(r * bytesPerRow, (r + 1) * bytesPerRow), r * m.wordsPerRow * 4);
  return m;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time<T>(reps: number, f: () => T): { times: number[]; result: T } {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = f();
    times.push((performance.now() - t0) / 1000);
  }
  return { times, result };
}

const results: Record<string, unknown>[] = [];

// 1. Canonical 64 × 64 histogram of a 16384² mask at density 0.1.
{
  const side = Number(process.env.BENCH_SIDE_HIST ?? 16384);
  const path = join(tmpdir(), `graphon-bench-hist-${side}.npy`);
  py('gen', path, side, side, 0.1, 1);
  const mask = readMask(path, side, side);
  const ours = time(3, () => canonicalHistogram(mask, { rowBlocks: 64, colBlocks: 64 }));
  const theirs = JSON.parse(py('hist', path, side, side, 64, 64, 3));
  const r = {
    name: `canonical 64×64 histogram, ${side}² mask, density 0.1`,
    oursMedianSec: median(ours.times),
    numpyMedianSec: median(theirs.times),
    ratio: median(ours.times) / median(theirs.times),
    sameAnswer: Math.abs(ours.result.graphon.values[0] - theirs.h00) < 1e-12,
    memory: `ours: bit-packed mask ${(mask.words.byteLength / 2 ** 20).toFixed(0)} MiB + 64·cols counters; numpy: dense uint8 ${((side * side) / 2 ** 20).toFixed(0)} MiB + reordered copy`,
  };
  console.log(r);
  results.push(r);
}

// 2. Rank-32 truncated SVD (USVT) of a 4096² mask vs scipy.sparse.linalg.svds.
{
  const side = Number(process.env.BENCH_SIDE_SVD ?? 4096);
  const path = join(tmpdir(), `graphon-bench-svd-${side}.npy`);
  py('gen', path, side, side, 0.1, 2);
  const mask = readMask(path, side, side);
  const svd = time(3, () => truncatedSvd(maskOperator(mask), 32, { seed: 0 }));
  const usvt = time(1, () => usvtEstimate(mask, { maxRank: 32 }));
  const theirs = JSON.parse(py('svds', path, side, side, 32, 3));
  const maxRel = Math.max(
    ...theirs.s.map((s: number, i: number) => Math.abs(svd.result.values[i] - s) / theirs.s[0]),
  );
  const r = {
    name: `rank-32 truncated SVD of a ${side}² mask (density 0.1), bit-packed operator vs scipy svds (CSR)`,
    oursMedianSec: median(svd.times),
    scipyMedianSec: median(theirs.times),
    ratio: median(svd.times) / median(theirs.times),
    usvtTotalSec: usvt.times[0],
    maxRelativeSingularValueDifference: maxRel,
  };
  console.log(r);
  results.push(r);
}

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine: 'shared 2-core AMD EPYC VM, Node 20, numpy/scipy via python3; allocator thresholds raised on both sides; machine loaded by other agents', results }, null, 2)}\n`,
);
