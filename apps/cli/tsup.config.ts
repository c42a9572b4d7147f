import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// Start-up stays cheap only if each command's implementation (and the libraries it imports: tfjs, linalg
// providers, mathjs, vega, …) loads when the command runs. Its `import()` must therefore stay an import of
// a separate file in the ESM output: code splitting puts each command in a chunk (a bundle without
// splitting hoists every library import to the top). The CommonJS build is one file: esbuild wraps each
// dynamically imported module, so its `require()` calls run only when that module is imported.
export default defineConfig([
  // src/bin.ts opens with the `#!/usr/bin/env node` line, which esbuild keeps.
  packageBuild({ entry: ['src/index.ts', 'src/bin.ts'], format: ['esm'], splitting: true, dts: false }),
  packageBuild({ format: ['cjs'], dts: false, clean: false }),
  // One declaration pass for both formats (index.d.ts and index.d.cts).
  packageBuild({ dts: { only: true }, clean: false }),
]);
