/**
 * glibc allocator settings for processes that allocate many large typed arrays (measured on the
 * project's 2-core VMs: touching fresh memory costs ≈ 14 µs per 4 KiB page on these VMs; a fresh 4 MB Float32Array took 12–17 ms and
 * 0.5 ms with these settings).
 *
 * - {@link ALLOCATOR_ENV}: the environment variables to set **before** a process starts (CLI wrappers,
 *   benchmark scripts, child processes such as the numpy peer): large blocks come from the heap instead of
 *   fresh `mmap`s, and freed memory is kept for reuse instead of being returned to the kernel.
 * - {@link tuneAllocator}: the same from inside a running process, through `mallopt` (glibc only, needs the
 *   optional koffi dependency). glibc caps the runtime mmap threshold at 32 MiB, so blocks above that are
 *   still mapped fresh; prefer the environment variables when you control the launch.
 *
 * @example
 * ```ts
 * import { ALLOCATOR_ENV, tuneAllocator } from '@graphon-pai/linalg';
 * tuneAllocator();                                              // at start-up; true when applied
 * spawn('python3', ['peer.py'], { env: { ...process.env, ...ALLOCATOR_ENV } });
 * ```
 */
import { loadKoffi } from './internal/openblas';

/** Environment for a child process (or a shell wrapper) with the recommended glibc malloc thresholds. */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: '268435456',
  MALLOC_TRIM_THRESHOLD_: '1073741824',
});

const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;

let applied: boolean | undefined;

/**
 * Raises glibc's mmap threshold (to 256 MiB, else its 32 MiB maximum) and trim threshold (1 GiB) in the
 * running process. Returns whether both settings took effect; false (and nothing changed) off glibc or
 * without koffi. Idempotent.
 */
export function tuneAllocator(): boolean {
  if (applied !== undefined) return applied;
  applied = false;
  if (process.platform !== 'linux') return applied;
  try {
    const libc = loadKoffi().load('libc.so.6');
    const mallopt = libc.func('int mallopt(int, int)') as (param: number, value: number) => number;
    const trim = mallopt(M_TRIM_THRESHOLD, 1 << 30) === 1;
    const mmap = mallopt(M_MMAP_THRESHOLD, 256 << 20) === 1 || mallopt(M_MMAP_THRESHOLD, 32 << 20) === 1;
    applied = trim && mmap;
  } catch {
    applied = false;
  }
  return applied;
}
