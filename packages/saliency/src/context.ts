/**
 * The context every built-in criterion scores in, and the helpers that validate it.
 *
 * `CriterionContext` is the `Ctx` of `@graphon-pai/core`'s `CriterionSpec<Ctx>` for every built-in criterion
 * (and the one `@graphon-pai/testkit`'s conformance suite passes to plugins):
 *
 * - `network`: the network to score (never mutated): an `Mlp`, or a `ConvNet` for the criteria typed
 *   `CriterionContext<Network>` (all five built-ins). The type parameter defaults to `Mlp`, the network of
 *   the MLP-only views (FSM factors, plug-in limits) and of plugins written before convolutions;
 * - `data`: one batch or several (SNIP and GraSP average over them; ignored by data-free criteria);
 * - `loss`: `'cross-entropy'` (default) or `'mse'`;
 * - `mask`: the current mask of an iterative schedule. Criteria that accept it score the **masked** network
 *   (`W ⊙ M`), so weights already pruned score exactly 0;
 * - `rng`: the stream of the run (only `random` draws from it, through `rng.fork(layerName)`, so scores depend
 *   on the seed only, not on earlier draws);
 * - `options`: criterion-specific options (see each criterion's header); unknown keys are an error.
 *
 * Scores: a `ScoreMap` keyed by weight name (`'0.weight'`, …) in network order, one float32 per weight,
 * row-major `rows × cols` (out × in; a convolution's `[out, in, kh, kw]` in its row-major order, with
 * `shape.tensorShape`), larger = more important (keep).
 */
import { InvalidArgumentError, type NetworkMask, Rng, type ScoreMap } from '@graphon-pai/core';
import {
  type Batch,
  checkLoss,
  checkNetworkBatch,
  isNetwork,
  type LossName,
  type Mlp,
  type Network,
} from '@graphon-pai/nets';

export interface CriterionContext<N extends Network = Mlp> {
  readonly network: N;
  readonly data?: Batch | readonly Batch[];
  readonly loss?: LossName;
  readonly mask?: NetworkMask;
  readonly rng: Rng;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Validates the parts of a context every criterion uses; returns the network. */
export function checkContext<N extends Network>(ctx: CriterionContext<N>, criterion: string): N {
  if (typeof ctx !== 'object' || ctx === null) {
    throw new InvalidArgumentError(
      'ctx',
      ctx,
      'a CriterionContext { network, data?, loss?, mask?, rng, options? }',
    );
  }
  if (!isNetwork(ctx.network)) {
    throw new InvalidArgumentError(
      'ctx.network',
      ctx.network,
      `an Mlp or a ConvNet from @graphon-pai/nets (criterion '${criterion}')`,
    );
  }
  if (ctx.network.isDisposed) {
    throw new InvalidArgumentError('ctx.network', 'a disposed network', 'a live network', {
      fix: 'score before calling dispose()',
    });
  }
  if (!(ctx.rng instanceof Rng)) {
    throw new InvalidArgumentError('ctx.rng', ctx.rng, 'an Rng from @graphon-pai/core', {
      fix: 'pass rng: new Rng(seed)',
    });
  }
  if (ctx.mask !== undefined) ctx.network.checkMask(ctx.mask, 'ctx.mask');
  if (ctx.options !== undefined && (typeof ctx.options !== 'object' || ctx.options === null)) {
    throw new InvalidArgumentError('ctx.options', ctx.options, 'an object of criterion options');
  }
  return ctx.network;
}

/** The context's batches, validated against the network; throws when a data-driven criterion has none. */
export function contextBatches(ctx: CriterionContext<Network>, criterion: string): Batch[] {
  const { data } = ctx;
  const list =
    data === undefined ? [] : Array.isArray(data) ? [...(data as readonly Batch[])] : [data as Batch];
  if (list.length === 0) {
    throw new InvalidArgumentError(
      'ctx.data',
      data,
      `at least one batch: criterion '${criterion}' needs data`,
      {
        fix: 'pass data: a Batch (e.g. await mnistSubset({ count: 256 })) or an array of batches',
      },
    );
  }
  list.forEach((b, i) => {
    checkNetworkBatch(ctx.network, b, list.length === 1 ? 'ctx.data' : `ctx.data[${i}]`);
  });
  return list;
}

export function contextLoss(ctx: CriterionContext<Network>): LossName {
  return checkLoss(ctx.loss ?? 'cross-entropy', 'ctx.loss');
}

/** Reads and checks criterion options: rejects unknown keys, fills defaults. */
export function readOptions<T extends Record<string, unknown>>(
  ctx: CriterionContext<Network>,
  criterion: string,
  defaults: T,
  check: { [K in keyof T]?: (value: unknown, name: string) => T[K] } = {},
): T {
  const given = ctx.options ?? {};
  for (const key of Object.keys(given)) {
    if (!(key in defaults)) {
      throw new InvalidArgumentError(
        `options.${key}`,
        given[key],
        `an option of '${criterion}' (${Object.keys(defaults).join(', ') || 'none'})`,
        {
          fix: 'remove the option or check its spelling',
        },
      );
    }
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    if (given[key] === undefined) continue;
    const fn = check[key as keyof T];
    out[key] = fn ? fn(given[key], `options.${key}`) : given[key];
  }
  return out as T;
}

export const booleanOption = (value: unknown, name: string): boolean => {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, value, 'true or false');
  return value;
};

export const positiveNumberOption = (value: unknown, name: string): number => {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(name, value, 'a finite positive number');
  }
  return value;
};

/** Divides every score by the sum of all scores (the normalisation of Lee et al. / Wang et al.). */
export function normalizeBySum(scores: ScoreMap, absolute = true): void {
  let total = 0;
  for (const { scores: s } of scores.values()) for (let i = 0; i < s.length; i++) total += s[i];
  const norm = (absolute ? Math.abs(total) : total) || 1;
  for (const { scores: s } of scores.values()) for (let i = 0; i < s.length; i++) s[i] /= norm;
}
