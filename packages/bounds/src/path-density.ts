/**
 * Path density of inputs through one layer (a column degree) and through a deep network (products of layer
 * graphons); docs: concepts/graphon-ntk.
 *
 *     one layer:   ρ(v) = ∫_0^1 W(u, v) du                       (column degree function)
 *     L layers:    (W_L ∘ ⋯ ∘ W_1)(u, v) = ∫ W_L(u, w_{L−1}) ⋯ W_1(w_1, v) dw_1 ⋯ dw_{L−1},   ρ(v) = ∫ (W_L ∘ ⋯ ∘ W_1)(u, v) du
 *     masks:       ρ(i) = 1ᵀ M_L ⋯ M_1 e_i / (n_L ⋯ n_1)          (number of input→output paths through input i,
 *                                                                 normalised by the number of neuron tuples)
 *
 * Conventions: layers in network order (first layer first), each in PyTorch orientation (rows = outputs,
 * cols = inputs), so layer l's columns are layer l−1's rows. Per input i, `pathDensity` reports the average
 * of ρ over input i's cell [i/n_in, (i+1)/n_in) (exact for step graphons and masks). The composition of step
 * kernels is exact on the common refinement of the inner cuts, and the mask formula is exactly the
 * composition of the masks' step graphons (tested).
 *
 * Complexity: masks O(Σ nnz); composition O(K_L · T · L_1) per product, T = merged inner cuts.
 *
 * @example
 * pathDensity(mask);                                   // = colDegrees / rows
 * composeLayerGraphons([w1, w2]);                      // (W2 ∘ W1) as a StepGraphon
 * networkPathDensity([mask1, mask2]);
 */
import {
  BitMatrix,
  findBlock,
  InvalidArgumentError,
  type NetworkMask,
  StepGraphon,
  StepKernel,
} from '@graphon-pai/core';
import type { GraphonSource } from './graphon-source';
import { checkPositiveInteger } from './matrix';
import { type RowProfileOptions, rowProfiles } from './quadrature';

/** ρ(i) per input of one layer; `inputs` defaults to the mask's columns for a BitMatrix. */
export function pathDensity(
  source: GraphonSource,
  inputs?: number,
  options: RowProfileOptions = {},
): Float64Array {
  if (source instanceof BitMatrix) {
    if (inputs !== undefined && inputs !== source.cols) {
      throw new InvalidArgumentError('inputs', inputs, `the mask's column count (${source.cols})`);
    }
    const deg = source.colDegrees();
    const out = new Float64Array(source.cols);
    for (let i = 0; i < source.cols; i++) out[i] = deg[i] / source.rows;
    return out;
  }
  if (inputs === undefined) {
    throw new InvalidArgumentError('inputs', inputs, 'the number of input coordinates', {
      fix: 'pass how many inputs the layer has, e.g. 784 for MNIST',
    });
  }
  const d = checkPositiveInteger('inputs', inputs);
  const p = rowProfiles(source, d, options);
  const out = new Float64Array(d);
  for (let a = 0; a < p.nodes; a++) {
    const w = p.weights[a];
    for (let i = 0; i < d; i++) out[i] += w * p.profiles[a * d + i];
  }
  return out;
}

/** The product W_L ∘ ⋯ ∘ W_1 of layer graphons (network order), exact on merged cuts. */
export function composeLayerGraphons(layers: readonly StepKernel[]): StepKernel {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new InvalidArgumentError(
      'layers',
      layers,
      'a non-empty array of StepKernel / StepGraphon, first layer first',
    );
  }
  layers.forEach((l, i) => {
    if (!(l instanceof StepKernel))
      throw new InvalidArgumentError(`layers[${i}]`, l, 'a StepKernel or StepGraphon');
  });
  let acc: StepKernel = layers[0];
  for (let l = 1; l < layers.length; l++) acc = compose(layers[l], acc);
  if (layers.every((l) => l instanceof StepGraphon))
    return new StepGraphon(acc.rowCuts, acc.colCuts, clamp01(acc.values));
  return acc;
}

function clamp01(v: Float64Array): Float64Array {
  // Products of [0,1] kernels integrate to [0,1]; clamp only float rounding (≤ a few ulps above 1).
  return v.map((x) => (x > 1 ? 1 : Math.max(x, 0)));
}

/** (outer ∘ inner)(u, v) = ∫ outer(u, w) inner(w, v) dw. */
function compose(outer: StepKernel, inner: StepKernel): StepKernel {
  const merged = mergeCuts(outer.colCuts, inner.rowCuts);
  const ko = outer.rowBlocks;
  const lo = outer.colBlocks;
  const li = inner.colBlocks;
  const values = new Float64Array(ko * li);
  for (let s = 0; s + 1 < merged.length; s++) {
    const len = merged[s + 1] - merged[s];
    const mid = 0.5 * (merged[s] + merged[s + 1]);
    const bo = findBlock(outer.colCuts, mid);
    const ai = findBlock(inner.rowCuts, mid);
    for (let a = 0; a < ko; a++) {
      const wo = len * outer.values[a * lo + bo];
      if (wo === 0) continue;
      for (let b = 0; b < li; b++) values[a * li + b] += wo * inner.values[ai * li + b];
    }
  }
  return new StepKernel(outer.rowCuts, inner.colCuts, values);
}

function mergeCuts(a: Float64Array, b: Float64Array): Float64Array {
  const all = Array.from(a)
    .concat(Array.from(b))
    .sort((x, y) => x - y);
  const out: number[] = [];
  for (const x of all) if (out.length === 0 || x - out[out.length - 1] > 1e-15) out.push(x);
  out[out.length - 1] = 1;
  return Float64Array.from(out);
}

/** ρ(i) = 1ᵀ M_L ⋯ M_1 e_i / (n_L ⋯ n_1) for masks in network order. */
export function networkPathDensity(masks: readonly BitMatrix[] | NetworkMask): Float64Array {
  const list = masks instanceof Map ? Array.from(masks.values()) : Array.from(masks);
  if (list.length === 0)
    throw new InvalidArgumentError('masks', masks, 'at least one layer mask, first layer first');
  list.forEach((mk, l) => {
    if (!(mk instanceof BitMatrix)) throw new InvalidArgumentError(`masks[${l}]`, mk, 'a BitMatrix');
    if (l > 0 && mk.cols !== list[l - 1].rows) {
      throw new InvalidArgumentError(
        `masks[${l}].cols`,
        mk.cols,
        `the previous layer's rows (${list[l - 1].rows})`,
        {
          fix: 'pass the layer masks in network order (first layer first), each rows = outputs × cols = inputs',
        },
      );
    }
  });
  const last = list[list.length - 1];
  let r = new Float64Array(last.rows).fill(1 / last.rows);
  for (let l = list.length - 1; l >= 0; l--) {
    const mk = list[l];
    const next = new Float64Array(mk.cols);
    mk.forEachSet((row, col) => {
      next[col] += r[row];
    });
    if (l > 0) for (let c = 0; c < next.length; c++) next[c] /= mk.cols;
    r = next;
  }
  return r;
}
