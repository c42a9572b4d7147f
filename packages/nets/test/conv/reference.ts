/**
 * Float64 reference of a ConvNet, written independently of the library's im2col path: direct 6-fold
 * convolution loops, window loops for pooling, plain loops for linear layers; the loss in float64.
 * Gradients and Hessian-vector products of the reference come from central finite differences in float64.
 */
import type { ConvNet } from '../../src/conv/conv-net';

export interface RefParams {
  w: Float64Array[];
  b: (Float64Array | null)[];
}

export function refParams(net: ConvNet): RefParams {
  return {
    w: net.layers.map((l) => Float64Array.from(net.weight(l.index))),
    b: net.layers.map((l) => (net.bias(l.index) ? Float64Array.from(net.bias(l.index)!) : null)),
  };
}

/** Logits (`count × outputs`) in float64. `masks` multiply the weights. */
export function refLogits(
  net: ConvNet,
  p: RefParams,
  x: Float64Array,
  count: number,
  masks: (Float64Array | null)[] = [],
): Float64Array {
  let h = x;
  let shape: number[] = [...net.spec.input];
  for (const m of net.modules) {
    if (m.kind === 'conv') {
      const layer = net.layers[m.layer];
      const g = layer.geometry!;
      const w = masks[m.layer] ? p.w[m.layer].map((v, i) => v * masks[m.layer]![i]) : p.w[m.layer];
      const b = p.b[m.layer];
      const [C, H, W] = shape;
      const { outChannels: O, outHeight: Ho, outWidth: Wo, kernelHeight: kh, kernelWidth: kw } = g;
      const out = new Float64Array(count * O * Ho * Wo);
      for (let n = 0; n < count; n++)
        for (let o = 0; o < O; o++)
          for (let py = 0; py < Ho; py++)
            for (let px = 0; px < Wo; px++) {
              let s = b ? b[o] : 0;
              for (let c = 0; c < C; c++)
                for (let i = 0; i < kh; i++)
                  for (let j = 0; j < kw; j++) {
                    const y = py * g.strideHeight - g.paddingHeight + i;
                    const xx = px * g.strideWidth - g.paddingWidth + j;
                    if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                    s += w[((o * C + c) * kh + i) * kw + j] * h[((n * C + c) * H + y) * W + xx];
                  }
              out[((n * O + o) * Ho + py) * Wo + px] = s;
            }
      h = out;
      shape = [O, Ho, Wo];
    } else if (m.kind === 'dense') {
      const layer = net.layers[m.layer];
      const { rows, cols } = layer.shape;
      const w = masks[m.layer] ? p.w[m.layer].map((v, i) => v * masks[m.layer]![i]) : p.w[m.layer];
      const b = p.b[m.layer];
      const out = new Float64Array(count * rows);
      for (let n = 0; n < count; n++)
        for (let r = 0; r < rows; r++) {
          let s = b ? b[r] : 0;
          for (let c = 0; c < cols; c++) s += w[r * cols + c] * h[n * cols + c];
          out[n * rows + r] = s;
        }
      h = out;
      shape = [rows];
    } else if (m.kind === 'activation') {
      h = h.map((v) => (m.activation === 'relu' ? Math.max(v, 0) : Math.tanh(v)));
    } else if (m.kind === 'pool') {
      const g = m.geometry;
      const [C, H, W] = shape;
      const out = new Float64Array(count * C * g.outHeight * g.outWidth);
      let t = 0;
      for (let n = 0; n < count; n++)
        for (let c = 0; c < C; c++)
          for (let py = 0; py < g.outHeight; py++)
            for (let px = 0; px < g.outWidth; px++) {
              let acc = g.kind === 'max' ? -Infinity : 0;
              for (let i = 0; i < g.kernelHeight; i++)
                for (let j = 0; j < g.kernelWidth; j++) {
                  const v = h[((n * C + c) * H + py * g.strideHeight + i) * W + px * g.strideWidth + j];
                  acc = g.kind === 'max' ? Math.max(acc, v) : acc + v;
                }
              out[t++] = g.kind === 'max' ? acc : acc / (g.kernelHeight * g.kernelWidth);
            }
      h = out;
      shape = [C, g.outHeight, g.outWidth];
    } else shape = [shape.reduce((a, b) => a * b, 1)];
  }
  return h;
}

export function refLoss(
  logits: Float64Array,
  labels: Int32Array,
  outputs: number,
  loss: 'cross-entropy' | 'mse',
  temperature = 1,
): number {
  const count = labels.length;
  let total = 0;
  for (let n = 0; n < count; n++) {
    const z = logits.subarray(n * outputs, (n + 1) * outputs);
    if (loss === 'cross-entropy') {
      let max = -Infinity;
      for (const v of z) max = Math.max(max, v / temperature);
      let s = 0;
      for (const v of z) s += Math.exp(v / temperature - max);
      total -= z[labels[n]] / temperature - max - Math.log(s);
    } else {
      for (let k = 0; k < outputs; k++) total += (z[k] - (k === labels[n] ? 1 : 0)) ** 2;
    }
  }
  return loss === 'cross-entropy' ? total / count : total / (count * outputs);
}

/** All parameters as one flat vector (weights then bias, per layer) and back. */
export function flatten(p: RefParams): Float64Array {
  const parts = p.w.flatMap((w, l) => (p.b[l] ? [w, p.b[l]!] : [w]));
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export function unflatten(v: Float64Array, like: RefParams): RefParams {
  let at = 0;
  const take = (n: number) => {
    const out = v.slice(at, at + n);
    at += n;
    return out;
  };
  const w: Float64Array[] = [];
  const b: (Float64Array | null)[] = [];
  like.w.forEach((wl, l) => {
    w.push(take(wl.length));
    b.push(like.b[l] ? take(like.b[l]!.length) : null);
  });
  return { w, b };
}

/** Central-difference gradient of `f` at `theta` (float64). */
export function fdGradient(f: (theta: Float64Array) => number, theta: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(theta.length);
  const t = theta.slice();
  for (let i = 0; i < theta.length; i++) {
    t[i] = theta[i] + h;
    const up = f(t);
    t[i] = theta[i] - h;
    const down = f(t);
    t[i] = theta[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}
