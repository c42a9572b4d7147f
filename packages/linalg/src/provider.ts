/**
 * GEMM providers: which engine runs dense products, chosen once at load time and reported.
 *
 * | name          | engine                                                                  | dtypes      |
 * |---------------|-------------------------------------------------------------------------|-------------|
 * | `onnxruntime` | onnxruntime-node's CPU runtime (optional dependency), synchronous binding | f32, f64    |
 * | `openblas`    | system OpenBLAS (`libopenblas.so.0`) through koffi (optional dependency) | f32, f64    |
 * | `wasm`        | no native code: plain products in JS; the tfjs kernel transposes explicitly and then takes the wasm backend's XNNPACK path | f32, f64 |
 * | `js`          | no native code at all: plain products and the tfjs kernel in JS          | f32, f64    |
 *
 * Selection order: {@link setProvider} if called, else the environment variable
 * `GRAPHON_PAI_LINALG_PROVIDER`, else the first available of onnxruntime → openblas → wasm. Choosing `wasm` or
 * `js` disables every native engine, including LAPACK for the decompositions; choosing `onnxruntime` or
 * `openblas` keeps LAPACK (from OpenBLAS) when present. Native providers use at most 2 threads (capped at
 * the machine's cores), and only one provider's pool runs at a time since every call is synchronous.
 *
 * @example
 * ```ts
 * import { provider, setProvider } from '@graphon-pai/linalg';
 * provider();            // 'onnxruntime' when onnxruntime-node loads, …
 * setProvider('js');     // force the dependency-free path (e.g. to compare results)
 * ```
 */
import { InvalidArgumentError, UnsupportedError } from '@graphon-pai/core';
import { type GemmKernel, gemmJs32, gemmJs64 } from './internal/gemm-js';
import { type Lapack, loadLapack } from './internal/lapack';
import { loadOnnxruntimeGemm } from './internal/onnxruntime-gemm';
import { loadOpenblasGemm } from './internal/openblas';

export type ProviderName = 'onnxruntime' | 'openblas' | 'wasm' | 'js';

export const PROVIDER_NAMES: readonly ProviderName[] = ['onnxruntime', 'openblas', 'wasm', 'js'];

/** Environment variable that picks the provider at load time. */
export const PROVIDER_ENV = 'GRAPHON_PAI_LINALG_PROVIDER';

/** What a provider offers to the rest of the package (internal). */
export interface GemmEngine {
  readonly name: ProviderName;
  readonly gemm32: GemmKernel<Float32Array>;
  readonly gemm64: GemmKernel<Float64Array>;
  /** Products smaller than this many multiply-adds go to the JS kernel (call overhead dominates). */
  readonly minWork: number;
}

const jsEngine: GemmEngine = { name: 'js', gemm32: gemmJs32, gemm64: gemmJs64, minWork: 0 };
const wasmEngine: GemmEngine = { ...jsEngine, name: 'wasm' };

/** Result of trying to load a provider: the engine, or why it is unavailable. */
type Loaded = { engine: GemmEngine } | { reason: string };

const loaded = new Map<ProviderName, Loaded>();

function load(name: ProviderName): Loaded {
  let result = loaded.get(name);
  if (result) return result;
  try {
    if (name === 'js') result = { engine: jsEngine };
    else if (name === 'wasm') result = { engine: wasmEngine };
    else if (name === 'onnxruntime') result = { engine: loadOnnxruntimeGemm() };
    else result = { engine: loadOpenblasGemm() };
  } catch (error) {
    result = { reason: error instanceof Error ? error.message : String(error) };
  }
  loaded.set(name, result);
  return result;
}

let active: GemmEngine | undefined;

function checkName(argument: string, name: unknown): ProviderName {
  if (typeof name !== 'string' || !(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(
      argument,
      name,
      `one of ${PROVIDER_NAMES.map((p) => `'${p}'`).join(', ')}`,
    );
  }
  return name as ProviderName;
}

function choose(): GemmEngine {
  const fromEnv = typeof process === 'undefined' ? undefined : process.env?.[PROVIDER_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const name = checkName(PROVIDER_ENV, fromEnv.trim().toLowerCase());
    const result = load(name);
    if ('engine' in result) return result.engine;
    process.emitWarning(
      `${PROVIDER_ENV}=${name} is unavailable (${result.reason}); choosing the next available provider`,
      { code: 'GRAPHON_PAI_LINALG_PROVIDER' },
    );
  }
  for (const name of ['onnxruntime', 'openblas'] as const) {
    const result = load(name);
    if ('engine' in result) return result.engine;
  }
  return wasmEngine;
}

/** The active engine (internal). */
export function engine(): GemmEngine {
  active ??= choose();
  return active;
}

/** Name of the active GEMM provider. */
export function provider(): ProviderName {
  return engine().name;
}

/**
 * Switches the GEMM provider for the whole process.
 * @throws UnsupportedError when the provider cannot be loaded on this machine (the message says why).
 */
export function setProvider(name: ProviderName): void {
  const checked = checkName('name', name);
  const result = load(checked);
  if (!('engine' in result)) {
    throw new UnsupportedError(`provider '${checked}' is unavailable: ${result.reason}`, {
      fix: `call availableProviders() to see what loads here; use 'wasm' or 'js' for the dependency-free path`,
    });
  }
  active = result.engine;
}

/** Providers that load on this machine, in preference order. */
export function availableProviders(): ProviderName[] {
  return PROVIDER_NAMES.filter((name) => 'engine' in load(name));
}

/** Why a provider is unavailable, or undefined when it loads. */
export function providerUnavailableReason(name: ProviderName): string | undefined {
  const result = load(checkName('name', name));
  return 'reason' in result ? result.reason : undefined;
}

/**
 * LAPACK routines when the active provider allows native code and liblapacke loads (internal).
 */
export function lapack(): Lapack | undefined {
  const name = provider();
  if (name === 'js' || name === 'wasm') return undefined;
  return loadLapack();
}

/** Whether the decompositions currently run on LAPACK. */
export function lapackAvailable(): boolean {
  return lapack() !== undefined;
}
