import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// shims: the optional native providers are loaded with createRequire(import.meta.url), which the CJS
// output needs shimmed.
export default defineConfig(packageBuild({ shims: true }));
