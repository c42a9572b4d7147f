/**
 * Timing a benchmark's call the way every benchmark here and its numpy peer (`python/peer_common.py`) do:
 * warm up first — at least `warmupCalls` calls and, when there is any warm-up, at least {@link WARMUP_MS}
 * of calls (the first large products of a process run several times slower than the steady state) — then
 * time `reps` calls one by one.
 */

/** The shortest warm-up, in milliseconds. */
export const WARMUP_MS = 1000;

/** The wall times (ms) of `reps` calls of `fn` after the warm-up (none with `warmupCalls` 0). */
export function timedRuns(fn: () => void, reps: number, warmupCalls = 1): number[] {
  const start = performance.now();
  for (let i = 0; i < warmupCalls || (warmupCalls > 0 && performance.now() - start < WARMUP_MS); i++) fn();
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return runs;
}
