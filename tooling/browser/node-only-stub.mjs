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
 * The stub lists the real export names of the Node module (read at build time), so named imports link.
 */
import { builtinModules } from 'node:module';

const NAMESPACE = 'graphon-pai-node-only';
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** @returns {import('esbuild').Plugin} */
export function nodeOnlyStubPlugin() {
  return {
    name: 'graphon-pai-node-only-stub',
    setup(build) {
      build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
        BUILTINS.has(args.path) ? { path: args.path, namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const real = await import(args.path.startsWith('node:') ? args.path : `node:${args.path}`);
        const names = Object.keys(real).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        const spec = JSON.stringify(args.path);
        const lines = [
          'function nodeOnly(name) {',
          '  return function () {',
          `    const error = new Error(${spec} + '.' + name + ' is not available in browsers: this graphon-pai function needs Node (files, native engines); use the in-memory variant (decode*/encode*, bytes instead of paths)');`,
          "    error.code = 'ERR_GRAPHON_PAI_NODE_ONLY';",
          '    throw error;',
          '  };',
          '}',
          ...names.map((n) => `export const ${n} = nodeOnly(${JSON.stringify(n)});`),
          `export default { ${names.join(', ')} };`,
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}
