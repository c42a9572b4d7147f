import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createWabt from 'wabt';
import { FUSED_WASM_BASE64 } from '../src/internal/wasm/fused-wasm';
import { fusedKernel } from '../src/internal/wasm/fused-kernel';

describe('the SIMD kernel', () => {
  it('is the compiled form of fused.wat (run `pnpm build:wasm` after editing the .wat)', async () => {
    const wabt = await createWabt();
    const wat = readFileSync(join(__dirname, '..', 'src', 'internal', 'wasm', 'fused.wat'), 'utf8');
    const module = wabt.parseWat('fused.wat', wat, { simd: true });
    module.validate();
    const { buffer } = module.toBinary({});
    expect(Buffer.from(buffer).toString('base64')).toBe(FUSED_WASM_BASE64);
    module.destroy();
  });

  it('loads on this runtime', () => {
    expect(fusedKernel()).not.toBeNull();
  });
});
