/**
 * The small, seeded problem every conformance check scores: an MLP built with `@graphon-pai/nets` (or, with
 * `convNet`, a convolutional network such as LeNet-5), two different classification batches, and a random
 * current mask (for criteria that accept one).
 *
 * Defaults: widths 10 → 8 → 6 → 3 (ReLU; 3 weight layers, none a multiple of 32), batches of 16 Gaussian
 * inputs with balanced labels, a mask keeping each weight with probability 0.5 — tiny, so a whole suite runs
 * in about a second on the cpu backend. A conv network's mask is drawn on each layer's `out × (in·kh·kw)`
 * view; its batches have the spec's input size (1 × 28 × 28 for LeNet-5) and as many classes as outputs.
 */
import { BitMatrix, type NetworkMask, Rng } from '@graphon-pai/core';
import { type Activation, type Batch, ConvNet, type LossName, Mlp, type Network } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';

export interface ConformanceOptions {
  /** Layer widths of the test MLP, `[inputs, hidden…, classes]` (default `[10, 8, 6, 3]`). */
  widths?: readonly number[];
  /**
   * Build the problem on a `ConvNet` of this spec instead of the MLP: a name of `@graphon-pai/nets`'
   * `CONV_NETS` (`'lenet5'`) or a spec string. `widths` and `activation` are then ignored.
   */
  convNet?: string;
  /** Hidden activation (default `'relu'`). */
  activation?: Activation;
  /** Examples per batch (default 16). */
  batchSize?: number;
  /** Seed of the network, data, mask and the context's `rng` (default 0). */
  seed?: number;
  /** Kept fraction of the random current mask (default 0.5). */
  maskDensity?: number;
  /** Loss put in the context (default: the criterion's default). */
  loss?: LossName;
  /** `ctx.options` passed to the criterion (default none). */
  criterionOptions?: Readonly<Record<string, unknown>>;
  /**
   * Also require that weights pruned by the current mask score exactly 0 (the convention of the built-in
   * criteria, which score the masked network). Default false.
   */
  prunedScoreZero?: boolean;
  /** Target density passed to maskers as `ctx.density` (default 0.3). */
  maskerDensity?: number;
}

export interface ConformanceSetup {
  readonly network: Network;
  readonly data: Batch;
  /** A second batch with different inputs and labels. */
  readonly otherData: Batch;
  readonly mask: NetworkMask;
  readonly seed: number;
  readonly options: ConformanceOptions;
  /** A fresh context; `withData`/`withMask` choose what it carries. */
  context(parts: {
    data?: Batch | false;
    mask?: NetworkMask | false;
    seed?: number;
  }): CriterionContext<Network>;
  dispose(): void;
}

function batch(rng: Rng, count: number, features: number, classes: number): Batch {
  const inputs = rng.normalArray(count * features, 0, 1, new Float32Array(count * features));
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % classes;
  rng.shuffle(labels);
  return { inputs, count, features, labels, classes };
}

/** Builds the conformance problem. Needs an active tfjs backend (see `ensureBackend`). */
export function createSetup(options: ConformanceOptions = {}): ConformanceSetup {
  const widths = options.widths ?? [10, 8, 6, 3];
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const network: Network =
    options.convNet === undefined
      ? Mlp.create({ widths, activation: options.activation ?? 'relu', seed })
      : ConvNet.create({ spec: options.convNet, seed });
  const features = network.inputSize;
  const classes = network.outputSize;
  const count = options.batchSize ?? 16;
  const data = batch(rng.fork('data'), count, features, classes);
  const otherData = batch(rng.fork('other-data'), count, features, classes);
  const maskRng = rng.fork('mask');
  const density = options.maskDensity ?? 0.5;
  const mask: NetworkMask = new Map(
    network.layers.map((l) => [
      l.weightName,
      BitMatrix.from(l.shape.rows, l.shape.cols, () => maskRng.uniform() < density),
    ]),
  );
  return {
    network,
    data,
    otherData,
    mask,
    seed,
    options,
    context(parts) {
      const ctx: { -readonly [K in keyof CriterionContext<Network>]: CriterionContext<Network>[K] } = {
        network,
        rng: new Rng(parts.seed ?? seed),
      };
      if (parts.data) ctx.data = parts.data;
      if (parts.mask) ctx.mask = parts.mask;
      if (options.loss) ctx.loss = options.loss;
      if (options.criterionOptions) ctx.options = Object.freeze({ ...options.criterionOptions });
      return Object.freeze(ctx);
    },
    dispose() {
      network.dispose();
    },
  };
}
