import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// mathjs is loaded lazily with `require` (see src/expression.ts). In the ESM output esbuild replaces
// `require` by a shim that throws, so a real one is defined for that format (as in @graphon-pai/linalg);
// `shims` gives the CJS output `import.meta.url`.
export default defineConfig(
  packageBuild({
    shims: true,
    banner: ({ format }: { format: string }) =>
      format === 'esm'
        ? {
            js: "import { createRequire as __graphonPaiCreateRequire } from 'node:module';\nconst require = __graphonPaiCreateRequire(import.meta.url);",
          }
        : {},
  }),
);
