/**
 * The playground's Web Worker: the tfjs WebAssembly backend (its .wasm files served next to this script;
 * SIMD required, checked by the page first), `@graphon-pai/linalg`'s matmul kernel on it, the shipped
 * digits (`digits.bin`, gzip), then one `runPlaygroundJob` per request. Everything runs here, so the page
 * stays responsive.
 */
import { registry } from '@graphon-pai/core';
import { installFastMatMul } from '@graphon-pai/linalg';
import { registerBuiltinCriteria } from '@graphon-pai/saliency';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { type DigitFile, decodeDigitFile, digitBatch } from './digits';
import { runPlaygroundJob } from './job';
import type { RunRequest, WorkerReply } from './protocol';

const here = new URL('.', self.location.href).href;
let ready: Promise<DigitFile> | undefined;

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // a server already decoded it
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function setup(): Promise<DigitFile> {
  setWasmPaths(here);
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WebAssembly backend did not start');
  await tf.ready();
  installFastMatMul(tf);
  registerBuiltinCriteria(registry);
  const response = await fetch(new URL('digits.bin', here));
  if (!response.ok) throw new Error(`digits.bin: HTTP ${response.status}`);
  return decodeDigitFile(await gunzip(new Uint8Array(await response.arrayBuffer())));
}

const post = (reply: WorkerReply) => (self as unknown as Worker).postMessage(reply);

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const { id, settings } = event.data;
  try {
    post({ id, type: 'progress', stage: 'loading the engine and the digits', done: 0 });
    ready ??= setup();
    const digits = await ready;
    const batch = digitBatch(digits, settings.seed, settings.digits);
    const result = await runPlaygroundJob(settings, batch, (stage, done) =>
      post({ id, type: 'progress', stage, done }),
    );
    post({ id, type: 'result', result });
  } catch (error) {
    post({ id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
