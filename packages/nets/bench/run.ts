/**
 * Benchmarks of masked training, side by side with numpy doing the same arithmetic in the same run on the
 * same inputs (`peer.py`):
 *
 * - one masked step (10 % random mask, weight decay 5·10⁻⁴) of 784-1024-1024-10 at batch 256, with SGD
 *   (momentum 0.9) and with Adam, and its forward + backward alone;
 * - the three products of one 1024 × 1024 layer at batch 256 into preallocated outputs: forward `a·Wᵀ`,
 *   weight gradient `δᵀ·a`, input gradient `δ·W` (where the step's time goes);
 * - one epoch of a dense 784-300-100-10 on the 60,000 MNIST training digits, batch 128.
 *
 * Ours: `MaskedTrainer` — host float32 passes with the products on `@graphon-pai/linalg`'s GEMM provider
 * (the one it picks), fused optimiser updates. numpy
 * runs with `OPENBLAS_CORETYPE` / `OPENBLAS_L2_SIZE` unset in its command alone (they force older kernels
 * on numpy's OpenBLAS) and reports the kernel threadpoolctl sees; per task it takes the faster of its
 * default threads and one thread. The step tasks run in alternating rounds (numpy, ours, numpy, ours, numpy,
 * ours, numpy); each of our rounds is compared with the two numpy rounds around it and the reported ratio
 * is the median of the three (drift on a shared machine moves both sides of a round alike). The epoch runs
 * between a numpy run before and one after. Each row also gives the best-of ratio: our fastest run over
 * numpy's fastest, the figure closest to an undisturbed machine when other jobs share the cores. Both sides run with the glibc
 * allocator thresholds raised (package.json `bench` script). Results: `bench/results.json`.
 *
 *   pnpm --filter @graphon-pai/nets bench
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runPython, timedRuns } from '@graphon-pai/bench-utils';
import { BitMatrix, Rng, writeNpy } from '@graphon-pai/core';
import { gemm, provider, tuneAllocator } from '@graphon-pai/linalg';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { type Batch, loadMnist, MaskedTrainer, Mlp, mnistFiles } from '../src/index';
import { MlpTrainingPasses } from '../src/train/mlp-training-passes';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nets-bench-'));

interface Row {
  name: string;
  oursMs: number;
  peerMs: number;
  peerThreads: string;
  ratio: number;
  roundRatios?: number[];
  /** Fastest single run of each side over all rounds (closest to an undisturbed machine). */
  oursBestMs?: number;
  peerBestMs?: number;
  bestRatio?: number;
}
const rows: Row[] = [];

interface PeerTiming {
  median_ms: number;
  runs: number[];
}
type PeerOutput = Record<string, PeerTiming> & { threadpool?: unknown; numpy?: string };

/** numpy's thread settings tried; each task keeps the faster (on a loaded 2-core machine one thread can win). */
const PEER_THREADS: [string, Record<string, string>][] = [
  ['OpenBLAS default threads', {}],
  ['OPENBLAS_NUM_THREADS=1', { OPENBLAS_NUM_THREADS: '1' }],
];

let peerInfo: { numpy?: string; threadpool?: unknown } = {};

/** Runs the peer once per thread setting; per task, the runs of the faster setting and its name. */
function runPeer(tasks: object[]): Record<string, PeerTiming & { threads: string }> {
  const spec = join(dir, `tasks-${Date.now()}.json`);
  writeFileSync(spec, JSON.stringify(tasks));
  const best: Record<string, PeerTiming & { threads: string }> = {};
  for (const [threads, env] of PEER_THREADS) {
    // bench-utils' runPython unsets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for the peer command alone.
    const out = JSON.parse(runPython(join(here, 'peer.py'), [spec], { env })) as PeerOutput;
    if (threads === PEER_THREADS[0][0]) peerInfo = { numpy: out.numpy, threadpool: out.threadpool };
    for (const [name, t] of Object.entries(out)) {
      if (name === 'numpy' || name === 'threadpool') continue;
      const timing = t as PeerTiming;
      if (!best[name] || timing.median_ms < best[name].median_ms) best[name] = { ...timing, threads };
    }
  }
  return best;
}

/** Our rounds of the step tasks, between peer rounds (see main). */
const ROUNDS = 3;
const REPS = 15;
const PRODUCTS = ['forward a·Wᵀ (NT)', 'weight gradient δᵀ·a (TN)', 'input gradient δ·W (NN)'];

/**
 * A task timed in rounds: our round r against the mean of the peer rounds r and r + 1 around it. The row's
 * times are medians over all rounds; its ratio is the median of the per-round ratios (drift on a shared
 * machine moves both sides of a round alike).
 */
function recordRounds(name: string, ours: number[][], peer: (PeerTiming & { threads: string })[]): void {
  const ratios = ours.map((runs, r) => median(runs) / ((peer[r].median_ms + peer[r + 1].median_ms) / 2));
  const oursMs = median(ours.flat());
  const peerMs = median(peer.map((p) => p.median_ms));
  const threads = [...new Set(peer.map((p) => p.threads))].join(' / ');
  const oursBestMs = Math.min(...ours.flat());
  const peerBestMs = Math.min(...peer.flatMap((p) => p.runs));
  const row = {
    name,
    oursMs,
    peerMs,
    peerThreads: threads,
    ratio: median(ratios),
    roundRatios: ratios,
    oursBestMs,
    peerBestMs,
    bestRatio: oursBestMs / peerBestMs,
  };
  rows.push(row);
  console.log(
    `${name.padEnd(72)} ours ${oursMs.toFixed(1).padStart(6)} ms   numpy ${peerMs.toFixed(1).padStart(6)} ms   ratio ${row.ratio.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}); best ${oursBestMs.toFixed(1)} / ${peerBestMs.toFixed(1)} = ${row.bestRatio.toFixed(2)}`,
  );
}

/** Network, mask and the files peer.py reads. */
function setup(
  widths: number[],
  density: number,
  seed: number,
  folder: string,
): { net: Mlp; mask: Map<string, BitMatrix> } {
  const net = Mlp.create({ widths, activation: 'relu', seed });
  const rng = new Rng(seed + 1);
  const mask = new Map(
    net.layers.map((l) => [
      l.weightName,
      BitMatrix.from(l.shape.rows, l.shape.cols, () => rng.uniform() < density),
    ]),
  );
  for (const layer of net.layers) {
    const { rows: r, cols: c } = layer.shape;
    writeNpy(join(folder, `w${layer.index}.npy`), {
      dtype: 'F32',
      shape: [r, c],
      data: net.weight(layer.index),
    });
    writeNpy(join(folder, `b${layer.index}.npy`), { dtype: 'F32', shape: [r], data: net.bias(layer.index)! });
    writeNpy(join(folder, `m${layer.index}.npy`), {
      dtype: 'U8',
      shape: [r, c],
      data: mask.get(layer.weightName)!.toDense(),
    });
  }
  return { net, mask };
}

/** The CPU model with its family / model numbers and whether it has AVX-512 (the machine class varies). */
function describeCpu(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (key: string) => new RegExp(`^${key}\\s*: (.*)$`, 'm').exec(info)?.[1] ?? '?';
  const avx512 = /\bavx512f\b/.test(field('flags')) ? 'AVX-512' : 'no AVX-512';
  return `${cpus()[0]?.model ?? 'unknown CPU'} (family ${field('cpu family')}, model ${field('model')}, ${avx512}, ${cpus().length} cores)`;
}

async function main(): Promise<void> {
  tuneAllocator();
  const loadAtStart = loadavg();
  await tf.setBackend('cpu'); // holds the networks' tensors; training does not use tfjs
  const cpu = describeCpu();
  console.log(`ours: host float32 passes, products on ${provider()}; CPU ${cpu}`);

  // 1. One masked step of 784-1024-1024-10 at batch 256 (SGD and Adam; forward + backward alone), and the
  //    three products of its 1024 × 1024 layer.
  const sgdName = 'masked SGD step 784-1024-1024-10, batch 256';
  const adamName = 'masked Adam step 784-1024-1024-10, batch 256';
  const fwdName = 'forward + backward 784-1024-1024-10, batch 256';
  const stepFolder = join(dir, 'step');
  mkdirSync(stepFolder, { recursive: true });
  const { net, mask } = setup([784, 1024, 1024, 10], 0.1, 0, stepFolder);
  const rng = new Rng(7);
  const x = rng.normalArray(256 * 784, 0, 1, new Float32Array(256 * 784));
  const labels = Int32Array.from({ length: 256 }, () => rng.int(10));
  const batch: Batch = { inputs: x, count: 256, features: 784, labels, classes: 10 };
  writeNpy(join(dir, 'x.npy'), { dtype: 'F32', shape: [256, 784], data: x });
  writeNpy(join(dir, 'y.npy'), { dtype: 'I32', shape: [256], data: labels });
  const a = rng.normalArray(256 * 1024, 0, 1, new Float32Array(256 * 1024));
  const delta = rng.normalArray(256 * 1024, 0, 1, new Float32Array(256 * 1024));
  const w = rng.normalArray(1024 * 1024, 0, 1, new Float32Array(1024 * 1024));
  writeNpy(join(dir, 'a.npy'), { dtype: 'F32', shape: [256, 1024], data: a });
  writeNpy(join(dir, 'delta.npy'), { dtype: 'F32', shape: [256, 1024], data: delta });
  writeNpy(join(dir, 'w.npy'), { dtype: 'F32', shape: [1024, 1024], data: w });
  const productsName = 'products of a 1024 × 1024 layer, batch 256';
  const data = { folder: stepFolder, layers: 3, x: join(dir, 'x.npy'), y: join(dir, 'y.npy') };
  const sgd = { kind: 'sgd' as const, momentum: 0.9, weightDecay: 5e-4 };
  const adam = { kind: 'adam' as const, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 5e-4 };
  const stepTasks = [
    { ...sgd, name: sgdName, kind: 'step', reps: REPS, lr: 0.01, optimizer: 'sgd', ...data },
    { ...adam, name: adamName, kind: 'step', reps: REPS, lr: 1e-3, optimizer: 'adam', ...data },
    { name: fwdName, kind: 'gradients', reps: REPS, weightDecay: 0, ...data },
    {
      name: productsName,
      kind: 'products',
      reps: REPS,
      a: join(dir, 'a.npy'),
      delta: join(dir, 'delta.npy'),
      w: join(dir, 'w.npy'),
    },
  ];
  // The passes alone, at the masked weights.
  const passes = new MlpTrainingPasses(net);
  const params = {
    weights: net.layers.map((l) => {
      const m = mask.get(l.weightName)!.toDense();
      return net.weight(l.index).map((v, i) => (m[i] ? v : 0));
    }),
    biases: net.layers.map((l) => net.bias(l.index)),
  };
  const grads = {
    weights: net.layers.map((l) => new Float32Array(l.shape.rows * l.shape.cols)),
    biases: net.layers.map((l) => new Float32Array(l.shape.rows)),
  };
  const out = new Float32Array(256 * 1024);
  const gw = new Float32Array(1024 * 1024);
  /** One round of our side: runs per task (and the forward pass alone, for the breakdown). */
  const oursRound = (): Record<string, number[]> => {
    const stepRuns = (optimizer: typeof sgd | typeof adam, lr: number) => {
      const trainer = new MaskedTrainer(net, { learningRate: lr, optimizer, mask });
      const runs = timedRuns(() => trainer.step(batch, lr), REPS);
      trainer.dispose();
      return runs;
    };
    return {
      [sgdName]: stepRuns(sgd, 0.01),
      [adamName]: stepRuns(adam, 1e-3),
      [fwdName]: timedRuns(() => {
        passes.forward(params, batch, 'cross-entropy');
        passes.backward(grads);
      }, REPS),
      forward: timedRuns(() => passes.forward(params, batch, 'cross-entropy'), REPS),
      [`${productsName} / forward a·Wᵀ (NT)`]: timedRuns(
        () => gemm(false, true, 256, 1024, 1024, 1, a, w, 0, out),
        REPS,
      ),
      [`${productsName} / weight gradient δᵀ·a (TN)`]: timedRuns(
        () => gemm(true, false, 1024, 1024, 256, 1, delta, a, 0, gw),
        REPS,
      ),
      [`${productsName} / input gradient δ·W (NN)`]: timedRuns(
        () => gemm(false, false, 256, 1024, 1024, 1, delta, w, 0, out),
        REPS,
      ),
    };
  };
  // Rounds peer, ours, peer, ours, …, peer: each of our rounds is compared with the peer rounds around it.
  const peerRounds = [runPeer(stepTasks)];
  const oursRounds: Record<string, number[]>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    oursRounds.push(oursRound());
    peerRounds.push(runPeer(stepTasks));
  }
  net.dispose();
  for (const name of [sgdName, adamName, fwdName, ...PRODUCTS.map((k) => `${productsName} / ${k}`)]) {
    recordRounds(
      name,
      oursRounds.map((o) => o[name]),
      peerRounds.map((p) => p[name]),
    );
  }
  const best = (name: string) => Math.min(...oursRounds.flatMap((o) => o[name]));
  const breakdown = {
    forwardMs: best('forward'),
    backwardMs: best(fwdName) - best('forward'),
    sgdUpdateMs: best(sgdName) - best(fwdName),
    adamUpdateMs: best(adamName) - best(fwdName),
  };
  console.log(
    `ours, best of ${ROUNDS * REPS} (ms; differences of best-of times, within ±0.3 ms of noise): forward ${breakdown.forwardMs.toFixed(1)}, backward ${breakdown.backwardMs.toFixed(1)}, SGD step − forward − backward ${breakdown.sgdUpdateMs.toFixed(1)}, Adam step − forward − backward ${breakdown.adamUpdateMs.toFixed(1)}`,
  );

  // 2. One epoch of a dense 784-300-100-10 on the 60,000 training digits, batch 128.
  const epochName = 'epoch 784-300-100-10 on 60,000 MNIST digits, batch 128 (SGD, momentum 0.9)';
  const epochFolder = join(dir, 'epoch');
  mkdirSync(epochFolder, { recursive: true });
  const dense = setup([784, 300, 100, 10], 1, 0, epochFolder);
  const train = await loadMnist({ split: 'train' });
  const order = new Rng(0).fork('shuffle/0').permutation(train.count);
  writeNpy(join(dir, 'order.npy'), { dtype: 'U32', shape: [order.length], data: order });
  const files = mnistFiles('train');
  const epochTasks = [
    {
      name: epochName,
      kind: 'epoch',
      reps: 2,
      folder: epochFolder,
      layers: 3,
      momentum: 0.9,
      weightDecay: 0,
      lr: 0.1,
      batch: 128,
      images: files.images,
      labels: files.labels,
      order: join(dir, 'order.npy'),
    },
  ];
  const epochBefore = runPeer(epochTasks);
  const epochTrainer = new MaskedTrainer(dense.net, {
    learningRate: 0.1,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    batchSize: 128,
  });
  let e = 0;
  const epochRuns = timedRuns(() => epochTrainer.epoch(train, e++), 3, 0);
  epochTrainer.dispose();
  dense.net.dispose();
  const epochAfter = runPeer(epochTasks);
  recordRounds(epochName, [epochRuns], [epochBefore[epochName], epochAfter[epochName]]);

  const results = {
    date: new Date().toISOString(),
    cpu,
    ours: { passes: 'host float32', provider: provider(), node: process.version },
    breakdown,
    loadAverage: { start: loadAtStart, end: loadavg() },
    peer: {
      ...peerInfo,
      env: 'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; per task the faster of default threads and OPENBLAS_NUM_THREADS=1',
    },
    rows,
  };
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `numpy ${peerInfo.numpy}, threadpool: ${JSON.stringify(peerInfo.threadpool)}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
