/**
 * Backend selection for conformance runs. Library packages never pick a tfjs backend; the testkit does,
 * because a test run needs one: it keeps the backend a test file already set, otherwise loads and sets
 * `@tensorflow/tfjs-backend-cpu` (deterministic, no wasm files to locate). Install it as a dev dependency
 * next to the testkit.
 *
 * The backend module is loaded the way the running build of the testkit is loaded: with `require` in the
 * CommonJS build (jest's default CommonJS mode cannot run `import()` without `--experimental-vm-modules`),
 * with `import()` in the ES module build. A backend that is installed but fails to load is reported with
 * its own error, not as "not installed".
 */
import { UnsupportedError } from '@graphon-pai/core';
import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'cpu' | 'wasm';

const PACKAGES: Record<BackendName, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** True in a CommonJS module scope (the CJS build, or sources compiled to CommonJS by jest). */
const commonJs = typeof module === 'object' && typeof require === 'function';

async function loadBackendModule(name: BackendName): Promise<void> {
  // Literal specifiers, so bundlers and `files`/exports checks see both optional peers.
  if (commonJs) {
    if (name === 'cpu') require('@tensorflow/tfjs-backend-cpu');
    else require('@tensorflow/tfjs-backend-wasm');
  } else if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else await import('@tensorflow/tfjs-backend-wasm');
}

/** The error for a backend module that could not be loaded, naming the real cause (exported for tests). */
export function backendLoadError(name: BackendName, cause: unknown): UnsupportedError {
  const specifier = PACKAGES[name];
  const e = cause as { code?: string; message?: string } | undefined;
  const notFound =
    (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(`'${specifier}'`);
  if (notFound) {
    return new UnsupportedError(`the tfjs ${name} backend (${specifier}) is not installed`, {
      fix: `npm i -D ${specifier}@${tf.version_core}`,
      cause,
    });
  }
  const fix =
    e?.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG'
      ? 'this test runner cannot import ES modules: run jest with `node --experimental-vm-modules`, or load the testkit with require (its CommonJS build)'
      : `install ${specifier} once, at the version of @tensorflow/tfjs-core (${tf.version_core}), next to the testkit`;
  return new UnsupportedError(
    `the tfjs ${name} backend (${specifier}) failed to load: ${e?.message ?? String(cause)}`,
    { fix, cause },
  );
}

/** Ensures a tfjs backend is active; returns its name. */
export async function ensureBackend(name?: BackendName): Promise<string> {
  const current = (tf.engine() as unknown as { backendName: string | null }).backendName;
  if (name === undefined && current) return current;
  const wanted = name ?? 'cpu';
  try {
    await loadBackendModule(wanted);
  } catch (cause) {
    throw backendLoadError(wanted, cause);
  }
  if (current !== wanted) await tf.setBackend(wanted);
  await tf.ready();
  return tf.getBackend();
}
