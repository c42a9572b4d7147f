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
  installFastMatMul(tf);
  return { backend: tf.getBackend(), provider: provider() };
}

export function setupEngine(): Promise<EngineInfo> {
  ready ??= setup();
  return ready;
}
