/**
 * esbuild plugin for the browser builds of graphon-pai packages: Node's built-in modules (`node:fs`,
 * `node:os`, …) resolve to stubs with the same export names whose every export throws when used.
 *
 * The packages import Node built-ins only inside what needs Node: reading and writing files, loading the
 * optional native GEMM providers (onnxruntime-node, koffi), the MNIST IDX loader. In a browser bundle those
 * functions fail with a message naming the Node-only call; everything else (masks, scores, graphons, cut
 * norms, network passes on tfjs) is the very same code as in Node. The native providers are loaded inside
 * a try/catch, so in a browser `@graphon-pai/linalg` reports them unavailable and uses its wasm/JS path.
 *
 * The error is @graphon-pai/core's `UnsupportedError` (code `E_UNSUPPORTED`, with a `fix`): imported from
 * `@graphon-pai/core` in every package but core itself, whose own `src/errors.ts` is bundled instead.
 * The stub lists the real export names of the Node module (read at build time), so named imports link.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const NAMESPACE = 'graphon-pai-node-only';
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** @returns {import('esbuild').Plugin} */
export function nodeOnlyStubPlugin() {
  return {
    name: 'graphon-pai-node-only-stub',
    setup(build) {
      const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
        BUILTINS.has(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const real = await import(args.path.startsWith('node:') ? args.path : `node:${args.path}`);
        const names = Object.keys(real).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        const spec = JSON.stringify(args.path);
        const lines = [
          `import { UnsupportedError } from ${JSON.stringify(errorsModule(cwd))};`,
          'function nodeOnly(name) {',
          '  return function () {',
          `    throw new UnsupportedError(${spec} + '.' + name + ' is not available in browsers: this function needs Node (files, native engines)', {`,
          "      fix: 'in a browser, pass bytes instead of paths (decodeNpy, decodeSafetensors, decodeMaskFile, …) or run it in Node',",
          '    });',
          '  };',
          '}',
          ...names.map((n) => `export const ${n} = nodeOnly(${JSON.stringify(n)});`),
          `export default { ${names.join(', ')} };`,
        ];
        return { contents: lines.join('\n'), loader: 'js', resolveDir: cwd };
      });
    },
  };
}

/** Where the stub takes `UnsupportedError` from: core's own source inside core, else the package. */
function errorsModule(cwd) {
  const { name } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  return name === '@graphon-pai/core' ? join(cwd, 'src', 'errors.ts') : '@graphon-pai/core';
}
