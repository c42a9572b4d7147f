/**
 * One measurement process for the global top-k benchmark (spawned by run.ts so that its peak RSS is its
 * own): loads the `.npy` scores straight into one Float32Array (no copy), views it as 10 layers, runs
 * `selectTopK` REPS times, prints JSON (times, kept count, peak RSS).
 *
 *     tsx --conditions=source bench/topk-ours.ts SCORES.npy DENSITY REPS
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readNpyHeader, type ScoreMap } from '@graphon-pai/core';
import { keptCount, SelectionWorkspace, selectTopK } from '../src';

const [path, densityArg, repsArg] = process.argv.slice(2);
const density = Number(densityArg);
const reps = Number(repsArg);
const header = readNpyHeader(path);
const n = header.shape.reduce((a, b) => a * b, 1);
const scores = new Float32Array(n);
const fd = openSync(path, 'r');
const bytes = new Uint8Array(scores.buffer);
for (let off = 0; off < bytes.length; ) {
  const got = readSync(fd, bytes, off, Math.min(1 << 26, bytes.length - off), header.dataStart + off);
  if (got <= 0) throw new Error('short read');
  off += got;
}
closeSync(fd);
const layers = 10;
const rows = 2500;
const cols = n / layers / rows;
const map: ScoreMap = new Map();
for (let l = 0; l < layers; l++) {
  map.set(`${2 * l}.weight`, {
    shape: { rows, cols },
    scores: scores.subarray(l * rows * cols, (l + 1) * rows * cols),
  });
}
const rssAfterLoad = process.memoryUsage().rss;
const k = keptCount(density, n);
const ws = new SelectionWorkspace();
const times: number[] = [];
let kept = 0;
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const mask = selectTopK(map, k, { workspace: ws });
  times.push((performance.now() - t0) / 1000);
  kept = 0;
  for (const m of mask.values()) kept += m.nnz();
}
const sorted = [...times].sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    n,
    k,
    kept,
    total_s: times,
    median_total_s: sorted[Math.floor(sorted.length / 2)],
    scores_bytes: scores.byteLength,
    rss_after_load_bytes: rssAfterLoad,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
