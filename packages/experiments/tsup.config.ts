import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// Importing the package must stay light (the CLI's `--help` imports the preset descriptors): each preset's
// computation, and the tensor libraries it imports, loads with `load()`. Its `import()` therefore stays an
// import of a separate file in the ESM output (code splitting); the CommonJS build is one file in which
// esbuild wraps each dynamically imported module, so its `require()` calls run only when it is imported.
export default defineConfig([
  packageBuild({ format: ['esm'], splitting: true, dts: false }),
  packageBuild({ format: ['cjs'], dts: false, clean: false }),
  // One declaration pass for both formats (index.d.ts and index.d.cts).
  packageBuild({ dts: { only: true }, clean: false }),
]);
