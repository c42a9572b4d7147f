/**
 * Runs third-party plugin code (a criterion's `score`, a masker's `mask`) so that whatever it does is
 * reported as the plugin's doing, by name, as a {@link PluginError} (a user error: the CLI exits with code 2).
 * A host wraps each plugin once, before registering it ({@link guardPlugin}). A call that
 *
 * - **throws or rejects**: a `PluginError` "criterion "acme/x" of plugin "acme-pruners" (from acme) failed:
 *   <its message>", the original error kept as `cause`;
 * - **returns something that is not a result** (not a `Map` of layer name → scores / mask): a `PluginError`;
 * - **never settles**: when the process has nothing left to do while the call is pending (Node's
 *   `beforeExit`: no timer, socket or file operation can ever settle the promise), the call fails at once
 *   instead of the process exiting 0 with no output;
 * - **takes longer than the time limit** (`timeoutSeconds`): the call fails with a timeout. A watchdog
 *   thread keeps the clock, so this also stops a plugin stuck in a synchronous loop: when the main thread
 *   does not answer the watchdog within a second, the watchdog terminates the running JavaScript through the
 *   inspector protocol (`Runtime.terminateExecution`), and the call rejects with the timeout. After a
 *   timeout the plugin may have left work behind (timers, unsettled promises): `onTimeout` lets the host
 *   act on it (the CLI ends its process a few seconds later if that work would keep it alive).
 *
 * Not interruptible: native code that never returns to JavaScript (a blocking addon call) — the watchdog
 * can only stop JavaScript; such a plugin is stopped by the user (Ctrl-C) or the batch scheduler's limit.
 * Node only (a worker thread and the inspector).
 *
 * @example
 * registry.register(guardPlugin(plugin, { source: 'acme-pruner', timeoutSeconds: 600 }), { source: 'acme-pruner' });
 */
import { Worker } from 'node:worker_threads';
import { GraphonPaiError, PluginError } from '../errors';
import type { PrunerPlugin } from './contract';

/** Default time limit of one call: generous, a criterion on a large network with many batches takes minutes. */
export const DEFAULT_PLUGIN_TIMEOUT_SECONDS = 1800;

/** How {@link guardPlugin} runs a plugin's calls. */
export interface PluginGuardOptions {
  /** Module name or path the plugin was loaded from, for messages. */
  source?: string;
  /** Seconds one call may take, read when the call starts (default {@link DEFAULT_PLUGIN_TIMEOUT_SECONDS}). */
  timeoutSeconds?: number | (() => number);
  /** Called once a timed-out call has been rejected (the plugin may have left work behind). */
  onTimeout?: () => void;
  /** The fix a timeout error suggests (default: raise `timeoutSeconds` if the plugin is just slow). */
  timeoutFix?: string;
  /** The fix an error thrown by the plugin suggests when it brings none (default: report it to its author). */
  errorFix?: string;
}

const TIMEOUT_FIX =
  'raise the time limit if the plugin is just slow; otherwise report it to the plugin author';
const ERROR_FIX = 'this is an error in the plugin, not in graphon-pai: report it to the plugin author';

/** What is being called, for messages. */
export interface PluginCallSite {
  readonly kind: 'criterion' | 'masker';
  /** Full id, `namespace/id`. */
  readonly id: string;
  readonly plugin: string;
  /** Module name or path it was loaded from. */
  readonly source?: string;
}

const describe = (site: PluginCallSite): string =>
  `${site.kind} ${JSON.stringify(site.id)} of plugin ${JSON.stringify(site.plugin)}${
    site.source ? ` (from ${site.source})` : ''
  }`;

// The watchdog thread: a timer per armed call; on expiry it tells the main thread, and stops its running
// JavaScript when the main thread does not acknowledge within GRACE_MS (it is busy: a synchronous loop).
const GRACE_MS = 1000;
const WATCHDOG = `
const { parentPort } = require('node:worker_threads');
const timers = new Map();
const acked = new Set();
function terminateMainThread(id) {
  if (acked.has(id)) return;
  try {
    const inspector = require('node:inspector');
    const session = new inspector.Session();
    session.connectToMainThread();
    session.post('Runtime.terminateExecution', () => {
      session.disconnect();
      parentPort.postMessage({ terminated: id });
    });
  } catch (error) {
    parentPort.postMessage({ terminated: id, error: String(error) });
  }
}
parentPort.on('message', (m) => {
  if (m.arm !== undefined) {
    timers.set(m.arm, setTimeout(() => {
      timers.delete(m.arm);
      parentPort.postMessage({ fired: m.arm });
      setTimeout(() => terminateMainThread(m.arm), ${GRACE_MS});
    }, m.ms));
  } else if (m.disarm !== undefined) {
    clearTimeout(timers.get(m.disarm));
    timers.delete(m.disarm);
    acked.add(m.disarm);
  }
});
`;

interface Watchdog {
  arm(id: number, ms: number, onFire: () => void): void;
  disarm(id: number): void;
}

let watchdog: Watchdog | undefined;

function startWatchdog(): Watchdog {
  const worker = new Worker(WATCHDOG, { eval: true });
  const handlers = new Map<number, () => void>();
  worker.on('message', (m: { fired?: number; terminated?: number }) => {
    const id = m.fired ?? m.terminated;
    if (id === undefined) return;
    const onFire = handlers.get(id);
    handlers.delete(id);
    if (m.fired !== undefined) worker.postMessage({ disarm: id });
    onFire?.();
  });
  // After the listener (which refs the port): the watchdog never keeps the process alive.
  worker.unref();
  return {
    arm(id, ms, onFire) {
      handlers.set(id, onFire);
      worker.postMessage({ arm: id, ms });
    },
    disarm(id) {
      handlers.delete(id);
      worker.postMessage({ disarm: id });
    },
  };
}

let nextCallId = 0;

/** Calls `call` under the plugin rules of the header, attributing whatever it does to `site`. */
export function guardPluginCall<T>(
  site: PluginCallSite,
  call: () => T | Promise<T>,
  options: Omit<PluginGuardOptions, 'source'> = {},
): Promise<T> {
  const limit = options.timeoutSeconds ?? DEFAULT_PLUGIN_TIMEOUT_SECONDS;
  const timeoutSeconds = typeof limit === 'function' ? limit() : limit;
  const id = nextCallId++;
  const dog = (watchdog ??= startWatchdog());
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      process.off('beforeExit', onBeforeExit);
      dog.disarm(id);
      settle();
    };
    const onBeforeExit = (): void =>
      finish(() =>
        reject(
          new PluginError(
            `${describe(site)} returned a promise that never settles (nothing is left that could settle it)`,
            {
              fix: 'the plugin awaits something that never happens; report it to its author, or run without this plugin',
            },
          ),
        ),
      );
    process.on('beforeExit', onBeforeExit);
    dog.arm(id, timeoutSeconds * 1000, () =>
      finish(() => {
        reject(
          new PluginError(`${describe(site)} did not finish within ${timeoutSeconds} s and was stopped`, {
            fix: options.timeoutFix ?? TIMEOUT_FIX,
          }),
        );
        options.onTimeout?.();
      }),
    );
    Promise.resolve()
      .then(call)
      .then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(attribute(site, error, options.errorFix ?? ERROR_FIX))),
      );
  });
}

function attribute(site: PluginCallSite, error: unknown, defaultFix: string): PluginError {
  let message = error instanceof Error ? error.message : String(error);
  const ownFix = error instanceof GraphonPaiError ? error.fix : undefined;
  if (ownFix && message.endsWith(`. Fix: ${ownFix}`)) message = message.slice(0, -`. Fix: ${ownFix}`.length);
  return new PluginError(`${describe(site)} failed: ${message}`, { fix: ownFix ?? defaultFix, cause: error });
}

function checkResult(site: PluginCallSite, value: unknown): void {
  if (!(value instanceof Map)) {
    throw new PluginError(
      `${describe(site)} returned ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not a Map of layer name → ${
        site.kind === 'criterion' ? 'scores (a ScoreMap)' : 'mask (a NetworkMask)'
      }`,
      { fix: 'report it to the plugin author; the conformance suite of @graphon-pai/testkit catches this' },
    );
  }
}

/**
 * The plugin with every criterion's `score` and masker's `mask` run through {@link guardPluginCall}; all
 * other fields unchanged.
 */
export function guardPlugin(plugin: PrunerPlugin, options: PluginGuardOptions = {}): PrunerPlugin {
  const { source, ...callOptions } = options;
  const site = (kind: PluginCallSite['kind'], localId: string): PluginCallSite => ({
    kind,
    id: `${plugin.meta.namespace}/${localId}`,
    plugin: plugin.meta.name,
    source,
  });
  const wrap = <S extends object, K extends keyof S>(
    specs: Readonly<Record<string, S>> | undefined,
    kind: PluginCallSite['kind'],
    method: K,
  ): Record<string, S> | undefined => {
    if (specs === undefined) return undefined;
    const out: Record<string, S> = {};
    for (const [localId, spec] of Object.entries(specs)) {
      const original = spec[method] as unknown as (ctx: unknown) => unknown;
      const where = site(kind, localId);
      out[localId] = {
        ...spec,
        [method]: (ctx: unknown) =>
          guardPluginCall(where, () => original.call(spec, ctx), callOptions).then((value) => {
            checkResult(where, value);
            return value;
          }),
      };
    }
    return out;
  };
  return {
    ...plugin,
    criteria: wrap(plugin.criteria, 'criterion', 'score'),
    maskers: wrap(plugin.maskers, 'masker', 'mask'),
  };
}
