/**
 * The choice lists the help texts show, as plain constants so `--help` loads no library package (the
 * libraries pull in tfjs, linalg providers, mathjs, …; a command's implementation imports them when it
 * runs). Each list is checked at compile time to name every member of its library's type and nothing else;
 * `choices.test.ts` also compares the lists the libraries export at run time.
 */
import type { Alignment, CutNormMethod } from '@graphon-pai/cut-distance';
import type { GraphonEstimator } from '@graphon-pai/graphon';
import type { AllocationKind } from '@graphon-pai/masks';
import type { Activation, LossName } from '@graphon-pai/nets';

/** `list`, checked at compile time to name every member of the union `T` (a missing one is a type error). */
const every =
  <T extends string>() =>
  <const L extends readonly T[]>(
    list: L & (Exclude<T, L[number]> extends never ? unknown : { missing: Exclude<T, L[number]> }),
  ): L =>
    list;

/** `prune --activation`: `@graphon-pai/nets` `ACTIVATIONS`. */
export const ACTIVATIONS = every<Activation>()(['relu', 'tanh', 'linear']);

/** `prune --loss`: `@graphon-pai/nets` `LOSSES`. */
export const LOSSES = every<LossName>()(['cross-entropy', 'mse']);

/** `prune --allocation`: the scopes / allocations of `@graphon-pai/masks`. */
export const ALLOCATIONS = every<AllocationKind>()(['global', 'layerwise', 'uniform', 'erk', 'first-last']);

/** `cut --method`: `@graphon-pai/cut-distance` cut-norm methods. */
export const METHODS = every<CutNormMethod>()(['auto', 'exact', 'sdp', 'local']);

/** `cut --alignment`: `@graphon-pai/cut-distance` alignments. */
export const ALIGNMENTS = every<Alignment>()(['identity', 'canonical', 'optimized']);

/** `graphon --estimator`: `@graphon-pai/graphon` `GRAPHON_ESTIMATORS`. */
export const ESTIMATORS = every<GraphonEstimator>()(['histogram', 'sas', 'usvt', 'network-histogram']);
export type Estimator = GraphonEstimator;

/** `limit --link`. */
export const LINKS = ['multiplicative', 'additive'] as const;
