import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { useConvKernels } from '../../src/conv/conv-kernels';
import {
  col2imAdd,
  conv2dBackward,
  conv2dChunk,
  conv2dForward,
  conv2dGeometry,
  conv2dInputGradient,
  conv2dWeightGradient,
  im2col,
} from '../../src/conv/conv2d';
import { pool2dApply, pool2dBackward, pool2dForward, pool2dGeometry } from '../../src/conv/pool2d';
import { maxRelError } from '../reference';

const rng = new Rng('conv-layers');
const normal = (n: number) => rng.normalArray(n, 0, 1, new Float32Array(n));
/** Accumulating into a copy of a pass's result doubles it (to float32 rounding). */
const expectDoubled = (twice: Float32Array, once: Float32Array) =>
  expect(
    maxRelError(
      twice,
      once.map((v) => 2 * v),
    ),
  ).toBeLessThan(1e-6);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Direct float64 convolution (no im2col). */
function directConv(
  x: Float32Array,
  count: number,
  w: Float32Array,
  g: ReturnType<typeof conv2dGeometry>,
): Float64Array {
  const {
    inChannels: C,
    height: H,
    width: W,
    outChannels: O,
    outHeight: Ho,
    outWidth: Wo,
    kernelHeight: kh,
    kernelWidth: kw,
  } = g;
  const out = new Float64Array(count * O * Ho * Wo);
  for (let n = 0; n < count; n++)
    for (let o = 0; o < O; o++)
      for (let p = 0; p < Ho; p++)
        for (let q = 0; q < Wo; q++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = p * g.strideHeight - g.paddingHeight + i;
                const xx = q * g.strideWidth - g.paddingWidth + j;
                if (y >= 0 && y < H && xx >= 0 && xx < W)
                  s += w[((o * C + c) * kh + i) * kw + j] * x[((n * C + c) * H + y) * W + xx];
              }
          out[((n * O + o) * Ho + p) * Wo + q] = s;
        }
  return out;
}

describe('conv2d on im2col', () => {
  const geometries = [
    { inChannels: 3, outChannels: 4, height: 7, width: 5, kernel: 3 },
    {
      inChannels: 2,
      outChannels: 3,
      height: 8,
      width: 9,
      kernel: [3, 2] as [number, number],
      stride: [2, 3] as [number, number],
      padding: [1, 2] as [number, number],
    },
    { inChannels: 1, outChannels: 2, height: 5, width: 5, kernel: 5, padding: 2, stride: 2 },
    // Several im2col chunks: K·span per sample = 400 · 892 > 2²⁰ / 3.
    { inChannels: 16, outChannels: 8, height: 28, width: 28, kernel: 5, padding: 2 },
    // Chunks of 47 samples, the last one shorter (100 = 47 + 47 + 6).
    { inChannels: 1, outChannels: 6, height: 28, width: 28, kernel: 5, padding: 2 },
    // Stride 1 (the wide layout) with unequal kernel sides and padding, and without padding.
    {
      inChannels: 3,
      outChannels: 5,
      height: 9,
      width: 11,
      kernel: [2, 4] as [number, number],
      padding: [0, 3] as [number, number],
    },
    { inChannels: 2, outChannels: 3, height: 6, width: 6, kernel: 6 },
  ];
  test.each(geometries)(
    'forward equals a direct float64 convolution; gradients are its adjoints (%#)',
    (opts) => {
      const g = conv2dGeometry(opts);
      const count = g.height === 28 ? (opts.inChannels === 1 ? 100 : 30) : 3;
      if (opts.inChannels === 16) expect(conv2dChunk(g, count)).toBeLessThan(count / 2);
      if (opts.inChannels === 1 && g.height === 28) expect(conv2dChunk(g, count)).toBe(47);
      const x = normal(count * g.inChannels * g.height * g.width);
      const w = normal(g.outChannels * g.inChannels * g.kernelHeight * g.kernelWidth);
      const y = conv2dForward(x, count, w, g);
      expect(maxRelError(y, directConv(x, count, w, g))).toBeLessThan(1e-5);
      // ⟨conv(x, W), G⟩ = ⟨W, ∂/∂W⟩ = ⟨x, ∂/∂x⟩ for the bilinear map, with the adjoints from the library.
      const G = normal(y.length);
      const yG = dot(directConv(x, count, w, g), G);
      const dw = conv2dWeightGradient(G, x, count, g);
      const dx = conv2dInputGradient(G, w, count, g);
      expect(Math.abs(dot(dw, w) - yG) / Math.abs(yG)).toBeLessThan(1e-4);
      expect(Math.abs(dot(dx, x) - yG) / Math.abs(yG)).toBeLessThan(1e-4);
      // Entry-wise: ∂/∂W[e] = ⟨directConv(x, e), G⟩ for a few unit kernels e.
      for (const e of [0, w.length - 1, w.length >> 1]) {
        const unit = new Float32Array(w.length);
        unit[e] = 1;
        const exact = dot(directConv(x, count, unit, g), G);
        expect(Math.abs(dw[e] - exact)).toBeLessThan(1e-4 * Math.max(1, Math.abs(exact)));
      }
      // Entry-wise: ∂/∂x[e] = ⟨directConv(unit e, W), G⟩ for a few input entries.
      for (const e of [0, x.length - 1, Math.floor(x.length / 3)]) {
        const unit = new Float32Array(x.length);
        unit[e] = 1;
        const exact = dot(directConv(unit, count, w, g), G);
        expect(Math.abs(dx[e] - exact)).toBeLessThan(1e-4 * Math.max(1, Math.abs(exact)));
      }
      // Accumulation adds onto what is there.
      const twice = conv2dWeightGradient(G, x, count, g, dw.slice(), true);
      expectDoubled(twice, dw);
      const dxTwice = conv2dInputGradient(G, w, count, g, dx.slice(), true);
      expectDoubled(dxTwice, dx);
      const yTwice = conv2dForward(x, count, w, g, y.slice(), true);
      expectDoubled(yTwice, y);
      // The one-pass backward gives both gradients (bit for bit the separate passes' results).
      const both = conv2dBackward(G, x, w, count, g);
      expect(both.weight).toEqual(dw);
      expect(both.input).toEqual(dx);
      expect(conv2dBackward(G, x, w, count, g, { inputGradient: false }).input).toBeNull();
      // The JavaScript data movement (used without WebAssembly SIMD) gives the same results.
      useConvKernels(false);
      try {
        expect(conv2dForward(x, count, w, g)).toEqual(y);
        const js = conv2dBackward(G, x, w, count, g);
        expect(js.weight).toEqual(dw);
        expect(maxRelError(js.input!, dx)).toBeLessThan(1e-6);
        expect(maxRelError(conv2dInputGradient(G, w, count, g, dx.slice(), true), dxTwice)).toBeLessThan(
          1e-6,
        );
        expect(maxRelError(conv2dForward(x, count, w, g, y.slice(), true), yTwice)).toBeLessThan(1e-6);
      } finally {
        useConvKernels(true);
      }
    },
  );

  test.each(geometries.slice(0, 3))(
    'im2col lays out receptive fields; col2imAdd is its adjoint (%#)',
    (opts) => {
      const g = conv2dGeometry(opts);
      const count = 3;
      const first = 1;
      const b = 2;
      const { inChannels: C, height: H, width: W, kernelHeight: kh, kernelWidth: kw } = g;
      const L = g.outHeight * g.outWidth;
      const x = normal(count * C * H * W);
      const cols = new Float32Array(C * kh * kw * b * L).fill(Number.NaN);
      im2col(x, g, first, b, cols);
      for (let c = 0; c < C; c++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++)
            for (let n = 0; n < b; n++)
              for (let p = 0; p < g.outHeight; p++)
                for (let q = 0; q < g.outWidth; q++) {
                  const y = p * g.strideHeight - g.paddingHeight + i;
                  const xx = q * g.strideWidth - g.paddingWidth + j;
                  const inside = y >= 0 && y < H && xx >= 0 && xx < W;
                  const want = inside ? x[(((first + n) * C + c) * H + y) * W + xx] : 0;
                  expect(cols[(((c * kh + i) * kw + j) * b + n) * L + p * g.outWidth + q]).toBe(want);
                }
      // ⟨im2col(x), Z⟩ = ⟨x, col2im(Z)⟩, and col2imAdd adds onto dx (samples outside the chunk untouched).
      const Z = normal(cols.length);
      const base = normal(x.length);
      const dx = base.slice();
      col2imAdd(Z, g, first, b, dx);
      const added = dx.map((v, t) => v - base[t]);
      expect(Math.abs(dot(added, x) - dot(Z, cols))).toBeLessThan(1e-4 * Math.max(1, Math.abs(dot(Z, cols))));
      for (let t = 0; t < first * C * H * W; t++) expect(dx[t]).toBe(base[t]);
    },
  );

  test('a kernel larger than the padded input is refused, naming the layer and the input', () => {
    expect(() =>
      conv2dGeometry({ name: 'features.3', inChannels: 6, outChannels: 16, height: 4, width: 4, kernel: 5 }),
    ).toThrow(/features\.3: kernel.*padded input 4 × 4.*5 × 5/);
    expect(() =>
      conv2dGeometry({ inChannels: 1, outChannels: 1, height: 4, width: 4, kernel: 3, stride: 0 }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('pooling', () => {
  test.each(['max', 'avg'] as const)(
    '%s pooling: forward by brute force, backward is the adjoint, R map equals forward',
    (kind) => {
      const g = pool2dGeometry({ kind, channels: 2, height: 7, width: 6, kernel: [3, 2], stride: [2, 2] });
      expect([g.outHeight, g.outWidth]).toEqual([3, 3]);
      const count = 2;
      const x = normal(count * 2 * 7 * 6);
      const { output, argmax } = pool2dForward(x, count, g);
      let t = 0;
      for (let plane = 0; plane < count * 2; plane++)
        for (let p = 0; p < 3; p++)
          for (let q = 0; q < 3; q++, t++) {
            const vals: number[] = [];
            for (let i = 0; i < 3; i++)
              for (let j = 0; j < 2; j++) vals.push(x[plane * 42 + (2 * p + i) * 6 + 2 * q + j]);
            const want = kind === 'max' ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0) / 6;
            expect(output[t]).toBeCloseTo(want, 6);
          }
      const G = normal(output.length);
      const dx = pool2dBackward(G, count, g, argmax);
      expect(dot(dx, x)).toBeCloseTo(dot(G, output), 4);
      const r = normal(x.length);
      const rOut = pool2dApply(r, count, g, argmax);
      expect(dot(dx, r)).toBeCloseTo(dot(G, rOut), 4);
    },
  );

  test('a window larger than the input is refused', () => {
    expect(() =>
      pool2dGeometry({ kind: 'max', channels: 16, height: 1, width: 1, kernel: 2, name: 'features.8' }),
    ).toThrow(/features\.8: kernel.*16 × 1 × 1/);
  });
});
