/**
 * @packageDocumentation
 * Helpers the packages' benchmarks share (private, never published): timed runs after the common warm-up,
 * the median of repeated timings, plain typed arrays to and from `.npy` files (through `@graphon-pai/core`'s
 * reader and writer) for the numpy peer, and running that peer with the environment the benchmark rules ask
 * for.
 */
export { median } from './median';
export { readArrayNpy, writeArrayNpy } from './npy-arrays';
export { peerEnv, runPython } from './peer';
export { timedRuns, WARMUP_MS } from './timed-runs';
