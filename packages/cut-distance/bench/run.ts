/**
 * Cut-norm benchmark: ours vs a numpy re-implementation of cutnorm's algorithm (bench/cutnorm_peer.py),
 * same inputs (written as .npy), same run. Reports medians, ratios ours/peer and fitted growth exponents;
 * writes bench/results.json.
 *
 *   pnpm --filter @graphon-pai/cut-distance bench            # full run
 *   QUICK=1 pnpm --filter @graphon-pai/cut-distance bench    # smaller sizes
 *   SECTIONS=certificates pnpm --filter @graphon-pai/cut-distance bench   # some of er, mask, certificates
 *   PHASE_CLOCK=wall …                                      # per-phase times in wall ms (default CPU ms)
 *
 * A run of some sections replaces only those sections in results.json (each carries its own date, machine
 * and calibration); the other sections keep the values of the run that wrote them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, peerEnv as peerEnvironment, writeArrayNpy } from '@graphon-pai/bench-utils';
import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import { type FsmModel, fsmLimit, sampleFsmMask } from '@graphon-pai/graphon';
import { choleskyInPlace, lapackAvailable, provider, setProvider } from '@graphon-pai/linalg';
import { type CutNormOptions, type CutNormResult, cutDistance, cutNorm, difference } from '../src/index';
import { clock } from '../src/internal/clock';
import { lowerGram } from '../src/internal/lower-gram';

/** Process CPU time (user + system, ms): load inflates it far less than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
// Per-phase timings (result.phaseMs) in CPU ms, for the same reason.
// PHASE_CLOCK=wall keeps wall time per phase instead (multithreaded GEMMs count once, not per thread).
const phaseClock = process.env.PHASE_CLOCK === 'wall' ? 'wall' : 'cpu';
if (phaseClock === 'cpu') clock.now = cpuMs;
const load = () => loadavg().map((x) => Number(x.toFixed(1)));

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.QUICK === '1';
const sections = new Set((process.env.SECTIONS ?? '').split(',').filter((x) => x !== ''));
const want = (section: 'er' | 'mask' | 'certificates') => sections.size === 0 || sections.has(section);
const dir = mkdtempSync(join(tmpdir(), 'cutnorm-bench-'));
const peerEnv = peerEnvironment({
  MALLOC_MMAP_THRESHOLD_: '268435456',
  MALLOC_TRIM_THRESHOLD_: '1073741824',
});

/** Least-squares slope of log(time) against log(n). */
function exponent(ns: number[], ts: number[]): number {
  const x = ns.map(Math.log);
  const y = ts.map(Math.log);
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

interface PeerRun {
  seconds: number;
  rounded: number;
  sdp: number;
  iterations: number;
  evaluations: number;
  rank: number;
}

function runPeer(
  aPath: string,
  bPath: string,
  seed: number,
  reps: number,
): { threads: number; runs: PeerRun[] } {
  // OpenBLAS threads: PEER_THREADS (default "1"; e.g. "1,2" takes whichever is faster). On this shared,
  // oversubscribed machine a second OpenBLAS thread made the peer several times slower (spinning).
  const settings = (process.env.PEER_THREADS ?? '1').split(',').map(Number);
  let best: { threads: number; runs: PeerRun[] } | undefined;
  for (const threads of settings) {
    const out = execFileSync(
      'python3',
      [join(here, 'cutnorm_peer.py'), aPath, bPath, String(seed), String(reps)],
      {
        env: { ...peerEnv, OPENBLAS_NUM_THREADS: String(threads) },
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    const runs = JSON.parse(out) as PeerRun[];
    if (!best || median(runs.map((r) => r.seconds)) < median(best.runs.map((r) => r.seconds)))
      best = { threads, runs };
  }
  return best!;
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} at start (shared machine: ratios are the signal)`,
  provider: provider(),
  allocator:
    'MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824 for both sides (pnpm bench sets them)',
};

/**
 * Load calibration: numpy's 1024³ float32 GEMM, which takes 11–13 ms on an idle machine of
 * this kind. The ratio says how oversubscribed the shared machine was during the run (absolute times scale
 * with it; ratios ours/peer much less).
 */
function calibrate(): number {
  const code =
    'import numpy as np, time\n' +
    'a = np.random.rand(1024, 1024).astype(np.float32); b = a.copy(); ts = []\n' +
    'for _ in range(7):\n    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)\n' +
    'print(sorted(ts)[3] * 1000)';
  return Number(execFileSync('python3', ['-c', code], { env: peerEnv, encoding: 'utf8' }).trim());
}
const calibrationStart = calibrate();
results.calibration = {
  numpyGemm1024Ms: calibrationStart,
  idleReferenceMs: 12,
  slowdown: calibrationStart / 12,
};
console.log(`calibration: numpy 1024³ GEMM ${calibrationStart.toFixed(1)} ms (idle ≈ 12 ms)`);

// 1. Erdős–Rényi(0.5) vs Erdős–Rényi(0.5): ours (auto → sdp) vs the cutnorm peer.
const erSizes = !want('er') ? [] : quick ? [250, 500] : [250, 500, 1000, 2000];
const peerSizes = quick ? [500] : [1000, 2000];
const reps = quick ? 1 : 3;
const peerReps = (n: number) => (quick || n >= 2000 ? 1 : 2);
const er: Record<string, unknown>[] = [];
for (const n of erSizes) {
  const rng = new Rng(`er-${n}`);
  const a = new Uint8Array(n * n);
  const b = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = rng.uniform() < 0.5 ? 1 : 0;
    b[i] = rng.uniform() < 0.5 ? 1 : 0;
  }
  const d = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) d[i] = a[i] - b[i];
  const ours = [];
  const loadBefore = load();
  for (let r = 0; r < (n >= 2000 ? Math.min(reps, 2) : reps); r++) {
    const c = cpuMs();
    const t = performance.now();
    const res = cutNorm({ rows: n, cols: n, data: d }, { seed: r });
    ours.push({ seconds: (performance.now() - t) / 1000, cpuSeconds: (cpuMs() - c) / 1000, res });
  }
  const row: Record<string, unknown> = {
    n,
    loadAverage: loadBefore,
    oursSeconds: median(ours.map((o) => o.seconds)),
    oursCpuSeconds: median(ours.map((o) => o.cpuSeconds)),
    oursMethod: ours[0].res.method,
    oursLowerBound: Math.min(...ours.map((o) => o.res.lowerBound)),
    oursUpperBound: Math.max(...ours.map((o) => o.res.upperBound ?? Number.NaN)),
    oursUpperBoundKind: ours[0].res.upperBoundKind,
    oursSdpIterations: ours.map((o) => o.res.iterations),
    oursConverged: ours.every((o) => o.res.converged),
  };
  if (peerSizes.includes(n)) {
    const aPath = join(dir, `a${n}.npy`);
    const bPath = join(dir, `b${n}.npy`);
    writeArrayNpy(aPath, a, [n, n]);
    writeArrayNpy(bPath, b, [n, n]);
    const peer = runPeer(aPath, bPath, 1, peerReps(n));
    const peerSeconds = median(peer.runs.map((p) => p.seconds));
    const peerRounded = Math.max(...peer.runs.map((p) => p.rounded));
    Object.assign(row, {
      peerSeconds,
      peerOpenblasThreads: peer.threads,
      peerRounded,
      peerSdp: median(peer.runs.map((p) => p.sdp)),
      peerIterations: peer.runs.map((p) => p.iterations),
      ratioTime: (row.oursSeconds as number) / peerSeconds,
      lowerBoundTarget: (row.oursLowerBound as number) >= peerRounded - 1e-6,
      timeTarget: (row.oursSeconds as number) <= 0.5 * peerSeconds,
    });
  }
  console.log(JSON.stringify(row));
  er.push(row);
}
if (want('er')) {
  results.erdosRenyi = er;
  results.erdosRenyiExponent = exponent(
    er.map((r) => r.n as number),
    er.map((r) => r.oursSeconds as number),
  );
}

// 2. Mask at density 0.1 vs the constant graphon 0.1: the sparse − low-rank path (no peer: cutnorm needs
// the dense matrix; the target is absolute, ≤ 5 s at 4096).
const maskSizes = !want('mask') ? [] : quick ? [512, 1024] : [512, 1024, 2048, 4096];
const masks: Record<string, unknown>[] = [];
for (const n of maskSizes) {
  const rng = new Rng(`mask-${n}`);
  const mask = new BitMatrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (rng.uniform() < 0.1) mask.set(i, j);
  const runs = [];
  const loadBefore = load();
  // More repetitions at the target size: report min and median (wall and CPU) under the shared load.
  for (let r = 0; r < (n >= 4096 ? (quick ? 1 : 5) : reps); r++) {
    const c = cpuMs();
    const t = performance.now();
    const res = cutNorm(difference(mask, StepGraphon.constant(0.1)), { seed: r });
    runs.push({ seconds: (performance.now() - t) / 1000, cpuSeconds: (cpuMs() - c) / 1000, res });
  }
  const phases: Record<string, number> = {};
  for (const key of Object.keys(runs[0].res.phaseMs)) {
    phases[key] = median(runs.map((o) => (o.res.phaseMs as Record<string, number>)[key] ?? 0));
  }
  const row = {
    n,
    loadAverage: loadBefore,
    loadAverageAfter: load(),
    seconds: median(runs.map((o) => o.seconds)),
    minSeconds: Math.min(...runs.map((o) => o.seconds)),
    cpuSeconds: median(runs.map((o) => o.cpuSeconds)),
    minCpuSeconds: Math.min(...runs.map((o) => o.cpuSeconds)),
    allSeconds: runs.map((o) => Number(o.seconds.toFixed(3))),
    allCpuSeconds: runs.map((o) => Number(o.cpuSeconds.toFixed(3))),
    phaseCpuMsMedian: phases,
    lowerBound: runs[0].res.lowerBound,
    upperBound: runs[0].res.upperBound,
    upperBoundKind: runs[0].res.upperBoundKind,
    sqrtNTimesLowerBound: runs[0].res.lowerBound * Math.sqrt(n),
    iterations: runs.map((o) => o.res.iterations),
    converged: runs[0].res.converged,
    target: n === 4096 ? median(runs.map((o) => o.seconds)) <= 5 : undefined,
  };
  console.log(JSON.stringify(row));
  masks.push(row);
}
if (want('mask')) results.maskMinusConstant = masks;

/** The certificates compared: the deterministic one in float64 and in float32, and the probabilistic one. */
const CERTIFICATE_VARIANTS = {
  deterministic: { certificate: 'deterministic', certificatePrecision: 'float64' },
  deterministicFloat32: { certificate: 'deterministic', certificatePrecision: 'float32' },
  probabilistic: { certificate: 'probabilistic' },
} as const satisfies Record<string, CutNormOptions>;
type CertificateVariant = (typeof CERTIFICATE_VARIANTS)[keyof typeof CERTIFICATE_VARIANTS];

/**
 * 3. Certificates in the same run: the deterministic (Cholesky, float64 and float32) and the probabilistic
 * (Lanczos) certificate of the same dual candidate, interleaved. Targets: on the 1000 × 1000 difference the
 * deterministic certificate costs at most the SDP solve; on 4096 × 784 mask differences the whole cut stays
 * under 2 s. Minima are reported next to medians: the machine is shared, and load only ever adds time.
 */
function certificateRuns(
  label: string,
  reps: number,
  run: (certificate: CertificateVariant, seed: number) => CutNormResult,
): Record<string, unknown> {
  const kinds = Object.keys(CERTIFICATE_VARIANTS) as (keyof typeof CERTIFICATE_VARIANTS)[];
  const byKind = Object.fromEntries(kinds.map((k) => [k, []])) as unknown as Record<
    (typeof kinds)[number],
    { seconds: number; cpuSeconds: number; res: CutNormResult }[]
  >;
  // One untimed call per certificate first: the first call of each path in a process includes compiling its
  // JS and WebAssembly and creating the native thread pools.
  for (const kind of kinds) run(CERTIFICATE_VARIANTS[kind], reps);
  const loadBefore = load();
  for (let r = 0; r < reps; r++) {
    for (const kind of kinds) {
      const c = cpuMs();
      const t = performance.now();
      const res = run(CERTIFICATE_VARIANTS[kind], r);
      byKind[kind].push({ seconds: (performance.now() - t) / 1000, cpuSeconds: (cpuMs() - c) / 1000, res });
    }
  }
  type Phase = keyof CutNormResult['phaseMs'];
  const summary = (kind: (typeof kinds)[number]) => {
    const runs = byKind[kind];
    const phase = (key: Phase) => median(runs.map((o) => o.res.phaseMs[key] ?? 0));
    const fastest = (key: Phase) => Math.min(...runs.map((o) => o.res.phaseMs[key] ?? 0));
    const steps = ['certificateForm', 'certificateGram', 'certificateGuess', 'certificateFactor'] as const;
    return {
      seconds: median(runs.map((o) => o.seconds)),
      cpuSeconds: median(runs.map((o) => o.cpuSeconds)),
      maxSeconds: Math.max(...runs.map((o) => o.seconds)),
      solveCpuMs: phase('solve'),
      certificateCpuMs: phase('certificate'),
      certificateCpuMsMin: fastest('certificate'),
      ...(runs[0].res.phaseMs.certificateGram === undefined
        ? {}
        : {
            stepsCpuMsMedian: Object.fromEntries(steps.map((k) => [k, phase(k)])),
            stepsCpuMsMin: Object.fromEntries(steps.map((k) => [k, fastest(k)])),
          }),
      upperBound: runs[0].res.upperBound,
      upperBoundKind: runs[0].res.upperBoundKind,
      certificatePrecision: runs[0].res.certificatePrecision ?? null,
      lowerBound: runs[0].res.lowerBound,
    };
  };
  const all = kinds.flatMap((k) => byKind[k]);
  const pooledSolve = median(all.map((o) => o.res.phaseMs.solve ?? 0));
  const pooledSolveMin = Math.min(...all.map((o) => o.res.phaseMs.solve ?? 0));
  const det = summary('deterministic');
  const det32 = summary('deterministicFloat32');
  const prob = summary('probabilistic');
  const row = {
    case: label,
    loadAverage: loadBefore,
    deterministic: det,
    deterministicFloat32: det32,
    probabilistic: prob,
    // The solve is the same work in every path: its median (and minimum) over all runs is the reference.
    solveCpuMsAllRuns: pooledSolve,
    solveCpuMsAllRunsMin: pooledSolveMin,
    certificateOverSolve: det.certificateCpuMs / pooledSolve,
    certificateOverSolveFloat32: det32.certificateCpuMs / pooledSolve,
    certificateOverSolveMinFloat32: det32.certificateCpuMsMin / pooledSolveMin,
    certificateRatioDeterministicOverProbabilistic: det.certificateCpuMs / prob.certificateCpuMs,
    certificateRatioFloat32OverProbabilistic: det32.certificateCpuMs / prob.certificateCpuMs,
    totalRatioDeterministicOverProbabilistic: det.seconds / prob.seconds,
    boundRatioDeterministicOverProbabilistic:
      (det.upperBound ?? Number.NaN) / (prob.upperBound ?? Number.NaN),
    boundRatioFloat32OverFloat64: (det32.upperBound ?? Number.NaN) / (det.upperBound ?? Number.NaN),
    boundRatioFloat32OverProbabilistic: (det32.upperBound ?? Number.NaN) / (prob.upperBound ?? Number.NaN),
  };
  console.log(JSON.stringify(row));
  return row;
}

/**
 * The two dense steps no deterministic certificate of this kind avoids, on the native provider, at the Schur
 * order S of the 1000 × 1000 case: the Gram product (lower triangle, S³/2 multiply-adds) and the in-place
 * Cholesky (S³/3), in float64 (dgemm, dpotrf) and float32 (sgemm, spotrf). Wall ms, min and median of 9, on
 * a random S × S matrix.
 */
function certificateFloor(s: number): Record<string, number> {
  const rng = new Rng('floor');
  const g = Float64Array.from(rng.normalArray(s * s));
  const row: Record<string, number> = { order: s };
  for (const precision of ['float64', 'float32'] as const) {
    const like = (x: Float64Array | number) =>
      precision === 'float64'
        ? typeof x === 'number'
          ? new Float64Array(x)
          : x
        : typeof x === 'number'
          ? new Float32Array(x)
          : Float32Array.from(x);
    const w = like(g);
    const k = like(s * s);
    const h = like(s * s);
    const gram: number[] = [];
    const cholesky: number[] = [];
    for (let r = 0; r < 9; r++) {
      let t = performance.now();
      lowerGram(w, s, s, s, k, 'set');
      gram.push(performance.now() - t);
      for (let i = 0; i < s; i++) k[i * s + i] += s;
      h.set(k);
      t = performance.now();
      if (choleskyInPlace(h, s) >= 0) throw new Error('floor: the shifted Gram matrix did not factor');
      cholesky.push(performance.now() - t);
    }
    const suffix = precision === 'float64' ? '' : 'Float32';
    row[`gramWallMsMin${suffix}`] = Math.min(...gram);
    row[`gramWallMsMedian${suffix}`] = median(gram);
    row[`choleskyWallMsMin${suffix}`] = Math.min(...cholesky);
    row[`choleskyWallMsMedian${suffix}`] = median(cholesky);
  }
  console.log(JSON.stringify({ certificateFloor: row }));
  return row;
}

const certificateReps = quick ? 1 : 9;
const certificates: Record<string, unknown>[] = [];
const erInput = (() => {
  const n = 1000;
  const rng = new Rng(`er-${n}`);
  const data = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) data[i] = (rng.uniform() < 0.5 ? 1 : 0) - (rng.uniform() < 0.5 ? 1 : 0);
  return { rows: n, cols: n, data };
})();
const tallMask = new BitMatrix(4096, 784);
{
  const rng = new Rng('mask-4096x784');
  for (let i = 0; i < 4096; i++) for (let j = 0; j < 784; j++) if (rng.uniform() < 0.1) tallMask.set(i, j);
}
const tallMaskCases = (suffix: string, reps: number) => [
  certificateRuns(`ER(0.5) − ER(0.5), 1000 × 1000 dense${suffix}`, reps, (certificate, seed) =>
    cutNorm(erInput, { seed, ...certificate }),
  ),
  certificateRuns(`mask 4096 × 784 (density 0.1) − 0.1${suffix}`, reps, (certificate, seed) =>
    cutNorm(difference(tallMask, StepGraphon.constant(0.1)), { seed, ...certificate }),
  ),
];
if (want('certificates')) {
  certificates.push(...tallMaskCases('', certificateReps));
  // The same size as two operands (two terms: the SDP's products cost twice as much, the certificate about
  // the same), and as two sparse masks (the solve's products are gathers, the certificate stays dense).
  {
    const n = 1000;
    const rng = new Rng(`two-${n}`);
    const a = new Float32Array(n * n);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n * n; i++) {
      a[i] = rng.uniform() < 0.5 ? 1 : 0;
      b[i] = rng.uniform() < 0.5 ? 1 : 0;
    }
    const dense = difference({ rows: n, cols: n, data: a }, { rows: n, cols: n, data: b });
    certificates.push(
      certificateRuns(
        'ER(0.5) and ER(0.5) as two dense 1000 × 1000 operands',
        certificateReps,
        (certificate, seed) => cutNorm(dense, { seed, ...certificate }),
      ),
    );
    const masks = difference(
      BitMatrix.from(n, n, () => rng.uniform() < 0.1),
      BitMatrix.from(n, n, () => rng.uniform() < 0.1),
    );
    certificates.push(
      certificateRuns('two 1000 × 1000 masks of density 0.1', certificateReps, (certificate, seed) =>
        cutNorm(masks, { seed, ...certificate }),
      ),
    );
  }
  {
    const model: FsmModel = { rowFactor: 'half-normal', colFactor: 'half-normal', noise: 'half-normal' };
    const fsm = sampleFsmMask(model, 4096, 784, { density: 0.1, seed: 5 }).mask;
    const limit = fsmLimit(model, 0.1).toStepGraphon(64, 64);
    certificates.push(
      certificateRuns(
        'FSM mask 4096 × 784 − its FSM limit (64 × 64 blocks), canonical alignment',
        certificateReps,
        (certificate, seed) =>
          cutDistance(fsm, limit, { alignment: 'canonical', seed, ...certificate }).cutNorm,
      ),
    );
  }
  // The same two cases on the dependency-free provider (JS GEMM kernel, no native code).
  const nativeProvider = provider();
  setProvider('wasm');
  certificates.push(...tallMaskCases(' (provider wasm)', quick ? 1 : 3));
  setProvider(nativeProvider);
  results.certificates = {
    lapack: lapackAvailable(),
    floor: certificateFloor(1001),
    phaseClock,
    note: `phase times are ${phaseClock === 'cpu' ? 'process CPU ms (clock = cpuUsage, every thread counted)' : 'wall ms'}; seconds are wall; deterministic and probabilistic runs interleaved`,
    rows: certificates,
  };
}
const calibrationEnd = calibrate();
(results.calibration as Record<string, number>).numpyGemm1024MsAtEnd = calibrationEnd;
console.log(`calibration at end: numpy 1024³ GEMM ${calibrationEnd.toFixed(1)} ms`);
if (want('mask')) {
  results.maskExponent = exponent(
    masks.map((r) => r.n as number),
    masks.map((r) => r.seconds as number),
  );
}
if (want('er') && want('mask')) {
  console.log(
    `growth exponents: ER ${(results.erdosRenyiExponent as number).toFixed(2)}, mask ${(results.maskExponent as number).toFixed(2)}`,
  );
}
const resultsPath = join(here, 'results.json');
if (!quick && sections.size === 0) writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
else if (!quick) {
  // Only the sections run are replaced; each carries this run's date, machine and calibration.
  const merged = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  const { date, machine, provider: engine, allocator, calibration } = results;
  const run = { date, machine, provider: engine, allocator, calibration };
  for (const key of [
    'erdosRenyi',
    'erdosRenyiExponent',
    'maskMinusConstant',
    'maskExponent',
    'certificates',
  ]) {
    if (key in results)
      merged[key] = key === 'certificates' ? { run, ...(results[key] as object) } : results[key];
  }
  writeFileSync(resultsPath, `${JSON.stringify(merged, null, 2)}\n`);
}
