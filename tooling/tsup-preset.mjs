/**
 * Shared tsup preset: dual ESM/CJS output with type declarations for Node 20.
 * Workspace dependencies stay external (tsup externalises everything in `dependencies`).
 *
 * `browser: true` adds a second build, `dist/browser.js` (ESM for browsers, the package's `browser` export
 * condition): the same sources with Node's built-in modules replaced by stubs that throw when used
 * (tooling/browser/node-only-stub.mjs), so a bundler never sees `node:fs` and friends. It shares the
 * type declarations of the Node build.
 *
 * `esmRequire: true` is for packages that load optional or heavy modules lazily with `require`: in the
 * ESM output esbuild replaces `require` by a shim that throws, so a real one is defined there (from
 * `createRequire(import.meta.url)`), and `shims` gives the CJS output `import.meta.url`.
 */
import { nodeOnlyStubPlugin } from './browser/node-only-stub.mjs';

/** Output files of the browser build, spared by the Node build's `clean`. */
const BROWSER_OUTPUT = ['!browser.js', '!browser.js.map'];

export function packageBuild({ esmRequire = false, browser = false, ...overrides } = {}) {
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
  const node = {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: browser ? BROWSER_OUTPUT : true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...requireShim,
    ...overrides,
  };
  if (!browser) return node;
  return [
    node,
    {
      entry: { browser: 'src/index.ts' },
      format: ['esm'],
      dts: false,
      clean: false,
      sourcemap: true,
      target: 'es2022',
      platform: 'browser',
      removeNodeProtocol: false,
      splitting: false,
      // No CommonJS `require` in a browser: code that falls back to `createRequire` then meets the stub's error.
      define: { require: 'undefined' },
      esbuildPlugins: [nodeOnlyStubPlugin()],
    },
  ];
}
