/**
 * 2-D max and average pooling (PyTorch `nn.MaxPool2d` / `nn.AvgPool2d`, no padding, floor mode), NCHW.
 *
 * Window `k_h × k_w`, stride `s_h × s_w` (default: the kernel), output `Ho = ⌊(H − k_h)/s_h⌋ + 1`:
 *
 *     max:      y[n, c, p, q] = x[n, c, a(n, c, p, q)],   a = argmax over the window (first maximum in
 *               row-major window order on ties, as PyTorch's CPU kernel)
 *     average:  y[n, c, p, q] = (1 / (k_h k_w)) Σ_{window} x
 *
 * Both are linear in `x` once the argmax is fixed, so the backward pass and the R-operator are the same map:
 * `∂L/∂x[a] += ∂L/∂y` (max) or `∂L/∂x[window] += ∂L/∂y / (k_h k_w)` (average), and `R{y} = R{x}[a]` / the
 * average of `R{x}`. (Max pooling is not differentiable at ties; like PyTorch we use the chosen argmax.)
 *
 * Complexity O(count · C · Ho · Wo · k_h · k_w).
 *
 * @example
 * const g = pool2dGeometry({ kind: 'max', channels: 6, height: 28, width: 28, kernel: 2 });
 * const { output, argmax } = pool2dForward(x, 32, g);
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import {
  checkWindowFits,
  checkWindowSizes,
  pair,
  type SizePair,
  type WindowGeometry,
  windowGeometry,
} from './window';

export type PoolKind = 'max' | 'avg';

export interface Pool2dGeometry extends WindowGeometry {
  readonly kind: PoolKind;
  readonly channels: number;
}

export interface Pool2dGeometryOptions {
  kind: PoolKind;
  channels: number;
  height: number;
  width: number;
  kernel: SizePair;
  /** Default: the kernel size (non-overlapping windows). */
  stride?: SizePair;
  /** The layer's name in error messages (default `'pool'`). */
  name?: string;
}

export function pool2dGeometry(options: Pool2dGeometryOptions): Pool2dGeometry {
  const name = options.name ?? 'pool';
  if (options.kind !== 'max' && options.kind !== 'avg') {
    throw new InvalidArgumentError(`${name}: kind`, options.kind, "'max' or 'avg'");
  }
  const [kh, kw] = pair(options.kernel);
  const [sh, sw] = pair(options.stride ?? [kh, kw]);
  const { channels: C, height: h, width: w } = options;
  checkWindowSizes(name, [['channels', C]], [h, w], [kh, kw], [sh, sw]);
  checkWindowFits(
    name,
    [kh, kw],
    [h, w],
    `a window no larger than the input ${C} × ${h} × ${w}`,
    'use a smaller pooling window or remove a pooling layer before this one',
  );
  return { kind: options.kind, channels: C, ...windowGeometry([h, w], [kh, kw], [sh, sw]) };
}

/**
 * Offsets inside one input plane: `corners[p·Wo + q]` of each window's top-left entry, `taps[i·kw + j]` of each
 * window entry relative to its corner (row-major window order, which fixes the argmax tie-break).
 */
function windows(g: Pool2dGeometry): { corners: Int32Array; taps: Int32Array } {
  const { width: W, kernelHeight: kh, kernelWidth: kw } = g;
  const corners = new Int32Array(g.outHeight * g.outWidth);
  for (let p = 0; p < g.outHeight; p++)
    for (let q = 0; q < g.outWidth; q++)
      corners[p * g.outWidth + q] = p * g.strideHeight * W + q * g.strideWidth;
  const taps = new Int32Array(kh * kw);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps[i * kw + j] = i * W + j;
  return { corners, taps };
}

/** Pooled output `[count, C, Ho, Wo]`; for max pooling also the flat input index of each output's maximum. */
export function pool2dForward(
  x: Float32Array,
  count: number,
  g: Pool2dGeometry,
): { output: Float32Array; argmax: Int32Array | null } {
  const { corners, taps } = windows(g);
  const planeIn = g.height * g.width;
  const planeOut = corners.length;
  const output = new Float32Array(count * g.channels * planeOut);
  const argmax = g.kind === 'max' ? new Int32Array(output.length) : null;
  const inv = 1 / taps.length;
  for (let plane = 0; plane < count * g.channels; plane++) {
    const base = plane * planeIn;
    for (let o = 0, t = plane * planeOut; o < planeOut; o++, t++) {
      const corner = base + corners[o];
      if (argmax) {
        let best = corner;
        let value = x[corner];
        for (let k = 0; k < taps.length; k++) {
          const at = corner + taps[k];
          const v = x[at];
          // NaN wins (as in PyTorch); `v !== v` tests NaN without a global lookup (slow in vm contexts).
          // biome-ignore lint/suspicious/noSelfCompare: v !== v and value === value are the NaN tests
          if (v > value || (v !== v && value === value)) {
            value = v;
            best = at;
          }
        }
        output[t] = value;
        argmax[t] = best;
      } else {
        let s = 0;
        for (let k = 0; k < taps.length; k++) s += x[corner + taps[k]];
        output[t] = s * inv;
      }
    }
  }
  return { output, argmax };
}

/** The pooling's linear map applied to another input (`R{y}` from `R{x}`), with the forward pass's argmax. */
export function pool2dApply(
  x: Float32Array,
  count: number,
  g: Pool2dGeometry,
  argmax: Int32Array | null,
): Float32Array {
  if (!argmax) return pool2dForward(x, count, g).output;
  const out = new Float32Array(argmax.length);
  for (let t = 0; t < out.length; t++) out[t] = x[argmax[t]];
  return out;
}

/** `∂L/∂x` (`[count, C, H, W]`) from `∂L/∂y`: the transpose of the pooling's linear map. */
export function pool2dBackward(
  gradOut: Float32Array,
  count: number,
  g: Pool2dGeometry,
  argmax: Int32Array | null,
): Float32Array {
  const planeIn = g.height * g.width;
  const dx = new Float32Array(count * g.channels * planeIn);
  if (argmax) {
    for (let t = 0; t < gradOut.length; t++) dx[argmax[t]] += gradOut[t];
    return dx;
  }
  const { corners, taps } = windows(g);
  const inv = 1 / taps.length;
  for (let plane = 0; plane < count * g.channels; plane++) {
    const base = plane * planeIn;
    for (let o = 0, t = plane * corners.length; o < corners.length; o++, t++) {
      const corner = base + corners[o];
      const v = gradOut[t] * inv;
      for (let k = 0; k < taps.length; k++) dx[corner + taps[k]] += v;
    }
  }
  return dx;
}
