/**
 * Staging paths of the outputs a process is writing (`output-files.ts`, `output-folder.ts`): staging folders
 * and files live **next to their target** (so the final rename never crosses a file system) under names that
 * carry the writer's pid:
 *
 *     .<name>.partial-<pid>              a staging folder or file of `<name>`
 *     .<name>.<pid>.<counter>.tmp        a file being written atomically (`writeFileAtomic`)
 *
 * A writer registers each temporary with {@link removeOnExit}; it is removed when the writer finishes,
 * fails, the process calls `process.exit`, or receives SIGINT / SIGTERM (the handlers are installed only
 * while a temporary exists, so Ctrl-C keeps its default effect the rest of the time; on a signal the
 * process exits with 128 + its number). A process killed outright (SIGKILL, power cut) leaves its
 * temporaries behind: {@link removeStaleTemporaries} deletes those whose pid is no longer alive, and the
 * output rule calls it for every place it writes to. Node only (the browser build stubs `node:fs`).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const pending = new Set<string>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
const handlers = new Map<NodeJS.Signals, () => void>();

function removeAll(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

function install(): void {
  if (handlers.size > 0) return;
  process.on('exit', removeAll);
  for (const [signal, number] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
    const onSignal = (): void => {
      removeAll();
      process.exit(128 + number);
    };
    handlers.set(signal, onSignal);
    process.on(signal, onSignal);
  }
}

function uninstall(): void {
  process.off('exit', removeAll);
  for (const [signal, onSignal] of handlers) process.off(signal, onSignal);
  handlers.clear();
}

/**
 * Registers `path` (file or folder) for removal on every exit path. Returns the release function: call it
 * once the path has been renamed into place or removed.
 */
export function removeOnExit(path: string): () => void {
  pending.add(path);
  install();
  return () => {
    pending.delete(path);
    if (pending.size === 0) uninstall();
  };
}

/** The staging name of `name` for this process: `.<name>.partial-<pid>`. */
export function stagingName(name: string): string {
  return `.${name}.partial-${process.pid}`;
}

/** True when a process with this pid exists (ours, or another user's). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const PIDS = /\.partial-(\d+)|\.(\d+)\.\d+\.tmp/g;

/** The pids named by a temporary's file name (none when `entry` is not a temporary of ours). */
function temporaryPids(entry: string): number[] {
  if (!entry.startsWith('.')) return [];
  return [...entry.matchAll(PIDS)].map((m) => Number(m[1] ?? m[2]));
}

/**
 * Removes from `dir` the temporaries of `name` (or, without `name`, of any file) left by runs that are no
 * longer alive. Never touches a path whose name is not one of the temporary patterns above.
 */
export function removeStaleTemporaries(dir: string, name?: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // nothing to clean in a folder that does not exist (or cannot be listed)
  }
  for (const entry of entries) {
    if (name !== undefined && !entry.startsWith(`.${name}.`) && !entry.startsWith(`..${name}.`)) continue;
    const pids = temporaryPids(entry);
    if (pids.length > 0 && !pids.some(isAlive)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}
