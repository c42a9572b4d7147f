/**
 * tfjs-core's ES module build (needed for `register_all_gradients`, which its CommonJS bundle lacks)
 * uses extensionless and directory imports that Node's ESM resolver rejects. This resolve hook retries
 * such relative imports with `.js` and `/index.js`. Benchmarks only; loaded with `--import`.
 */
import { register } from 'node:module';

if (!globalThis.__graphonPaiEsmHooks) {
  globalThis.__graphonPaiEsmHooks = true;
  register(
    `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const retry = (error.code === 'ERR_UNSUPPORTED_DIR_IMPORT' || error.code === 'ERR_MODULE_NOT_FOUND') &&
      specifier.startsWith('.') && context.parentURL && context.parentURL.includes('/@tensorflow/');
    if (!retry) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw error;
  }
}`)}`,
    import.meta.url,
  );
}
