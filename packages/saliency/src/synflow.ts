/**
 * `synflow`: Iterative Synaptic Flow Pruning (Tanaka, Kunin, Yamins, Ganguli, NeurIPS 2020, arXiv 2006.05467).
 *
 *     R = 1ᵀ |Ŵ_{L−1}| ⋯ |Ŵ_1| |Ŵ_0| 1,        s_ji^(l) = | w_ji · ∂R/∂w_ji | = |Ŵ_l|_ji · λ^(l)_j · ρ^(l−1)_i
 *
 * with `Ŵ_l = s_l (W_l ⊙ M_l)` the effective masked weights (NTK scales included; the derivative is taken
 * with respect to the trainable parameter, which gives the same product), the **right** vectors
 * `ρ^(−1) = 1`, `ρ^(l) = |Ŵ_l| ρ^(l−1)` (the all-ones input pushed through the linearised network) and the
 * **left** vectors `λ^(L−1) = 1`, `λ^(l−1) = |Ŵ_l|ᵀ λ^(l)`. This closed form is exactly what autodiff of the
 * linearised network returns (the tests check it against tfjs autograd). Every layer's scores sum to `R`.
 *
 * **Numerical safety**: `R` grows or shrinks geometrically with depth and overflows float32 (and float64) for
 * deep or wide nets. Each vector is kept as `ρ = e^{c} ρ̃` with `max ρ̃ = 1` and its log-scale `c` in float64;
 * scores are formed as `|Ŵ| λ̃ ρ̃ · e^{c_λ + c_ρ − shift}` where `shift = 0` when `|log R| ≤ 60` (then scores
 * equal the plain formula) and otherwise `shift = log R` (every layer's scores then sum to 1): a common factor
 * that leaves the global ranking unchanged; `synflowDetailed` reports the `logScale` shift applied.
 * Engines (`engine` option): `'host'` — float64 loops, one forward sweep (ρ) and one fused backward sweep
 * (scores and λ), two reads of every weight; `'tensor'` — tfjs ops, mat-vecs through `matMul` (the GEMM
 * provider of `@graphon-pai/linalg` when installed), float32 accumulation inside the provider's mat-vec after
 * per-layer max normalisation; `'auto'` picks `'tensor'` on the wasm backend (measured faster than numpy
 * there) and `'host'` otherwise. Both engines agree to float32 rounding (tests).
 *
 * Convolutional networks (`ConvNet`): the same scores on the linearised conv network, computed by
 * `conv-scores.ts` (host passes on the fast GEMM; `engine` does not apply).
 *
 * Biases: the theory's `R` has none (default). `includeBiases: true` reproduces Tanaka et al.'s reference
 * code, which also takes `|b|` and adds it at every layer (`ρ^(l) = |Ŵ_l| ρ^(l−1) + β_l |b_l|`).
 *
 * FSM view, one hidden layer: `s_ji = |w_ji| · Σ_k |a_kj| · 1`: `A_j = Σ_k |a_kj|`, `B ≡ 1`, ξ = |w_ji|.
 * Data-free; accepts the mask; default schedule: 100 rounds, exponential (the paper's). Host-side float64,
 * O(#weights) per pass.
 *
 * @example
 * const scores = synflowScores(net);                       // one scoring pass
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CriterionSpec, InvalidArgumentError, type NetworkMask, type ScoreMap } from '@graphon-pai/core';
import { ConvNet, type Mlp, type Network } from '@graphon-pai/nets';
import { booleanOption, type CriterionContext, checkContext, readOptions } from './context';
import { convSynflowDetailed } from './conv-scores';

export type SynflowEngine = 'auto' | 'host' | 'tensor';

export interface SynflowOptions {
  mask?: NetworkMask;
  includeBiases?: boolean;
  /**
   * `'host'`: float64 loops on the host arrays; `'tensor'`: tfjs ops (absolute values and products on the
   * backend, mat-vecs through `matMul`, i.e. on `@graphon-pai/linalg`'s GEMM provider when installed);
   * `'auto'` (default): `'tensor'` on the wasm backend (SIMD + multi-threaded GEMM, faster than numpy),
   * `'host'` elsewhere. Both give the same scores up to float32 rounding.
   */
  engine?: SynflowEngine;
}

export interface SynflowResult {
  scores: ScoreMap;
  /** Natural log of the common factor the scores were divided by (0 = plain formula). */
  logScale: number;
  /** log R, computed without overflow. */
  logR: number;
}

const SAFE_EXPONENT = 60;

/** The kept-bit lookup of a layer's mask, or null when dense. */
function maskBits(
  network: Mlp,
  l: number,
  mask: NetworkMask | undefined,
): { words: Uint32Array; wordsPerRow: number } | null {
  const m = mask?.get(network.layers[l].weightName);
  return m ? { words: m.words, wordsPerRow: m.wordsPerRow } : null;
}

/** Normalises v in place to max 1; returns log of the factor removed (−∞ for an all-zero vector). */
function normalizeMax(v: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < v.length; i++) if (v[i] > mx) mx = v[i];
  if (mx === 0) return Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) v[i] /= mx;
  return Math.log(mx);
}

export function synflowDetailed(network: Network, options: SynflowOptions = {}): SynflowResult {
  if (network instanceof ConvNet) return convSynflowDetailed(network, options);
  const engine = options.engine ?? 'auto';
  if (engine === 'tensor' || (engine === 'auto' && tf.getBackend() === 'wasm')) {
    const viaTensors = synflowOnTensors(network, options);
    if (viaTensors) return viaTensors;
  }
  return synflowOnHost(network, options);
}

/**
 * The tensor engine: `A_l = |s_l W_l ⊙ M_l|` on the backend, ρ and λ by `matMul` with per-layer max
 * normalisation (log-scales on the host in float64), scores `A_l ⊙ (λ̃ e^{e_l − shift}) ρ̃ᵀ`. Returns null when a
 * factor would leave float32 range (the host engine handles those nets).
 */
function synflowOnTensors(network: Mlp, options: SynflowOptions): SynflowResult | null {
  const L = network.layers.length;
  const readMax = (t: tf.Tensor): number => {
    const m = tf.max(t);
    const v = m.dataSync()[0];
    m.dispose();
    return v;
  };
  const keep: tf.Tensor[] = [];
  try {
    const A = network.layers.map((layer, l) => {
      const t = tf.tidy(() => {
        const m = options.mask?.get(layer.weightName);
        let w: tf.Tensor = network.weightTensor(l);
        if (m) w = tf.mul(w, tf.tensor2d(Float32Array.from(m.toDense()), [m.rows, m.cols]));
        if (layer.weightScale !== 1) w = tf.mul(w, Math.abs(layer.weightScale));
        return tf.abs(w) as tf.Tensor2D;
      });
      keep.push(t);
      return t;
    });
    // Right vectors (columns): ρ^(l) = e^{rightLog[l+1]} · right[l+1], right[0] = 1.
    const right: tf.Tensor2D[] = [tf.ones([network.inputSize, 1])];
    keep.push(right[0]);
    const rightLog = [0];
    for (let l = 0; l < L; l++) {
      const prevLog = rightLog[l];
      let next = tf.tidy(() => {
        let r = tf.matMul(A[l], right[l]) as tf.Tensor2D;
        const b = options.includeBiases ? network.biasTensor(l) : null;
        if (b) {
          const f =
            (Number.isFinite(prevLog) ? Math.exp(-prevLog) : 1) * Math.abs(network.layers[l].biasScale);
          r = tf.add(r, tf.mul(tf.abs(tf.reshape(b, [-1, 1])), f)) as tf.Tensor2D;
        }
        return r;
      });
      const mx = readMax(next);
      let log = Number.isFinite(prevLog) ? prevLog : 0;
      if (mx > 0) {
        const scaled = tf.div(next, mx) as tf.Tensor2D;
        next.dispose();
        next = scaled;
        log += Math.log(mx);
      } else {
        log = Number.NEGATIVE_INFINITY;
      }
      right.push(next);
      keep.push(next);
      rightLog.push(log);
    }
    const totalT = tf.sum(right[L]);
    const total = totalT.dataSync()[0];
    totalT.dispose();
    const logR =
      total > 0 && Number.isFinite(rightLog[L]) ? rightLog[L] + Math.log(total) : Number.NEGATIVE_INFINITY;
    const shift = Number.isFinite(logR) && Math.abs(logR) > SAFE_EXPONENT ? logR : 0;
    const scores: ScoreMap = new Map();
    const out: Float32Array[] = new Array(L);
    let lam: tf.Tensor2D = tf.ones([1, network.outputSize]);
    keep.push(lam);
    let lamLog = 0;
    for (let l = L - 1; l >= 0; l--) {
      const layer = network.layers[l];
      const e = lamLog + rightLog[l];
      if (Number.isFinite(e) && Math.abs(e - shift) > 80) return null;
      if (!Number.isFinite(e)) {
        out[l] = new Float32Array(layer.shape.rows * layer.shape.cols);
      } else {
        const factor = Math.exp(e - shift);
        const t = tf.tidy(() =>
          tf.mul(A[l], tf.matMul(tf.mul(lam, factor) as tf.Tensor2D, right[l], true, true)),
        );
        out[l] = t.dataSync() as Float32Array;
        t.dispose();
      }
      if (l > 0) {
        const next = tf.matMul(lam, A[l]) as tf.Tensor2D;
        keep.push(next);
        const mx = readMax(next);
        if (mx > 0) {
          const scaled = tf.div(next, mx) as tf.Tensor2D;
          keep.push(scaled);
          lam = scaled;
          lamLog += Math.log(mx);
        } else {
          lam = next;
          lamLog = Number.NEGATIVE_INFINITY;
        }
      }
    }
    network.layers.forEach((layer, l) => {
      scores.set(layer.weightName, { shape: layer.shape, scores: out[l] });
    });
    return { scores, logScale: shift, logR };
  } finally {
    tf.dispose(keep);
  }
}

function synflowOnHost(network: Mlp, options: SynflowOptions): SynflowResult {
  const L = network.layers.length;
  const bits = network.layers.map((_, l) => maskBits(network, l, options.mask));
  const scale = network.layers.map((layer) => Math.abs(layer.weightScale));
  // Right vectors ρ^(l) = e^{rightLog[l]} · right[l]; right[-1] = 1 is implicit (index l holds ρ^(l−1)).
  const right: Float64Array[] = [];
  const rightLog: number[] = [];
  let rho = new Float64Array(network.inputSize).fill(1);
  let rhoLog = 0;
  for (let l = 0; l < L; l++) {
    right.push(rho);
    rightLog.push(rhoLog);
    const { rows, cols } = network.layers[l].shape;
    const w = network.weight(l);
    const mb = bits[l];
    const next = new Float64Array(rows);
    for (let j = 0; j < rows; j++) {
      let s = 0;
      const base = j * cols;
      if (mb) {
        const wb = j * mb.wordsPerRow;
        for (let i = 0; i < cols; i++)
          if ((mb.words[wb + (i >>> 5)] >>> (i & 31)) & 1) s += Math.abs(w[base + i]) * rho[i];
      } else {
        // Four accumulators break the add dependency chain (float64 throughout).
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let i = 0;
        for (; i + 3 < cols; i += 4) {
          s += Math.abs(w[base + i]) * rho[i];
          s1 += Math.abs(w[base + i + 1]) * rho[i + 1];
          s2 += Math.abs(w[base + i + 2]) * rho[i + 2];
          s3 += Math.abs(w[base + i + 3]) * rho[i + 3];
        }
        for (; i < cols; i++) s += Math.abs(w[base + i]) * rho[i];
        s += s1 + s2 + s3;
      }
      next[j] = scale[l] * s;
    }
    const b = options.includeBiases ? network.bias(l) : null;
    if (b) {
      if (!Number.isFinite(rhoLog)) rhoLog = 0;
      const f = Math.exp(-rhoLog) * Math.abs(network.layers[l].biasScale);
      for (let j = 0; j < rows; j++) next[j] += f * Math.abs(b[j]);
    }
    const c = normalizeMax(next);
    rho = next;
    rhoLog = rhoLog + c;
  }
  let total = 0;
  for (let j = 0; j < rho.length; j++) total += rho[j];
  const logR = total > 0 ? rhoLog + Math.log(total) : Number.NEGATIVE_INFINITY;
  // The common factor: every layer's scores sum to R (without biases), so dividing by R when R leaves
  // [e^−60, e^60] keeps every layer's total at 1 and float32 safe.
  const shift = Number.isFinite(logR) && Math.abs(logR) > SAFE_EXPONENT ? logR : 0;
  // Backward sweep, one read of each weight matrix: the scores of layer l (they need λ^(l) and ρ^(l−1)) and,
  // in the same pass, the next left vector λ^(l−1) = |Ŵ_l|ᵀ λ^(l).
  const scores: ScoreMap = new Map();
  const out: Float32Array[] = new Array(L);
  let lam = new Float64Array(network.outputSize).fill(1);
  let lamLog = 0;
  for (let l = L - 1; l >= 0; l--) {
    const { rows, cols } = network.layers[l].shape;
    const o = new Float32Array(rows * cols);
    out[l] = o;
    const e = lamLog + rightLog[l];
    const w = network.weight(l);
    const mb = bits[l];
    const rv = right[l];
    const next = l > 0 ? new Float64Array(cols) : null;
    if (Number.isFinite(e)) {
      const factor = Math.exp(e - shift) * scale[l];
      for (let j = 0; j < rows; j++) {
        const lj = lam[j];
        if (lj === 0) continue;
        const fj = factor * lj;
        const gj = scale[l] * lj;
        const base = j * cols;
        if (mb) {
          const wb = j * mb.wordsPerRow;
          for (let i = 0; i < cols; i++) {
            if ((mb.words[wb + (i >>> 5)] >>> (i & 31)) & 1) {
              const a = Math.abs(w[base + i]);
              o[base + i] = a * fj * rv[i];
              if (next) next[i] += a * gj;
            }
          }
        } else if (next) {
          for (let i = 0; i < cols; i++) {
            const a = Math.abs(w[base + i]);
            o[base + i] = a * fj * rv[i];
            next[i] += a * gj;
          }
        } else {
          for (let i = 0; i < cols; i++) o[base + i] = Math.abs(w[base + i]) * fj * rv[i];
        }
      }
    }
    if (next) {
      lamLog += normalizeMax(next);
      lam = next;
    }
  }
  network.layers.forEach((layer, l) => {
    scores.set(layer.weightName, { shape: layer.shape, scores: out[l] });
  });
  return { scores, logScale: shift, logR };
}

export function synflowScores(network: Network, options: SynflowOptions = {}): ScoreMap {
  return synflowDetailed(network, options).scores;
}

const engineOption = (value: unknown, name: string): SynflowEngine => {
  if (value !== 'auto' && value !== 'host' && value !== 'tensor') {
    throw new InvalidArgumentError(name, value, "'auto', 'host' or 'tensor'");
  }
  return value;
};

export const synflowCriterion: CriterionSpec<CriterionContext<Network>> = {
  description: 'SynFlow: |w ⊙ ∂R/∂w| with R = 1ᵀ Π|W_l| 1 (data-free, overflow-safe)',
  needsData: false,
  acceptsMask: true,
  defaultSchedule: { kind: 'iterative', rounds: 100, shape: 'exponential' },
  score(ctx) {
    const net = checkContext(ctx, 'synflow');
    const { includeBiases, engine } = readOptions(
      ctx,
      'synflow',
      { includeBiases: false, engine: 'auto' as SynflowEngine },
      { includeBiases: booleanOption, engine: engineOption },
    );
    return synflowScores(net, { mask: ctx.mask, includeBiases, engine });
  },
};
