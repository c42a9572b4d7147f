/**
 * Benchmarks of @graphon-pai/linalg against numpy / scipy in the same run, on the same inputs (handed
 * over as .npy files). Prints a table and writes bench/results.json.
 *
 *   pnpm --filter @graphon-pai/linalg bench                 # everything
 *   pnpm --filter @graphon-pai/linalg bench -- gemm svd     # selected sections: gemm mlp decomp svd
 *                                                          # (svd = svd-mask + svd-dense; --no-gaussian, --no-fallback)
 *
 * The `bench` script sets MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ (see src/allocator.ts) for this process
 * and, by inheritance, for python, so both sides run with the same allocator settings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runPython, timedRuns, writeArrayNpy } from '@graphon-pai/bench-utils';
import { BitMatrix, Rng } from '@graphon-pai/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import {
  availableProviders,
  bitMatrixOperator,
  cholesky,
  denseOperator,
  gemm,
  installFastMatMul,
  type LinearOperator,
  type ProviderName,
  provider,
  setProvider,
  symmetricEigen,
  truncatedSvd,
  uninstallFastMatMul,
} from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const sections = new Set(process.argv.slice(2).filter((a) => !a.startsWith('-')));
const want = (s: string) => sections.size === 0 || sections.has(s);
const dir = mkdtempSync(join(tmpdir(), 'linalg-bench-'));
const rng = new Rng('linalg-bench');

interface Row {
  name: string;
  ours: string;
  oursMs: number;
  peer: string;
  peerMs: number;
  ratio: number;
  note?: string;
}
const rows: Row[] = [];

/** A row of ours against numpy: the ratio is ours / numpy. */
function vsNumpy(name: string, ours: string, oursMs: number, peerMs: number, note?: string): Row {
  return { name, ours, oursMs, peer: 'numpy', peerMs, ratio: oursMs / peerMs, ...(note ? { note } : {}) };
}

/**
 * Median of `reps` timed runs after bench-utils' warm-up of at least `warmup` calls and, when warmup > 0, at
 * least a second of calls (onnxruntime's first ≈ 8 large products in a process take 3× the steady state;
 * peer.py warms up by the same rule).
 */
const time = (fn: () => void, reps: number, warmup = 1): number => median(timedRuns(fn, reps, warmup));

type PeerTask = Record<string, unknown> & { name: string; kind: string; reps: number };
type PeerTiming = { median_ms: number; runs: number[]; values?: number[]; max_residual?: number };

/** numpy's version and the BLAS kernel threadpoolctl reports, from the first peer run (for results.json). */
let peerInfo: { numpy?: string; threadpool?: unknown } = {};

/** Runs peer.py on `tasks` (bench-utils' runPython: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for it alone). */
function runPeer(tasks: PeerTask[]): Record<string, PeerTiming> {
  const spec = join(dir, `tasks-${Date.now()}.json`);
  writeFileSync(spec, JSON.stringify(tasks));
  const { numpy, threadpool, ...timings } = JSON.parse(runPython(join(here, 'peer.py'), [spec]));
  peerInfo = { numpy, threadpool };
  return timings;
}

function record(row: Row): void {
  rows.push(row);
  console.log(
    `${row.name.padEnd(44)} ${row.ours.padEnd(22)} ${row.oursMs.toFixed(1).padStart(9)} ms   ${row.peer} ${row.peerMs
      .toFixed(1)
      .padStart(9)} ms   ratio ${row.ratio.toFixed(2)}${row.note ? `   (${row.note})` : ''}`,
  );
}

const natives = availableProviders().filter((p) => p === 'onnxruntime' || p === 'openblas');
const defaultProvider = provider();
console.log(`providers here: ${availableProviders().join(', ')}; default ${defaultProvider}`);

/** GEMM 1024³ and 256 × 1024², every transpose combination, on each native provider against numpy. */
function benchGemm(): void {
  for (const [m, k, n] of [
    [1024, 1024, 1024],
    [256, 1024, 1024],
  ]) {
    const a = Float32Array.from(rng.normalArray(m * k));
    const b = Float32Array.from(rng.normalArray(k * n));
    const c = new Float32Array(m * n);
    const tasks: PeerTask[] = [];
    const combos: Array<[boolean, boolean]> = [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ];
    // The same buffers serve every combination: only the interpretation (A m×k or k×m) changes.
    writeArrayNpy(join(dir, `a-${m}.npy`), a, [m * k]);
    writeArrayNpy(join(dir, `b-${m}.npy`), b, [k * n]);
    const label = (ta: boolean, tb: boolean) => `gemm f32 ${m}×${k}×${n} ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`;
    for (const [ta, tb] of combos) {
      tasks.push({
        name: label(ta, tb),
        kind: 'gemm',
        reps: 15,
        a: join(dir, `a-${m}.npy`),
        b: join(dir, `b-${m}.npy`),
        m,
        k,
        n,
        transA: ta,
        transB: tb,
      });
    }
    // numpy runs before and after ours; its time is the median over both rounds (drift on a shared machine).
    const peerBefore = runPeer(tasks);
    const oursRows: Row[] = [];
    const peer: Record<string, { median_ms: number }> = {};
    for (const t of tasks) peer[t.name] = { median_ms: peerBefore[t.name].median_ms };
    const recordGemm = (row: Row) => oursRows.push(row);
    for (const [ta, tb] of combos) {
      const name = label(ta, tb);
      for (const p of natives) {
        setProvider(p);
        const ms = time(() => gemm(ta, tb, m, n, k, 1, a, b, 0, c), 15);
        recordGemm(vsNumpy(name, p, ms, peer[name].median_ms));
      }
      // Fallback: tfjs-wasm matMul with the installed kernel on the wasm provider (explicit transpose,
      // then XNNPACK), and the stock tfjs-wasm kernel for context.
      const at = tf.tensor2d(a, ta ? [k, m] : [m, k]);
      const bt = tf.tensor2d(b, tb ? [n, k] : [k, n]);
      setProvider('wasm');
      installFastMatMul(tf);
      const wasmMs = time(() => tf.matMul(at, bt, ta, tb).dispose(), 5);
      recordGemm(vsNumpy(name, 'wasm (tfjs, installed)', wasmMs, peer[name].median_ms));
      uninstallFastMatMul(tf);
      if (m === 256) {
        const stockMs = time(() => tf.matMul(at, bt, ta, tb).dispose(), ta || tb ? 1 : 5);
        recordGemm(vsNumpy(name, 'stock tfjs-wasm', stockMs, peer[name].median_ms, 'context, not ours'));
        setProvider('js');
        const jsMs = time(() => gemm(ta, tb, m, n, k, 1, a, b, 0, c), 1);
        recordGemm(vsNumpy(name, 'js', jsMs, peer[name].median_ms));
      }
      at.dispose();
      bt.dispose();
    }
    const peerAfter = runPeer(tasks);
    for (const row of oursRows) {
      const runs = [...peerBefore[row.name].runs, ...peerAfter[row.name].runs];
      row.peerMs = median(runs);
      row.ratio = row.oursMs / row.peerMs;
      record(row);
    }
    setProvider(defaultProvider);
  }
}

/** MLP forward + backward through tfjs autograd on the fast matmul kernel against numpy. */
function benchMlp(): void {
  for (const widths of [
    [784, 1024, 1024, 10],
    [1024, 4096, 1024],
  ]) {
    const batch = 256;
    const x = Float32Array.from(rng.normalArray(batch * widths[0]));
    const ws = widths
      .slice(1)
      .map((w, i) => Float32Array.from(rng.normalArray(widths[i] * w, 0, 1 / Math.sqrt(widths[i]))));
    writeArrayNpy(join(dir, 'mlp-x.npy'), x, [batch, widths[0]]);
    ws.forEach((w, i) => {
      writeArrayNpy(join(dir, `mlp-w${i}.npy`), w, [widths[i], widths[i + 1]]);
    });
    const name = `MLP fwd+bwd batch ${batch}, ${widths.join('→')}`;
    const peer = runPeer([
      {
        name,
        kind: 'mlp',
        reps: 15,
        x: join(dir, 'mlp-x.npy'),
        ws: ws.map((_, i) => join(dir, `mlp-w${i}.npy`)),
      },
    ]);
    const xt = tf.tensor2d(x, [batch, widths[0]]);
    const wt = ws.map((w, i) => tf.tensor2d(w, [widths[i], widths[i + 1]]));
    const loss = (...w: tf.Tensor[]) => {
      let h: tf.Tensor = xt;
      w.forEach((wi, i) => {
        h = tf.matMul(h, wi);
        if (i < w.length - 1) h = tf.relu(h);
      });
      return tf.mul(0.5, tf.sum(tf.square(h))) as tf.Scalar;
    };
    const step = () => {
      const g = tf.grads(loss)(wt);
      for (const t of g) t.dispose();
    };
    for (const p of [...natives, 'wasm' as const]) {
      setProvider(p);
      installFastMatMul(tf);
      const ms = time(step, 15);
      record(vsNumpy(name, `tfjs-wasm + ${p}`, ms, peer[name].median_ms));
    }
    uninstallFastMatMul(tf);
    if (widths.length === 4) {
      const stockMs = time(step, 1, 0);
      record(vsNumpy(name, 'stock tfjs-wasm', stockMs, peer[name].median_ms, 'context, not ours'));
    }
    xt.dispose();
    for (const t of wt) t.dispose();
    setProvider(defaultProvider);
  }
}

/** Cholesky and symmetric eigen, n = 2000, against numpy / LAPACK. */
function benchDecompositions(): void {
  const sizes: Array<[number, ProviderName, number]> = natives.length > 0 ? [[2000, defaultProvider, 5]] : [];
  // The pure-JS fallback, smaller for eigen (O(9n³) in JS).
  sizes.push([2000, 'js', 1]);
  for (const [n, p, reps] of sizes) {
    const g = rng.normalArray(n * n);
    const spd = new Float64Array(n * n);
    // spd = G·Gᵀ/n + I (through our own gemm; only the input, not timed).
    setProvider(defaultProvider);
    gemm(false, true, n, n, n, 1 / n, g, g, 0, spd);
    for (let i = 0; i < n; i++) spd[i * n + i] += 1;
    const sym = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) sym[i * n + j] = sym[j * n + i] = g[i * n + j];
    writeArrayNpy(join(dir, 'spd.npy'), spd, [n, n]);
    const eigN = p === 'js' ? 1000 : n;
    const symE = eigN === n ? sym : sym.subarray(0, 0);
    let symSmall = symE;
    if (eigN !== n) {
      symSmall = new Float64Array(eigN * eigN);
      for (let i = 0; i < eigN; i++) for (let j = 0; j < eigN; j++) symSmall[i * eigN + j] = sym[i * n + j];
    }
    writeArrayNpy(join(dir, 'sym.npy'), symSmall, [eigN, eigN]);
    const cname = `cholesky n=${n}`;
    const ename = `symmetric eigen (all pairs) n=${eigN}`;
    const peer = runPeer([
      { name: cname, kind: 'cholesky', reps: 5, a: join(dir, 'spd.npy') },
      { name: ename, kind: 'eigh', reps: 5, a: join(dir, 'sym.npy') },
    ]);
    setProvider(p);
    const label = p === 'js' ? 'js (no LAPACK)' : `LAPACKE (${p} gemm)`;
    const cms = time(() => cholesky(spd, n), reps, p === 'js' ? 0 : 1);
    record(vsNumpy(cname, label, cms, peer[cname].median_ms));
    const ems = time(() => symmetricEigen(symSmall, eigN), reps, p === 'js' ? 0 : 1);
    record(vsNumpy(ename, label, ems, peer[ename].median_ms));
    setProvider(defaultProvider);
  }
}

/** Top-k truncated SVD of a 0/1 mask and of dense matrices against scipy `svds`. */
function benchSvd(): void {
  const n = 4096;
  const k = 32;
  /** max_j ‖A·v_j − σ_j·u_j‖ and max_j ‖Aᵀ·u_j − σ_j·v_j‖ of our result, through the operator. */
  const residuals = (op: LinearOperator, r: ReturnType<typeof truncatedSvd>) => {
    const av = new Float64Array(n * k);
    const atu = new Float64Array(n * k);
    op.matmat(r.v, k, av);
    op.rmatmat(r.u, k, atu);
    let a = 0;
    let b = 0;
    for (let j = 0; j < k; j++) {
      let sa = 0;
      let sb = 0;
      for (let i = 0; i < n; i++) {
        sa += (av[i * k + j] - r.values[j] * r.u[i * k + j]) ** 2;
        sb += (atu[i * k + j] - r.values[j] * r.v[i * k + j]) ** 2;
      }
      a = Math.max(a, Math.sqrt(sa));
      b = Math.max(b, Math.sqrt(sb));
    }
    return Math.max(a, b);
  };
  type PeerSvd = { median_ms: number; values?: number[]; max_residual?: number; matvecs?: number };
  const svdRow = (
    name: string,
    ours: string,
    ms: number,
    r: ReturnType<typeof truncatedSvd>,
    res: number,
    peer: PeerSvd,
  ) => {
    let dev = 0;
    for (let j = 0; j < k; j++) dev = Math.max(dev, Math.abs(r.values[j] - peer.values![j]) / r.values[0]);
    record({
      name,
      ours,
      oursMs: ms,
      peer: 'scipy svds',
      peerMs: peer.median_ms,
      ratio: ms / peer.median_ms,
      note: `ours ${r.products} columns (${r.iterations} block steps), converged ${r.converged}; ARPACK ${peer.matvecs} mat-vecs; max residual ours ${res.toExponential(1)} (tol 1e-7·σ₁ = ${(1e-7 * r.values[0]).toExponential(1)}) / scipy ${peer.max_residual!.toExponential(1)}; max |Δσ|/σ₁ ${dev.toExponential(1)}`,
    });
  };

  let result: ReturnType<typeof truncatedSvd> | undefined;
  // 1. A bit-packed 0/1 mask at density 0.1 (one dominant σ₁ ≈ 0.1·n, then a flat Marchenko–Pastur bulk
  // whose top values are ≈ 0.1 % apart): scipy gets the same bits as a float64 CSR matrix.
  if (want('svd') || sections.has('svd-mask')) {
    const maskRng = new Rng('linalg-bench-mask');
    const mask = new BitMatrix(n, n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (maskRng.uniform() < 0.1) mask.set(r, c);
    writeArrayNpy(join(dir, 'mask.npy'), new Uint8Array(mask.words.buffer), [n, n / 8]);
    const maskName = `top-${k} SVD ${n}×${n} 0/1 mask, density 0.1`;
    // scipy runs before and after ours (2 timed runs each, after a warm-up); its time is the median of the
    // 4 runs, so that drifting load on the shared machine hits both sides alike.
    const maskTask: PeerTask = {
      name: maskName,
      kind: 'svds-mask',
      reps: 2,
      a: join(dir, 'mask.npy'),
      n,
      k,
    };
    const maskPeerBefore = runPeer([maskTask]);
    // (a) bitMatrixOperator (sparse route at this density: CSR + CSC gathers, indexed on the first product,
    // inside the timed region); median of 3 runs after one warm-up run, as scipy's.
    let op: LinearOperator | undefined;
    const msGemm = time(
      () => {
        op = bitMatrixOperator(mask);
        result = truncatedSvd(op, k, { seed: 1 });
      },
      3,
      1,
    );
    const maskPeerAfter = runPeer([maskTask]);
    const maskPeer = {
      [maskName]: {
        ...maskPeerAfter[maskName],
        median_ms: median([...maskPeerBefore[maskName].runs, ...maskPeerAfter[maskName].runs]),
      },
    };
    svdRow(
      maskName,
      `truncatedSvd + bitMatrixOperator (sparse, WebAssembly SIMD gathers; ${provider()} for the basis)`,
      msGemm,
      result!,
      residuals(op!, result!),
      maskPeer[maskName],
    );
    // (b) the JavaScript gathers (kernel 'js'): the fallback where WebAssembly SIMD is missing.
    if (!process.argv.includes('--no-fallback')) {
      let jsOp: LinearOperator | undefined;
      const msJs = time(
        () => {
          jsOp = bitMatrixOperator(mask, { kernel: 'js' });
          result = truncatedSvd(jsOp, k, { seed: 1 });
        },
        1,
        0,
      );
      svdRow(
        maskName,
        `truncatedSvd + bitMatrixOperator (sparse, JavaScript gathers; ${provider()} for the basis)`,
        msJs,
        result!,
        residuals(jsOp!, result!),
        maskPeer[maskName],
      );
    }
  }
  if (!want('svd') && !sections.has('svd-dense')) return;
  // 2. Dense float64: a smooth graphon-like kernel W_ij = min(x_i, y_j) (singular values ~ 1/j²) plus
  // small noise, and a Gaussian matrix (flat spectrum: the hard case for both methods).
  const xs = rng.uniformArray(n);
  const ys = rng.uniformArray(n);
  const kernel = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) kernel[i * n + j] = Math.min(xs[i], ys[j]) + 1e-3 * rng.normal();
  const dense: Array<readonly [string, () => Float64Array]> = [['min-kernel + noise', () => kernel]];
  if (!process.argv.includes('--no-gaussian')) dense.push(['gaussian', () => rng.normalArray(n * n)]);
  for (const [label, make] of dense) {
    const a = make();
    writeArrayNpy(join(dir, 'svd.npy'), a, [n, n]);
    const name = `top-${k} SVD ${n}×${n} ${label}`;
    const peer = runPeer([{ name, kind: 'svds', reps: 1, a: join(dir, 'svd.npy'), k }]);
    const ms = time(
      () => {
        result = truncatedSvd({ data: a, rows: n, cols: n }, k, { seed: 1 });
      },
      1,
      0,
    );
    svdRow(
      name,
      `truncatedSvd (${provider()})`,
      ms,
      result!,
      residuals(denseOperator(a, n, n), result!),
      peer[name],
    );
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();

  if (want('gemm')) benchGemm();
  if (want('mlp')) benchMlp();
  if (want('decomp')) benchDecompositions();
  if (want('svd') || want('svd-mask') || want('svd-dense')) benchSvd();
}

const startLoad = loadavg();
main()
  .then(() => {
    const file = join(here, 'results.json');
    let previous: { results?: Row[] } = {};
    try {
      previous = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // first run
    }
    // Sections not re-run keep their previous rows.
    const kept = (previous.results ?? []).filter(
      (r) => !rows.some((x) => x.name === r.name && x.ours === r.ours),
    );
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`,
          loadAverage: { start: startLoad, end: loadavg() },
          env: {
            MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? null,
            MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? null,
            OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null,
            peer: 'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for the numpy peer alone',
          },
          peer: peerInfo,
          note: 'medians; ratio = ours / peer (lower is better); machine shared with other jobs, see loadAverage',
          results: [...kept, ...rows],
        },
        null,
        2,
      )}\n`,
    );
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
