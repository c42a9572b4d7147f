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
 * MALLOC_TRIM_THRESHOLD_ for this process and, inherited, for python.
 * Writes bench/results.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runPython } from '@graphon-pai/bench-utils';
import { Rng, writeNpy } from '@graphon-pai/core';
import { availableProviders, installFastMatMul, provider } from '@graphon-pai/linalg';
import { type Batch, Mlp, mnistSubset } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { graspScores, type ScoreMapLike, snipScores, synflowScores } from './scores';

const here = dirname(fileURLToPath(import.meta.url));
const REPS = Number(process.env.BENCH_REPS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'saliency-bench-'));

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
  roundRatios: number[];
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
  // Interleaved rounds (ours, then numpy, on the same inputs), because the load of this shared machine
  // changes within seconds: each round gives a ratio per criterion; we report the median over rounds of the
  // ratios (and of each side's per-round median time).
  type Timed = { ms: number; last: ScoreMapLike };
  const oursRounds: Record<string, Timed[]> = { snip: [], grasp: [], synflow: [] };
  const peerRounds: Record<string, { median_ms: number; checksum: number[] }[]> = {
    snip: [],
    grasp: [],
    synflow: [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    oursRounds.snip.push(time(() => snipScores(net, batch)));
    oursRounds.grasp.push(time(() => graspScores(net, batch, { samplesPerClass: 0, temperature: 200 })));
    oursRounds.synflow.push(time(() => synflowScores(net)));
    // runPython: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for the peer alone (numpy on its best kernel).
    const p = JSON.parse(runPython(join(here, 'peer.py'), [dir, name, REPS])) as Record<
      string,
      { median_ms: number; checksum: number[] }
    >;
    for (const k of Object.keys(peerRounds)) peerRounds[k].push(p[k]);
  }
  const out: CaseResult[] = [];
  for (const criterion of ['snip', 'grasp', 'synflow'] as const) {
    const mine = checksum(oursRounds[criterion][0].last);
    const theirs = peerRounds[criterion][0].checksum;
    const diff = Math.max(...mine.map((v, l) => Math.abs(v - theirs[l]) / Math.abs(theirs[l])));
    const ratios = oursRounds[criterion].map((o, i) => o.ms / peerRounds[criterion][i].median_ms);
    const row = {
      case: name,
      criterion,
      oursMs: median(oursRounds[criterion].map((o) => o.ms)),
      numpyMs: median(peerRounds[criterion].map((p) => p.median_ms)),
      ratio: median(ratios),
      roundRatios: ratios,
      checksumRelDiff: diff,
    };
    out.push(row);
    console.log(
      `${name.padEnd(28)} ${criterion.padEnd(8)} ours ${row.oursMs.toFixed(1).padStart(8)} ms   numpy ${row.numpyMs
        .toFixed(1)
        .padStart(
          8,
        )} ms   ratio ${row.ratio.toFixed(2)} (rounds ${ratios.map((v) => v.toFixed(2)).join(' ')})   checksum Δ ${diff.toExponential(1)}`,
    );
  }
  const graspOverSnip = median(oursRounds.grasp.map((g, i) => g.ms / oursRounds.snip[i].ms));
  console.log(`${name.padEnd(28)} GraSP / SNIP (ours, median over rounds) ${graspOverSnip.toFixed(2)}`);
  out.push({
    case: name,
    criterion: 'grasp/snip (ours)',
    oursMs: Number.NaN,
    numpyMs: Number.NaN,
    ratio: graspOverSnip,
    roundRatios: oursRounds.grasp.map((g, i) => g.ms / oursRounds.snip[i].ms),
    checksumRelDiff: 0,
  });
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
