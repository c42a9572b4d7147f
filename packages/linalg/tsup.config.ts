import { packageBuild } from '@graphon-pai/tooling/tsup';
import { defineConfig } from 'tsup';

// The optional native providers (onnxruntime-node, koffi) are loaded synchronously with `require`. In the
// ESM output esbuild replaces `require` by a shim that throws, so a real one is defined for that format;
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
