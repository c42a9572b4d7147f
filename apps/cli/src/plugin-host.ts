/**
 * The CLI provides its own copies of the host packages to the plugins it loads.
 *
 * A plugin declares `@graphon-pai/*` (and `@tensorflow/tfjs-core`) as **peer dependencies**: it runs inside
 * the CLI's process and must use the CLI's copies, so that there is one plugin registry, one tfjs engine, and
 * `instanceof Mlp` / `instanceof BitMatrix` hold across the boundary. A plugin installed anywhere (a project
 * folder that does not have these packages, next to a global CLI, or run with `npx`) therefore gets them
 * from the CLI:
 *
 * - ES modules: a module-resolution hook (`module.register`) resolves a bare host specifier
 *   (`@graphon-pai/core`, `@graphon-pai/nets/…`, `@tensorflow/tfjs-core`) as if it were imported by the CLI
 *   itself, whoever imports it; a specifier the CLI cannot resolve resolves as usual.
 * - CommonJS: `Module._resolveFilename` does the same for `require`. When the CLI runs as an ES module (its
 *   binary does) and Node can `require` ES modules (20.19+), `require` is given the very file the CLI
 *   imported, so CommonJS plugins share its module instances too.
 *
 * Installed once per process, before the first plugin is imported; a no-op when already installed.
 */
import Module, { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bare specifiers the CLI provides: a package name or a subpath of one. */
function isHostSpecifier(specifier: string): boolean {
  return /^@graphon-pai\/[^/]+(\/|$)/.test(specifier) || /^@tensorflow\/tfjs-core(\/|$)/.test(specifier);
}

/** URL of this module, the place host packages are resolved from (CommonJS builds and jest have no `import.meta`). */
const hostUrl: string = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
const runningAsCommonJs = typeof __filename === 'string';

// The hooks run in Node's loader thread: a self-contained module given as a data: URL.
const HOOKS = `
const HOST = /^@graphon-pai\\/[^/]+(\\/|$)|^@tensorflow\\/tfjs-core(\\/|$)/;
let hostUrl;
export function initialize(data) { hostUrl = data.hostUrl; }
export async function resolve(specifier, context, nextResolve) {
  if (HOST.test(specifier) && context.parentURL !== hostUrl) {
    try {
      return await nextResolve(specifier, { ...context, parentURL: hostUrl });
    } catch {
      // Not a package the CLI has: resolve as usual.
    }
  }
  return nextResolve(specifier, context);
}
`;

/** Resolves a host specifier to a file, as the CLI itself loads it; undefined when the CLI does not have it. */
function hostFile(specifier: string): string | undefined {
  try {
    if (!runningAsCommonJs && process.features.require_module) {
      return fileURLToPath(import.meta.resolve(specifier));
    }
    return createRequire(hostUrl).resolve(specifier);
  } catch {
    return undefined;
  }
}

let installed = false;

/** Installs both resolution hooks (once). */
export function provideHostPackages(): void {
  if (installed) return;
  installed = true;
  // module.register exists from Node 20.6; on older 20.x releases ES module plugins resolve as usual.
  if (typeof register === 'function') {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { hostUrl } });
  }
  const internal = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  };
  const original = internal._resolveFilename;
  internal._resolveFilename = function resolveFromHost(request, parent, isMain, options) {
    if (isHostSpecifier(request)) {
      const file = hostFile(request);
      if (file !== undefined) return file;
    }
    return original.call(this, request, parent, isMain, options);
  };
}
