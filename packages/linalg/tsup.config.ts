import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// The optional native providers (onnxruntime-node, koffi) are loaded synchronously with `require`.
export default defineConfig(packageBuild({ esmRequire: true, browser: true }));
