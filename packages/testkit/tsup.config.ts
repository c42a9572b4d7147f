import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// The tfjs backends are loaded on demand by `ensureBackend` from the user's own installation; never bundle them.
export default defineConfig(
  packageBuild({ external: ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'] }),
);
