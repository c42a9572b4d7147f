/**
 * Shared tsup preset: dual ESM/CJS output with type declarations for Node 20.
 * Workspace dependencies stay external (tsup externalises everything in `dependencies`).
 *
 * `esmRequire: true` is for packages that load optional or heavy modules lazily with `require`: in the
 * ESM output esbuild replaces `require` by a shim that throws, so a real one is defined there (from
 * `createRequire(import.meta.url)`), and `shims` gives the CJS output `import.meta.url`.
 */
export function packageBuild({ esmRequire = false, ...overrides } = {}) {
  const requireShim = esmRequire
    ? {
        shims: true,
        banner: ({ format }) =>
          format === 'esm'
            ? {
                js: "import { createRequire as __graphonPaiCreateRequire } from 'node:module';\nconst require = __graphonPaiCreateRequire(import.meta.url);",
              }
            : {},
      }
    : {};
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...requireShim,
    ...overrides,
  };
}
