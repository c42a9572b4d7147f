/**
 * Engine set-up of the CLI (only apps choose a tfjs backend): the wasm backend when it loads,
 * else cpu; `BatchMatMul`/`_FusedMatMul` re-registered on the fastest GEMM provider present
 * (`@graphon-pai/linalg`: onnxruntime → OpenBLAS → wasm/JS); glibc allocator thresholds raised
 * (fresh pages are slow on the VMs measured). Idempotent.
 */
import { installFastMatMul, provider, tuneAllocator } from '@graphon-pai/linalg';
import * as tf from '@tensorflow/tfjs-core';

export interface EngineInfo {
  backend: string;
  provider: string;
}

let ready: Promise<EngineInfo> | undefined;

async function setup(): Promise<EngineInfo> {
  tuneAllocator();
  let backend = 'cpu';
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) backend = 'wasm';
  } catch {
    // Fall through to cpu.
  }
  if (backend !== 'wasm') {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  silenceNodeBanner();
  installFastMatMul(tf);
  return { backend: tf.getBackend(), provider: provider() };
}

/**
 * tfjs's cpu backend prints a banner recommending `@tensorflow/tfjs-node` on its first tensor in Node (on
 * every run of the CLI when the wasm backend is unavailable). That package does not install here and the
 * CLI has chosen its engines on purpose, so the banner is switched off: the backend prints it only while its
 * `firstUse` flag is set.
 */
function silenceNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

export function setupEngine(): Promise<EngineInfo> {
  ready ??= setup();
  return ready;
}
