/**
 * Synchronous loading of optional native dependencies (onnxruntime-node, koffi) from this package's own
 * resolution scope, in both the ESM and the CJS build.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

let cached: NodeJS.Require | undefined;

export function localRequire(): NodeJS.Require {
  cached ??= typeof require === 'function' ? require : createRequire(import.meta.url);
  return cached;
}

/** Number of threads a native provider may use: the machine's cores, at most `cap`. */
export function threadBudget(cap = 2): number {
  return Math.max(1, Math.min(cap, availableParallelism()));
}
