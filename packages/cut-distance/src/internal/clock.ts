/**
 * The clock of the per-phase timings (`CutNormResult.phaseMs`): wall time by default. Benchmarks on a shared
 * machine may swap in process CPU time (`clock.now = () => cpuMs()`), which load inflates far less.
 */
export const clock = { now: (): number => performance.now() };
