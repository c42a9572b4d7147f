/**
 * Shared tsup preset: dual ESM/CJS output with type declarations for Node 20.
 * Workspace dependencies stay external (tsup externalises everything in `dependencies`).
 */
export function packageBuild(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...overrides,
  };
}
