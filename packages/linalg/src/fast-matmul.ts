/**
 * An accelerated tfjs `BatchMatMul` (and `_FusedMatMul`) kernel for the wasm and cpu backends, running
 * on the active GEMM provider ({@link provider}) in place on the backend's memory.
 *
 *     out[b] = op(A[b mod batchA]) · op(B[b mod batchB]),   op = identity or transpose (attrs),
 *     _FusedMatMul: out = act(A·B + bias), act ∈ {linear, relu, relu6, elu, sigmoid, leakyrelu, prelu}
 *
 * Why: stock tfjs-wasm runs `matMul` with `transposeA`/`transposeB` or batch > 1 in a scalar loop, and
 * autograd's backward pass always lands there (dA = dY·Bᵀ, dB = Aᵀ·dY), 68–290× slower than numpy
 * (measured on the project's VMs). With a native provider the product runs in onnxruntime / OpenBLAS directly on views of the
 * wasm heap (taken after `makeOutput`, which may grow it); with the `wasm` provider the operands are
 * transposed explicitly into temporaries and the stock kernel's XNNPACK path does the product (an operand
 * that needs no transpose is passed as is, so XNNPACK's packed-weight cache still applies); with `js` the
 * JS kernel runs on the heap views. Non-float32 inputs, batch shapes the stock kernel treats specially, and
 * fused epilogues this file does not implement (bias of rank ≠ 1 or not broadcast along the last axis)
 * go to the stock kernel unchanged.
 *
 * Results equal the stock kernel's up to float32 rounding (differently ordered float32 sums, or float64
 * accumulation in the JS kernel). Gradients are unchanged: tfjs differentiates `BatchMatMul` by calling
 * `BatchMatMul` again, which now lands here. Installing is idempotent and global to the process (tfjs'
 * kernel registry is global); {@link uninstallFastMatMul} restores the stock configs.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { installFastMatMul } from '@graphon-pai/linalg';
 * await tf.setBackend('wasm');
 * installFastMatMul(tf);   // ['wasm'] — every matMul, forward and backward, now runs on the provider
 * ```
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gemmUnchecked } from './gemm';
import { engine } from './provider';

/** The parts of the tfjs-core namespace this module uses (pass `tf` itself). */
export interface TfKernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

export type FastMatMulBackend = 'wasm' | 'cpu';

export interface FastMatMulOptions {
  /** Backends to patch (default both; a backend whose kernels are not registered is skipped). */
  backends?: FastMatMulBackend[];
}

const KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
type KernelName = (typeof KERNELS)[number];

/** Marks our kernel functions and remembers the stock config they replace. */
const STOCK = Symbol.for('@graphon-pai/linalg/stock-kernel');
type OurKernel = KernelFunc & { [STOCK]: KernelConfig };

function isOurs(config: KernelConfig | undefined): config is KernelConfig & { kernelFunc: OurKernel } {
  return config !== undefined && STOCK in config.kernelFunc;
}

/**
 * Re-registers `BatchMatMul` and `_FusedMatMul` for the wasm and cpu backends on the fast provider.
 * Idempotent. Returns the backends now patched.
 */
export function installFastMatMul(
  tf: TfKernelRegistry,
  options: FastMatMulOptions = {},
): FastMatMulBackend[] {
  const backends = options.backends ?? ['wasm', 'cpu'];
  const patched: FastMatMulBackend[] = [];
  for (const backendName of backends) {
    for (const kernelName of KERNELS) {
      const current = lookup(tf, kernelName, backendName);
      if (!current || isOurs(current)) continue;
      const make = backendName === 'wasm' ? wasmKernel : cpuKernel;
      const fn = make(kernelName, current.kernelFunc) as OurKernel;
      fn[STOCK] = current;
      tf.unregisterKernel(kernelName, backendName);
      // Keep the stock setup: the delegations and the XNNPACK fallback call the stock kernel.
      tf.registerKernel({ ...current, kernelFunc: fn });
    }
    if (isOurs(lookup(tf, 'BatchMatMul', backendName))) patched.push(backendName);
  }
  return patched;
}

/** Restores the stock kernels replaced by {@link installFastMatMul}. Idempotent. */
export function uninstallFastMatMul(tf: TfKernelRegistry): void {
  for (const backendName of ['wasm', 'cpu'] as const) {
    for (const kernelName of KERNELS) {
      const current = lookup(tf, kernelName, backendName);
      if (!isOurs(current)) continue;
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(current.kernelFunc[STOCK]);
    }
  }
}

/** Backends whose `BatchMatMul` currently runs on this package. */
export function fastMatMulBackends(tf: TfKernelRegistry): FastMatMulBackend[] {
  return (['wasm', 'cpu'] as const).filter((b) => isOurs(lookup(tf, 'BatchMatMul', b)));
}

function lookup(tf: TfKernelRegistry, kernelName: string, backendName: string): KernelConfig | undefined {
  return tf.getKernel(kernelName, backendName) ?? undefined;
}

// ---------------------------------------------------------------------------------------------------
// Shapes

interface Plan {
  m: number;
  n: number;
  k: number;
  batchA: number;
  batchB: number;
  batch: number;
  outShape: number[];
}

function product(dims: number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** Shapes of a batched product, or undefined when the stock kernel should handle (or reject) it. */
function plan(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): Plan | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const kA = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (kA !== kB) return undefined;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  // Numpy-style broadcast of the outer dimensions.
  const rank = Math.max(outerA.length, outerB.length);
  const outer: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = outerA[outerA.length - rank + i] ?? 1;
    const db = outerB[outerB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    outer.push(da === 1 ? db : da);
  }
  const batch = product(outer);
  // Only the cases the stock kernels index as `b mod batchX`: equal batches, or one side unbatched.
  if (
    batch !== Math.max(batchA, batchB) ||
    (batchA !== batch && batchA !== 1) ||
    (batchB !== batch && batchB !== 1)
  ) {
    return undefined;
  }
  return { m, n, k: kA, batchA, batchB, batch, outShape: [...outer, m, n] };
}

function batchedGemm(
  p: Plan,
  transA: boolean,
  transB: boolean,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): void {
  const { m, n, k } = p;
  for (let bi = 0; bi < p.batch; bi++) {
    const ao = (p.batchA === 1 ? 0 : bi) * m * k;
    const bo = (p.batchB === 1 ? 0 : bi) * k * n;
    const co = bi * m * n;
    gemmUnchecked(
      transA,
      transB,
      m,
      n,
      k,
      1,
      a.subarray(ao, ao + m * k),
      b.subarray(bo, bo + k * n),
      0,
      out.subarray(co, co + m * n),
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Fused epilogue: out = act(out + bias)

interface Epilogue {
  bias?: Float32Array;
  activation: string;
  prelu?: Float32Array;
  leakyAlpha: number;
}

const ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu']);

/** Whether a fused call's bias/activation is one this file implements (rank-1 bias of size 1 or n). */
function fusedSupported(
  inputs: Record<string, TensorInfo | undefined>,
  attrs: Record<string, unknown>,
  n: number,
) {
  const bias = inputs.bias;
  const prelu = inputs.preluActivationWeights;
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (!ACTIVATIONS.has(activation)) return false;
  if (
    bias &&
    (bias.dtype !== 'float32' || bias.shape.length !== 1 || (bias.shape[0] !== n && bias.shape[0] !== 1))
  ) {
    return false;
  }
  if (activation === 'prelu') {
    if (prelu?.dtype !== 'float32') return false;
    const size = product(prelu.shape);
    if (size !== 1 && !(size === n && prelu.shape[prelu.shape.length - 1] === n)) return false;
  }
  return true;
}

function applyEpilogue(out: Float32Array, n: number, e: Epilogue): void {
  const { bias, prelu, activation, leakyAlpha } = e;
  const len = out.length;
  if (bias) {
    if (bias.length === 1) {
      const b0 = bias[0];
      for (let i = 0; i < len; i++) out[i] += b0;
    } else {
      for (let i = 0; i < len; i += n) for (let j = 0; j < n; j++) out[i + j] += bias[j];
    }
  }
  switch (activation) {
    case 'relu':
      for (let i = 0; i < len; i++) if (out[i] < 0) out[i] = 0;
      break;
    case 'relu6':
      for (let i = 0; i < len; i++) out[i] = Math.min(6, Math.max(0, out[i]));
      break;
    case 'elu':
      for (let i = 0; i < len; i++) if (out[i] < 0) out[i] = Math.expm1(out[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < len; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
      break;
    case 'leakyrelu':
      for (let i = 0; i < len; i++) if (out[i] < 0) out[i] *= leakyAlpha;
      break;
    case 'prelu': {
      const w = prelu!;
      if (w.length === 1) {
        for (let i = 0; i < len; i++) if (out[i] < 0) out[i] *= w[0];
      } else {
        for (let i = 0; i < len; i += n) for (let j = 0; j < n; j++) if (out[i + j] < 0) out[i + j] *= w[j];
      }
      break;
    }
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------------
// wasm backend

interface WasmData {
  id: number;
  memoryOffset: number;
}
interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): WasmData };
  makeOutput(shape: number[], dtype: string): TensorInfo;
  disposeData(dataId: object): boolean;
}

function heapView(backend: WasmBackendLike, t: TensorInfo, size: number): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId as object);
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size);
}

/** A matmul kernel call's operands, transposition flags and {@link plan} (undefined: the stock kernel runs it). */
function matmulCall(args: Parameters<KernelFunc>[0]) {
  const inputs = args.inputs as Record<string, TensorInfo | undefined>;
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const a = inputs.a!;
  const b = inputs.b!;
  const transA = Boolean(attrs.transposeA);
  const transB = Boolean(attrs.transposeB);
  return { inputs, attrs, a, b, transA, transB, p: plan(a, b, transA, transB) };
}

function wasmKernel(kernelName: KernelName, stock: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { inputs, attrs, a, b, transA, transB, p } = matmulCall(args);
    if (!p) return stock(args);
    const fused = kernelName === '_FusedMatMul';
    if (fused && !fusedSupported(inputs, attrs, p.n)) return stock(args);
    const e = engine();
    let out: TensorInfo;
    if (e.name === 'wasm') {
      const plainFast = !transA && !transB && p.batch === 1 && p.k > 0;
      if (plainFast) return stock(args);
      out = xnnpackProduct(backend, stock, a, b, transA, transB, p);
    } else {
      out = backend.makeOutput([p.batch, p.m, p.n], 'float32');
      if (p.batch * p.m * p.n > 0) {
        // Views after makeOutput: allocating may have grown (and replaced) the heap buffer.
        batchedGemm(
          p,
          transA,
          transB,
          heapView(backend, a, p.batchA * p.m * p.k),
          heapView(backend, b, p.batchB * p.k * p.n),
          heapView(backend, out, p.batch * p.m * p.n),
        );
      }
    }
    out.shape = p.outShape;
    if (fused && p.batch * p.m * p.n > 0) {
      const bias = inputs.bias;
      const prelu = inputs.preluActivationWeights;
      applyEpilogue(heapView(backend, out, p.batch * p.m * p.n), p.n, {
        bias: bias ? heapView(backend, bias, product(bias.shape)) : undefined,
        prelu: prelu ? heapView(backend, prelu, product(prelu.shape)) : undefined,
        activation: (attrs.activation as string | undefined) ?? 'linear',
        leakyAlpha: (attrs.leakyreluAlpha as number | undefined) ?? 0.2,
      });
    }
    return out;
  };
}

/**
 * The wasm fallback: per batch entry, explicit transposes into temporaries, then the stock kernel without
 * transpose flags (its XNNPACK path); results copied into one output.
 */
function xnnpackProduct(
  backend: WasmBackendLike,
  stock: KernelFunc,
  a: TensorInfo,
  b: TensorInfo,
  transA: boolean,
  transB: boolean,
  p: Plan,
): TensorInfo {
  const { m, n, k } = p;
  const out = backend.makeOutput([p.batch, m, n], 'float32');
  if (p.batch * m * n === 0) return out;
  if (k === 0) {
    heapView(backend, out, p.batch * m * n).fill(0);
    return out;
  }
  const temps: TensorInfo[] = [];
  try {
    /** op(X) of batch entry `entry` as a rows×cols temporary, or X itself when it needs no copy. */
    const operand = (
      x: TensorInfo,
      batchX: number,
      entry: number,
      trans: boolean,
      rows: number,
      cols: number,
    ) => {
      if (!trans && batchX <= 1) return x;
      // Rank 3: the stock _FusedMatMul reads shape[1] and shape[2].
      const op = backend.makeOutput([1, rows, cols], 'float32');
      temps.push(op);
      const size = rows * cols;
      copyOperand(
        heapView(backend, x, batchX * size),
        entry * size,
        trans,
        cols,
        rows,
        heapView(backend, op, size),
      );
      return op;
    };
    for (let bi = 0; bi < p.batch; bi++) {
      const opA = operand(a, p.batchA, p.batchA === 1 ? 0 : bi, transA, m, k);
      const opB = operand(b, p.batchB, p.batchB === 1 ? 0 : bi, transB, k, n);
      const r = stock({
        inputs: { a: opA, b: opB },
        backend: backend as object,
        // activation is read by the stock _FusedMatMul (the epilogue is applied afterwards, once).
        attrs: { transposeA: false, transposeB: false, activation: 'linear' },
      }) as TensorInfo;
      temps.push(r);
      heapView(backend, out, p.batch * m * n).set(heapView(backend, r, m * n), bi * m * n);
      for (const t of temps.splice(0)) backend.disposeData(t.dataId as object);
    }
  } finally {
    for (const t of temps) backend.disposeData(t.dataId as object);
  }
  return out;
}

/**
 * Writes op(X) (rows×cols, row-major) into dst, where X starts at src[offset] and is stored rows×cols, or
 * cols×rows when `trans`.
 */
function copyOperand(
  src: Float32Array,
  offset: number,
  trans: boolean,
  cols: number,
  rows: number,
  dst: Float32Array,
): void {
  if (!trans) {
    dst.set(src.subarray(offset, offset + rows * cols));
    return;
  }
  // X is stored cols×rows; blocked transpose for cache locality.
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++)
        for (let j = j0; j < j1; j++) dst[i * cols + j] = src[offset + j * rows + i];
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// cpu backend

interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

function cpuKernel(kernelName: KernelName, stock: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as CpuBackendLike;
    const { inputs, attrs, a, b, transA, transB, p } = matmulCall(args);
    const values = (t: TensorInfo | undefined) =>
      t ? backend.data.get(t.dataId as object).values : undefined;
    const av = values(a);
    const bv = values(b);
    if (!p || !(av instanceof Float32Array) || !(bv instanceof Float32Array)) return stock(args);
    const fused = kernelName === '_FusedMatMul';
    if (fused && !fusedSupported(inputs, attrs, p.n)) return stock(args);
    const out = new Float32Array(p.batch * p.m * p.n);
    if (out.length > 0) batchedGemm(p, transA, transB, av, bv, out);
    if (fused && out.length > 0) {
      const bias = values(inputs.bias);
      const prelu = values(inputs.preluActivationWeights);
      if (
        (inputs.bias && !(bias instanceof Float32Array)) ||
        (inputs.preluActivationWeights && !(prelu instanceof Float32Array))
      ) {
        return stock(args);
      }
      applyEpilogue(out, p.n, {
        bias: bias as Float32Array | undefined,
        prelu: prelu as Float32Array | undefined,
        activation: (attrs.activation as string | undefined) ?? 'linear',
        leakyAlpha: (attrs.leakyreluAlpha as number | undefined) ?? 0.2,
      });
    }
    return backend.makeTensorInfo(p.outShape, 'float32', out);
  };
}
