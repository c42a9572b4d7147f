/**
 * @packageDocumentation
 * Test helpers shared by the packages' test suites (private, never published): seeded random masks, layer
 * masks of a network, random batches and a small separable image task, folder snapshots, and the check that
 * a committed generated file is current. The tfjs CPU backend switch is in `@graphon-pai/test-utils/tfjs`, so that suites without tensors
 * do not load tfjs. Depends on `@graphon-pai/core` only, so every package above core can use it; numeric
 * array comparisons are `@graphon-pai/testkit`'s `toBeCloseToArray`.
 */
export { brightThirdBatch } from './bright-third-batch';
export { maxRelativeError } from './errors';
export { folderSnapshot } from './folder-snapshot';
export { expectGeneratorCheck } from './generator-check';
export { type RandomBatch, randomBatch } from './random-batch';
export { type LayerLike, randomMask, randomNetworkMask } from './random-mask';
export { SMALL_NET } from './small-net';
