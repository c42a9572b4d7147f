/**
 * Mini-batch training of an MLP under a fixed mask: the "train" half of pruning at initialisation. The
 * steps, epochs, optimisers and guarantees are those of the trainer core ({@link Trainer}, `trainer.ts`);
 * the MLP enters through its training passes (`mlp-training-passes.ts`: host float32, products on the
 * GEMM provider of `@graphon-pai/linalg`).
 *
 * @example
 * const trainer = new MaskedTrainer(net, { learningRate: 0.1, optimizer: { kind: 'sgd', momentum: 0.9 }, mask });
 * trainer.epoch(train, 0);
 * const { accuracy } = trainer.evaluate(test);
 * const trained = trainer.toMlp();   // host copy, e.g. for saveMlpSafetensors
 * trainer.dispose();
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type DenseLayer, Mlp, type ResolvedMlpConfig } from '../mlp';
import type { Evaluation, StepReport } from './epoch';
import { MlpTrainingPasses } from './mlp-training-passes';
import { Trainer } from './trainer';
import type { TrainerOptions } from './trainer-settings';

export type { Evaluation, StepReport, TrainerOptions };

export class MaskedTrainer extends Trainer {
  readonly layers: readonly DenseLayer[];
  readonly config: ResolvedMlpConfig;

  constructor(net: Mlp, options: TrainerOptions) {
    if (!(net instanceof Mlp)) throw new InvalidArgumentError('net', net, 'an Mlp');
    super(net, new MlpTrainingPasses(net), options);
    this.layers = net.layers;
    this.config = net.config;
  }

  /** A network holding the current parameters (the caller disposes it). */
  toMlp(): Mlp {
    return Mlp.fromParameters(this.config, this.parameters());
  }
}
