/**
 * onnxruntime-node's CPU runtime as a GEMM provider, called through the package's synchronous internal
 * binding (`onnxruntime-node/dist/binding`; the public `session.run` is asynchronous, and a tfjs kernel
 * must be synchronous). The binding is internal API, so the dependency is pinned to 1.30.0.
 *
 * One tiny in-memory model per (element type, transA, transB): a single ONNX `Gemm` node with symbolic
 * dimensions. Inputs are wrapped without copying and the output tensor is pre-allocated over the caller's
 * C, so onnxruntime writes the product in place. alpha ≠ 1 or beta ≠ 0 go through a reused scratch
 * buffer. Sessions use at most 2 intra-op threads (capped at the cores) with spinning off, because the
 * calls interleave with JavaScript work on the same two cores.
 */
import { isMainThread } from 'node:worker_threads';
import type { GemmEngine } from '../provider';
import { type GemmKernel, scaleC } from './gemm-js';
import { localRequire, threadBudget } from './native';
import { ONNX_DOUBLE, ONNX_FLOAT, oneNodeModel } from './onnx-model';
import { scratch32, scratch64 } from './scratch';

export const ORT_VERSION = '1.30.0';

interface OrtTensorConstructor {
  new (type: string, data: Float32Array | Float64Array, dims: number[]): unknown;
}
interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: object, fetches: object, options: object): Record<string, unknown>;
}
interface Binding {
  InferenceSession: new () => BindingSession;
  initOrtOnce(logLevel: number, tensor: OrtTensorConstructor, isMainThread: boolean): void;
}

const TYPED_ARRAYS: Record<
  string,
  new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ) => ArrayBufferView
> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  bool: Uint8Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

/**
 * The binding builds its output tensors from typed arrays of the realm it was loaded in. Under a
 * sandboxed module system (jest's vm contexts) that realm differs from onnxruntime-common's, whose
 * `instanceof` check then rejects every output. This subclass re-wraps such arrays as same-realm views of
 * the same memory (no copy); it is installed only when that mismatch is detected.
 */
function realmTolerant(Base: OrtTensorConstructor): OrtTensorConstructor {
  return class extends (Base as unknown as new (...args: unknown[]) => object) {
    constructor(...args: unknown[]) {
      const [type, data] = args;
      if (typeof type === 'string' && ArrayBuffer.isView(data) && TYPED_ARRAYS[type]) {
        const Ctor = TYPED_ARRAYS[type];
        if (!(data instanceof Ctor)) {
          const view = data as unknown as { buffer: ArrayBufferLike; byteOffset: number; length: number };
          args[1] = new Ctor(view.buffer, view.byteOffset, view.length);
        }
      }
      super(...args);
    }
  } as unknown as OrtTensorConstructor;
}

/** Products with fewer multiply-adds than this run on one intra-op thread. */
const SMALL_WORK = 1 << 22;

export function loadOnnxruntimeGemm(): GemmEngine {
  const req = localRequire();
  const pkg = req('onnxruntime-node/package.json') as { version: string };
  if (pkg.version !== ORT_VERSION) {
    throw new Error(
      `onnxruntime-node ${pkg.version} is installed but this package uses the internal binding of ${ORT_VERSION}`,
    );
  }
  const ort = req('onnxruntime-node') as { Tensor: OrtTensorConstructor };
  const { binding, initOrt } = req('onnxruntime-node/dist/binding') as {
    binding: Binding;
    initOrt: () => void;
  };
  initOrt();
  const threads = threadBudget();
  const sessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableCpuMemArena: false,
    enableMemPattern: false,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  // Small products (below SMALL_WORK multiply-adds, e.g. the thin reorthogonalisation and Gram products of
  // the iterative solvers) run on single-threaded sessions: splitting them gains little, and on a loaded
  // machine every multi-threaded call can wait for a descheduled worker thread.
  const singleThreaded = { ...sessionOptions, intraOpNumThreads: 1 };
  const sessions = new Map<string, BindingSession>();
  const session = (elemType: number, transA: boolean, transB: boolean, small: boolean): BindingSession => {
    const key = `${elemType}:${transA}:${transB}:${small}`;
    let s = sessions.get(key);
    if (!s) {
      const model = oneNodeModel({
        opType: 'Gemm',
        elemType,
        inputs: [
          { name: 'A', dims: transA ? ['K', 'M'] : ['M', 'K'] },
          { name: 'B', dims: transB ? ['N', 'K'] : ['K', 'N'] },
        ],
        output: { name: 'Y', dims: ['M', 'N'] },
        intAttributes: { transA: transA ? 1 : 0, transB: transB ? 1 : 0 },
      });
      s = new binding.InferenceSession();
      s.loadModel(
        model.buffer as ArrayBuffer,
        model.byteOffset,
        model.byteLength,
        small ? singleThreaded : sessionOptions,
      );
      sessions.set(key, s);
    }
    return s;
  };
  const runOptions = {};

  function makeKernel<T extends Float32Array | Float64Array>(elemType: number): GemmKernel<T> {
    const type = elemType === ONNX_FLOAT ? 'float32' : 'float64';
    return (transA, transB, m, n, k, alpha, a, b, beta, c) => {
      if (m === 0 || n === 0) return;
      if (k === 0 || alpha === 0) {
        scaleC(c, m * n, beta);
        return;
      }
      const direct = alpha === 1 && beta === 0;
      const target = direct
        ? c
        : elemType === ONNX_FLOAT
          ? scratch32('ort:tmp', m * n)
          : scratch64('ort:tmp', m * n);
      const view = <U extends Float32Array | Float64Array>(x: U, len: number): U =>
        (x.length === len ? x : x.subarray(0, len)) as U;
      session(elemType, transA, transB, m * n * k < SMALL_WORK).run(
        {
          A: new ort.Tensor(type, view(a, m * k), transA ? [k, m] : [m, k]),
          B: new ort.Tensor(type, view(b, k * n), transB ? [n, k] : [k, n]),
        },
        { Y: new ort.Tensor(type, view(target, m * n), [m, n]) },
        runOptions,
      );
      if (!direct) {
        const len = m * n;
        if (beta === 0) for (let i = 0; i < len; i++) c[i] = alpha * target[i];
        else for (let i = 0; i < len; i++) c[i] = alpha * target[i] + beta * c[i];
      }
    };
  }

  const gemm32 = makeKernel<Float32Array>(ONNX_FLOAT);
  const gemm64 = makeKernel<Float64Array>(ONNX_DOUBLE);
  // Smoke test: a wrong binding contract must fail here (and fall back), not on the first real product.
  const smoke = () => {
    const c = new Float32Array(1);
    gemm32(false, false, 1, 1, 1, 1, Float32Array.of(2), Float32Array.of(3), 0, c);
    if (c[0] !== 6) throw new Error('onnxruntime-node binding did not write the pre-allocated output');
  };
  try {
    smoke();
  } catch (error) {
    if (!(error instanceof TypeError) || !/must be type of/.test(error.message)) throw error;
    binding.initOrtOnce(2, realmTolerant(ort.Tensor), isMainThread);
    smoke();
  }
  // Below 32³ multiply-adds the session call costs more than the JS kernel.
  return { name: 'onnxruntime', gemm32, gemm64, minWork: 32768 };
}
