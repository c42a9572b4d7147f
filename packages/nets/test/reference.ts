/**
 * Slow float64 reference of an MLP: forward pass, losses and the gradient by explicit loops, used to
 * check the tfjs passes. Independent of the library code (shares only the conventions of `mlp.ts`).
 */
export interface RefLayer {
  rows: number;
  cols: number;
  w: Float64Array;
  b: Float64Array | null;
  mask: Float64Array | null;
  s: number;
  beta: number;
  act: 'relu' | 'tanh' | 'linear';
}

export interface RefProblem {
  layers: RefLayer[];
  x: Float64Array;
  m: number;
  labels: Int32Array;
  loss: 'cross-entropy' | 'mse';
  temperature: number;
}

function act(a: RefLayer['act'], z: number): number {
  if (a === 'relu') return Math.max(z, 0);
  if (a === 'tanh') return Math.tanh(z);
  return z;
}

function dact(a: RefLayer['act'], z: number): number {
  if (a === 'relu') return z > 0 ? 1 : 0;
  if (a === 'tanh') return 1 - Math.tanh(z) ** 2;
  return 1;
}

/** The masked weight W ⊙ M of `layer` at row `j`, column `i` (W alone without a mask). */
const maskedWeight = (layer: RefLayer, j: number, i: number): number =>
  layer.w[j * layer.cols + i] * (layer.mask ? layer.mask[j * layer.cols + i] : 1);

export function refForward(p: RefProblem): { zs: Float64Array[]; as: Float64Array[] } {
  const zs: Float64Array[] = [];
  const as: Float64Array[] = [];
  let h = p.x;
  for (const layer of p.layers) {
    const z = new Float64Array(p.m * layer.rows);
    for (let n = 0; n < p.m; n++) {
      for (let j = 0; j < layer.rows; j++) {
        let s = 0;
        for (let i = 0; i < layer.cols; i++) {
          s += h[n * layer.cols + i] * maskedWeight(layer, j, i);
        }
        z[n * layer.rows + j] = layer.s * s + (layer.b ? layer.beta * layer.b[j] : 0);
      }
    }
    const a = z.map((v) => act(layer.act, v));
    zs.push(z);
    as.push(a);
    h = a;
  }
  return { zs, as };
}

export function refLoss(p: RefProblem): number {
  const { zs } = refForward(p);
  const z = zs[zs.length - 1];
  const K = p.layers[p.layers.length - 1].rows;
  let total = 0;
  for (let n = 0; n < p.m; n++) {
    if (p.loss === 'cross-entropy') {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, z[n * K + k] / p.temperature);
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(z[n * K + k] / p.temperature - mx);
      total += -(z[n * K + p.labels[n]] / p.temperature - mx - Math.log(se));
    } else {
      for (let k = 0; k < K; k++) total += (z[n * K + k] - (k === p.labels[n] ? 1 : 0)) ** 2;
    }
  }
  return p.loss === 'cross-entropy' ? total / p.m : total / (p.m * K);
}

/** Gradient with respect to raw weights and biases (masked entries get 0). */
export function refGradient(p: RefProblem): { w: Float64Array[]; b: (Float64Array | null)[] } {
  const { zs, as } = refForward(p);
  const L = p.layers.length;
  const K = p.layers[L - 1].rows;
  const zL = zs[L - 1];
  let delta = new Float64Array(p.m * K);
  for (let n = 0; n < p.m; n++) {
    if (p.loss === 'cross-entropy') {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, zL[n * K + k] / p.temperature);
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(zL[n * K + k] / p.temperature - mx);
      for (let k = 0; k < K; k++) {
        const pk = Math.exp(zL[n * K + k] / p.temperature - mx) / se;
        delta[n * K + k] = (pk - (k === p.labels[n] ? 1 : 0)) / (p.m * p.temperature);
      }
    } else {
      for (let k = 0; k < K; k++)
        delta[n * K + k] = (2 * (zL[n * K + k] - (k === p.labels[n] ? 1 : 0))) / (p.m * K);
    }
  }
  const gw: Float64Array[] = new Array(L);
  const gb: (Float64Array | null)[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const layer = p.layers[l];
    const input = l === 0 ? p.x : as[l - 1];
    const g = new Float64Array(layer.rows * layer.cols);
    const bb = layer.b ? new Float64Array(layer.rows) : null;
    for (let n = 0; n < p.m; n++) {
      for (let j = 0; j < layer.rows; j++) {
        const d = delta[n * layer.rows + j];
        if (bb) bb[j] += layer.beta * d;
        for (let i = 0; i < layer.cols; i++) g[j * layer.cols + i] += layer.s * d * input[n * layer.cols + i];
      }
    }
    if (layer.mask) for (let q = 0; q < g.length; q++) g[q] *= layer.mask[q];
    gw[l] = g;
    gb[l] = bb;
    if (l > 0) {
      const prev = p.layers[l - 1];
      const nd = new Float64Array(p.m * layer.cols);
      for (let n = 0; n < p.m; n++) {
        for (let i = 0; i < layer.cols; i++) {
          let s = 0;
          for (let j = 0; j < layer.rows; j++) {
            s += delta[n * layer.rows + j] * maskedWeight(layer, j, i);
          }
          nd[n * layer.cols + i] = layer.s * s * dact(prev.act, zs[l - 1][n * layer.cols + i]);
        }
      }
      delta = nd;
    }
  }
  return { w: gw, b: gb };
}

/** Returns a copy of the problem with parameters moved by t·v. */
export function shifted(
  p: RefProblem,
  vw: ArrayLike<number>[],
  vb: (ArrayLike<number> | null)[] | null,
  t: number,
): RefProblem {
  return {
    ...p,
    layers: p.layers.map((layer, l) => ({
      ...layer,
      w: layer.w.map((w, q) => w + t * vw[l][q]),
      b: layer.b ? layer.b.map((b, q) => b + t * (vb?.[l]?.[q] ?? 0)) : null,
    })),
  };
}

/** Central finite difference of the reference gradient along v: (∇L(θ+εv) − ∇L(θ−εv)) / 2ε. */
export function fdHvp(
  p: RefProblem,
  vw: ArrayLike<number>[],
  vb: (ArrayLike<number> | null)[] | null,
  eps: number,
) {
  const plus = refGradient(shifted(p, vw, vb, eps));
  const minus = refGradient(shifted(p, vw, vb, -eps));
  return {
    w: plus.w.map((g, l) => g.map((v, q) => (v - minus.w[l][q]) / (2 * eps))),
    b: plus.b.map((g, l) => (g ? g.map((v, q) => (v - minus.b[l]![q]) / (2 * eps)) : null)),
  };
}

export { maxRelativeError as maxRelError } from '@graphon-pai/test-utils';
