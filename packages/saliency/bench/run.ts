/**
 * Benchmarks of the saliency criteria against numpy doing the same arithmetic in the same run, on the same
 * inputs (weights, biases, batch handed over as .npy files):
 *
 *   - MLP 784-1024-1024-10, ReLU, batch 256 of MNIST (class-balanced subset, seed 0);
 *   - MLP 1024-4096-1024, ReLU, batch 256 of Gaussian inputs, 1024 classes.
 *
 * Ours: tfjs-wasm with `@graphon-pai/linalg`'s `installFastMatMul` (every matmul on the fastest GEMM
 * provider here), SNIP = `snipScores`, GraSP = `graspScores` on the same 256 examples (`samplesPerClass: 0`,
 * T = 200), SynFlow = one `synflowScores` pass. Peer: `bench/peer.py` (numpy float32, OpenBLAS).
 * Medians over `REPS` runs after a warm-up. The `bench` script sets MALLOC_MMAP_THRESHOLD_ /
 * MALLOC_TRIM_THRESHOLD_ (engines.md) for this process and, inherited, for python.
 * Writes bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, writeNpy } from '@graphon-pai/core';
import { availableProviders, installFastMatMul, provider } from '@graphon-pai/linalg';
import { type Batch, Mlp, mnistSubset } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { graspScores, type ScoreMapLike, snipScores, synflowScores } from './scores';

const here = dirname(fileURLToPath(import.meta.url));
const REPS = Number(process.env.BENCH_REPS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'saliency-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time<T>(fn: () => T): { ms: number; last: T } {
  let last = fn();
  const runs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    last = fn();
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), last };
}

function checksum(s: ScoreMapLike): number[] {
  return [...s.values()].map(({ scores }) => {
    let t = 0;
    for (let i = 0; i < scores.length; i++) t += Math.abs(scores[i]);
    return t;
  });
}

interface CaseResult {
  case: string;
  criterion: string;
  oursMs: number;
  numpyMs: number;
  ratio: number;
  checksumRelDiff: number;
}

async function runCase(name: string, net: Mlp, batch: Batch): Promise<CaseResult[]> {
  net.layers.forEach((layer, l) => {
    writeNpy(join(dir, `${name}.W${l}.npy`), {
      dtype: 'F32',
      shape: [layer.shape.rows, layer.shape.cols],
      data: net.weight(l),
    });
    writeNpy(join(dir, `${name}.b${l}.npy`), { dtype: 'F32', shape: [layer.shape.rows], data: net.bias(l)! });
  });
  writeNpy(join(dir, `${name}.x.npy`), {
    dtype: 'F32',
    shape: [batch.count, batch.features],
    data: batch.inputs,
  });
  writeNpy(join(dir, `${name}.y.npy`), { dtype: 'I32', shape: [batch.count], data: batch.labels! });
  // Interleaved rounds (ours, then numpy, repeated): on a shared machine the load changes between the two
  // sides; each side's time is the smallest of its per-round medians.
  type Timed = { ms: number; last: ScoreMapLike };
  const best: Record<string, Timed> = {};
  const peer: Record<string, { median_ms: number; checksum: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const ours: Record<string, Timed> = {
      snip: time(() => snipScores(net, batch)),
      grasp: time(() => graspScores(net, batch, { samplesPerClass: 0, temperature: 200 })),
      synflow: time(() => synflowScores(net)),
    };
    for (const k of Object.keys(ours)) if (!best[k] || ours[k].ms < best[k].ms) best[k] = ours[k];
    const r = spawnSync('python3', [join(here, 'peer.py'), dir, name, String(REPS)], {
      encoding: 'utf8',
      env: process.env,
    });
    if (r.status !== 0) throw new Error(`peer.py failed: ${r.stderr}`);
    const p = JSON.parse(r.stdout) as typeof peer;
    for (const k of Object.keys(p)) if (!peer[k] || p[k].median_ms < peer[k].median_ms) peer[k] = p[k];
  }
  const ours = best;
  const out: CaseResult[] = [];
  for (const criterion of ['snip', 'grasp', 'synflow'] as const) {
    const mine = checksum(ours[criterion].last);
    const theirs = peer[criterion].checksum;
    const diff = Math.max(...mine.map((v, l) => Math.abs(v - theirs[l]) / Math.abs(theirs[l])));
    const row = {
      case: name,
      criterion,
      oursMs: ours[criterion].ms,
      numpyMs: peer[criterion].median_ms,
      ratio: ours[criterion].ms / peer[criterion].median_ms,
      checksumRelDiff: diff,
    };
    out.push(row);
    console.log(
      `${name.padEnd(28)} ${criterion.padEnd(8)} ours ${row.oursMs.toFixed(1).padStart(8)} ms   numpy ${row.numpyMs
        .toFixed(1)
        .padStart(8)} ms   ratio ${row.ratio.toFixed(2)}   checksum Δ ${diff.toExponential(1)}`,
    );
  }
  const snip = out.find((r) => r.criterion === 'snip')!;
  const grasp = out.find((r) => r.criterion === 'grasp')!;
  console.log(`${name.padEnd(28)} GraSP / SNIP (ours) ${(grasp.oursMs / snip.oursMs).toFixed(2)}`);
  return out;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  installFastMatMul(tf);
  console.log(
    `tfjs backend ${tf.getBackend()}, GEMM provider ${provider()} (available: ${availableProviders().join(', ')})`,
  );
  const results: CaseResult[] = [];
  const mnist = await mnistSubset({ count: 256, seed: 0 });
  const a = Mlp.create({ widths: [784, 1024, 1024, 10], activation: 'relu', seed: 0 });
  results.push(...(await runCase('mnist-784-1024-1024-10', a, mnist)));
  a.dispose();
  const rng = new Rng('saliency-bench');
  const gauss: Batch = {
    inputs: rng.normalArray(256 * 1024, 0, 1, new Float32Array(256 * 1024)),
    count: 256,
    features: 1024,
    labels: Int32Array.from({ length: 256 }, () => rng.int(1024)),
    classes: 1024,
  };
  const b = Mlp.create({ widths: [1024, 4096, 1024], activation: 'relu', seed: 1 });
  results.push(...(await runCase('gauss-1024-4096-1024', b, gauss)));
  b.dispose();
  writeFileSync(
    join(here, 'results.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
          .map((v) => v.toFixed(1))
          .join('/')} (shared machine: treat ratios as the signal)`,
        node: process.version,
        tfjsBackend: 'wasm',
        gemmProvider: provider(),
        reps: REPS,
        rounds: ROUNDS,
        allocator: {
          MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_,
          MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_,
        },
        results,
      },
      null,
      2,
    )}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
