/**
 * Benchmarks of @graphon-pai/masks against numpy, in the same run on the same inputs.
 *
 * 1. Global top-k over 100 M float32 scores (10 layers of 2500 × 4000, |N(0,1)|, generated once by numpy
 *    into a temporary .npy read by both sides): ours = `selectTopK` to bit-packed masks; peer =
 *    `np.argpartition` + boolean mask. Separate processes, alternated, medians of REPS runs each; peak RSS
 *    of each process against the score array's size.
 * 2. 100-round iterative SynFlow (exponential schedule) on the 784-1024-1024-10 MLP: total time and the
 *    share of scoring vs selection; peer = the same algorithm in numpy (float64 scoring, argpartition over the still-kept weights).
 *
 * Both sides run with MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824.
 * Writes bench/results.json.   Usage: pnpm --filter @graphon-pai/masks bench [--n 100000000] [--reps 5]
 * [--rounds 100] [--only-synflow (keeps the top-k rows of the existing results.json)]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, peerEnv, writeArrayNpy } from '@graphon-pai/bench-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Mlp } from '@graphon-pai/nets';
import { PluginRegistry } from '@graphon-pai/core';
import { prune } from '../src';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N = opt('n', 100_000_000);
const REPS = opt('reps', 5);
const ROUNDS = opt('rounds', 100);
const ONLY_SYNFLOW = args.includes('--only-synflow');
// Both sides with the same allocator thresholds; OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (which linalg sets for the
// system OpenBLAS) removed, so the numpy peer runs its own best kernel.
const env = peerEnv({ MALLOC_MMAP_THRESHOLD_: '268435456', MALLOC_TRIM_THRESHOLD_: '1073741824' });
const here = dirname(fileURLToPath(import.meta.url));
const dir = join(tmpdir(), 'graphon-pai-masks-bench');
mkdirSync(dir, { recursive: true });

function run(cmd: string, argv: string[]): Record<string, unknown> {
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

async function main() {
  const scoresPath = join(dir, `scores-${N}.npy`);
  if (!existsSync(scoresPath) || statSync(scoresPath).size < N * 4) {
    run('python3', [join(here, 'peer.py'), 'gen', scoresPath, String(N), '0']);
  }
  const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const previous = ONLY_SYNFLOW ? JSON.parse(readFileSync(join(here, 'results.json'), 'utf8')) : null;
  const topk: Record<string, unknown>[] = previous ? previous.topk : [];
  const topkDate: string = previous ? (previous.topkDate ?? previous.date) : new Date().toISOString();
  for (const density of ONLY_SYNFLOW ? [] : [0.1, 0.01]) {
    const ours: Record<string, unknown>[] = [];
    const peer: Record<string, unknown>[] = [];
    for (let i = 0; i < 2; i++) {
      ours.push(
        run(tsx, [
          '--conditions=source',
          join(here, 'topk-ours.ts'),
          scoresPath,
          String(density),
          String(REPS),
        ]),
      );
      peer.push(run('python3', [join(here, 'peer.py'), 'topk', scoresPath, String(density), String(REPS)]));
    }
    const oursT = median(ours.flatMap((o) => o.total_s as number[]));
    const peerT = median(peer.flatMap((o) => o.total_s as number[]));
    const bytes = ours[0].scores_bytes as number;
    const oursPeak = Math.max(...ours.map((o) => o.peak_rss_bytes as number));
    const peerPeak = Math.max(...peer.map((o) => o.peak_rss_bytes as number));
    const row = {
      density,
      n: N,
      k: ours[0].k,
      keptOurs: ours[0].kept,
      keptPeer: peer[0].kept,
      oursMedianS: oursT,
      peerMedianS: peerT,
      ratio: oursT / peerT,
      peerArgpartitionMedianS: median(peer.flatMap((o) => o.argpartition_s as number[])),
      scoresBytes: bytes,
      oursPeakRss: oursPeak,
      oursPeakRssOverScores: oursPeak / bytes,
      oursExtraOverScores: (oursPeak - bytes) / bytes,
      peerPeakRss: peerPeak,
      peerPeakRssOverScores: peerPeak / bytes,
    };
    console.log(JSON.stringify(row));
    topk.push(row);
  }

  // SynFlow, 100 exponential rounds on 784-1024-1024-10.
  await tf.setBackend('cpu');
  await tf.ready();
  const net = Mlp.create({ widths: [784, 1024, 1024, 10], seed: 0, bias: false });
  // float32 weights, one .npy per layer, read by the peer in layer order.
  const weightPaths = net.layers.map((l, i) => {
    const path = join(dir, `synflow-w${i}.npy`);
    writeArrayNpy(path, net.weight(i), [l.shape.rows, l.shape.cols]);
    return path;
  });
  const density = 0.01;
  const res = await prune({
    network: net,
    criterion: 'synflow',
    density,
    seed: 0,
    registry: new PluginRegistry(),
    schedule: { kind: 'iterative', rounds: ROUNDS, shape: 'exponential' },
  });
  const peerSf = run('python3', [
    join(here, 'peer.py'),
    'synflow',
    String(density),
    String(ROUNDS),
    ...weightPaths,
  ]);
  const synflow = {
    widths: [784, 1024, 1024, 10],
    rounds: ROUNDS,
    density,
    oursTotalS: res.timings.totalMs / 1000,
    oursScoringS: res.timings.scoringMs / 1000,
    oursSelectionS: res.timings.selectionMs / 1000,
    oursSelectionShare: res.timings.selectionMs / res.timings.totalMs,
    peerTotalS: peerSf.total_s,
    peerScoringS: peerSf.scoring_s,
    peerSelectionS: peerSf.selection_s,
    ratioTotal: res.timings.totalMs / 1000 / (peerSf.total_s as number),
    ratioSelection: res.timings.selectionMs / 1000 / (peerSf.selection_s as number),
    keptOurs: [...res.mask.values()].reduce((a, m) => a + m.nnz(), 0),
    keptPeer: peerSf.kept,
  };
  console.log(JSON.stringify(synflow));
  net.dispose();
  const out = {
    date: new Date().toISOString(),
    topkDate,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; shared VM (other jobs running), medians`,
    allocator: 'MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 on both sides',
    topk,
    synflow,
  };
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
