/**
 * Compiles src/conv/conv-kernels.wat (the readable source) into src/conv/conv-kernels-wasm.ts (the binary, base64):
 *
 *     node scripts/conv-kernels-wasm.mjs           # write conv-kernels-wasm.ts
 *     node scripts/conv-kernels-wasm.mjs --check   # exit 1 if conv-kernels-wasm.ts differs from what this script makes
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitWasmModule } from '@graphon-pai/tooling/wasm-module';

const here = dirname(fileURLToPath(import.meta.url));
const watPath = join(here, '..', 'src', 'conv', 'conv-kernels.wat');
const tsPath = join(here, '..', 'src', 'conv', 'conv-kernels-wasm.ts');

await emitWasmModule({
  script: 'conv-kernels-wasm.mjs',
  wat: readFileSync(watPath, 'utf8'),
  watPath,
  tsPath,
  constName: 'CONV_KERNELS_WASM_BASE64',
  doc: 'The compiled convolution kernels (WebAssembly with SIMD), base64.',
});
