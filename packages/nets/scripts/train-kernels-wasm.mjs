/**
 * Compiles the WebAssembly SIMD kernels of training (src/train/train-kernels.wat, the readable source) into
 * src/train/train-kernels-wasm.ts (base64), with wabt:
 *
 *     node scripts/train-kernels-wasm.mjs           # write the .ts file
 *     node scripts/train-kernels-wasm.mjs --check   # exit 1 if it differs from what this script makes
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitWasmModule } from '@graphon-pai/tooling/wasm-module';

const here = dirname(fileURLToPath(import.meta.url));
const watPath = join(here, '..', 'src', 'train', 'train-kernels.wat');
const tsPath = join(here, '..', 'src', 'train', 'train-kernels-wasm.ts');

await emitWasmModule({
  script: 'train-kernels-wasm.mjs',
  wat: readFileSync(watPath, 'utf8'),
  watPath,
  tsPath,
  constName: 'TRAIN_KERNELS_WASM_BASE64',
  doc: 'The compiled training kernels (WebAssembly with SIMD), base64.',
});
