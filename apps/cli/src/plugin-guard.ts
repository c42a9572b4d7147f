/**
 * Runs third-party plugin code (a criterion's `score`, a masker's `mask`) so that whatever it does is
 * reported as the plugin's doing, by name, with exit code 2:
 *
 * - **throws or rejects**: a `PluginError` "criterion "acme/x" of plugin "acme-pruners" (from acme) failed:
 *   <its message>", the original error kept as `cause` (shown with `--debug`);
 * - **returns something that is not a result** (not a `Map` of layer name → scores / mask): a `PluginError`;
 * - **never settles**: when the process has nothing left to do while the call is pending (Node's
 *   `beforeExit`: no timer, socket or file operation can ever settle the promise), the call fails at once
 *   instead of the process exiting 0 with no output;
 * - **takes longer than the time limit** (`--plugin-timeout`, seconds): the call fails with a timeout. A
 *   watchdog thread keeps the clock, so this also stops a plugin stuck in a synchronous loop: when the main
 *   thread does not answer the watchdog within a second, the watchdog terminates the running JavaScript
 *   through the inspector protocol (`Runtime.terminateExecution`), and the CLI reports the timeout. After a
 *   timeout the plugin may have left work behind (timers, unsettled promises), so the CLI process exits a
 *   few seconds after reporting it if that work would keep it alive.
 *
 * Not interruptible: native code that never returns to JavaScript (a blocking addon call) — the watchdog
 * can only stop JavaScript; such a plugin is stopped by the user (Ctrl-C) or the batch scheduler's limit.
 */
import { GraphonPaiError, PluginError, type PrunerPlugin } from '@graphon-pai/core';
import { Worker } from 'node:worker_threads';

/** Default `--plugin-timeout`: generous, a criterion on a large network with many batches takes minutes. */
export const DEFAULT_PLUGIN_TIMEOUT_SECONDS = 1800;

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

/** After a timeout, leave the process a few seconds to report, then end it if the plugin keeps it alive. */
function exitSoonIfKeptAlive(): void {
  setTimeout(() => process.exit(process.exitCode ?? 2), 3000).unref();
}

/** Calls `call` under the plugin rules of the header. */
export function guardPluginCall<T>(
  site: PluginCallSite,
  timeoutSeconds: number,
  call: () => T | Promise<T>,
): Promise<T> {
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
        exitSoonIfKeptAlive();
        reject(
          new PluginError(`${describe(site)} did not finish within ${timeoutSeconds} s and was stopped`, {
            fix: 'raise the limit with --plugin-timeout <seconds> if it is just slow; otherwise report it to the plugin author',
          }),
        );
      }),
    );
    Promise.resolve()
      .then(call)
      .then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(attribute(site, error))),
      );
  });
}

function attribute(site: PluginCallSite, error: unknown): PluginError {
  let message = error instanceof Error ? error.message : String(error);
  const ownFix = error instanceof GraphonPaiError ? error.fix : undefined;
  if (ownFix && message.endsWith(`. Fix: ${ownFix}`)) message = message.slice(0, -`. Fix: ${ownFix}`.length);
  const fix =
    ownFix ??
    'this is an error in the plugin, not in graphon-pai: report it to the plugin author (rerun with --debug for its stack)';
  return new PluginError(`${describe(site)} failed: ${message}`, { fix, cause: error });
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
 * other fields unchanged. `timeoutSeconds` is read when a call starts.
 */
export function guardPlugin(
  plugin: PrunerPlugin,
  source: string | undefined,
  timeoutSeconds: () => number,
): PrunerPlugin {
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
          guardPluginCall(where, timeoutSeconds(), () => original.call(spec, ctx)).then((value) => {
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
