/**
 * Mini-batch training of a convolutional network ({@link ConvNet}) under a fixed mask, with the options,
 * optimisers, schedules, shuffling and guarantees of the trainer core ({@link Trainer}, `trainer.ts`) that
 * {@link MaskedTrainer} uses for MLPs. The conv network enters through its exact passes
 * (`conv/conv-passes.ts`: im2col on the fast GEMM, on host arrays), run at the trainer's parameters.
 *
 * @example
 * const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
 * const trainer = new ConvTrainer(net, { learningRate: 1e-3, optimizer: { kind: 'adam' } });
 * for (let e = 0; e < 3; e++) trainer.epoch(train, e);   // MNIST, batch 128
 * trainer.evaluate(test).accuracy;   // 0.987 for LeNet-5 (seed 0, standardised inputs)
 * const trained = trainer.toConvNet();
 * trainer.dispose();
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { ConvNet, type ConvNetLayer } from '../conv/conv-net';
import { type ConvTape, convBackwardTape, convForwardTape } from '../conv/conv-passes';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import { type EpochRecord, type TrainRunOptions, trainRun } from './train-mlp';
import { type HostParameters, Trainer, type TrainingPasses } from './trainer';
import type { TrainerOptions } from './trainer-settings';

/** The conv passes at host parameters, keeping the last forward tape for the backward pass. */
class ConvTrainingPasses implements TrainingPasses {
  readonly evaluationChunk = 500;
  private tape: ConvTape | null = null;

  constructor(private readonly net: ConvNet) {}

  forward(params: HostParameters, batch: Batch, loss: LossName): { loss: number; logits: Float32Array } {
    const tape = convForwardTape(this.net.withParameters(params.weights, params.biases), batch, { loss });
    this.tape = tape;
    return { loss: tape.lossValue, logits: tape.activations[tape.activations.length - 1] };
  }

  backward(into: HostParameters): void {
    if (!this.tape) {
      throw new InvalidArgumentError('backward()', 'a call before any forward pass', 'a forward pass first');
    }
    const g = convBackwardTape(this.tape);
    into.weights.forEach((w, l) => {
      w.set(g.effective[l]);
      into.biases[l]?.set(g.biases[l]!);
    });
  }
}

export class ConvTrainer extends Trainer {
  readonly layers: readonly ConvNetLayer[];
  private readonly spec: ConvNet['spec'];

  constructor(net: ConvNet, options: TrainerOptions) {
    if (!(net instanceof ConvNet)) throw new InvalidArgumentError('net', net, 'a ConvNet');
    super(net, new ConvTrainingPasses(net), options);
    this.spec = net.spec;
    this.layers = net.layers;
  }

  /** A network holding the current parameters (validated copy). */
  toConvNet(): ConvNet {
    const params = new Map<string, Float32Array>();
    this.parameters().forEach((p, l) => {
      params.set(this.layers[l].weightName, p.weight);
      if (p.bias) params.set(this.layers[l].biasName!, p.bias);
    });
    return ConvNet.fromStateDict(this.spec, params);
  }
}

export type TrainConvNetOptions = TrainRunOptions<ConvTrainer>;

/** A whole masked training run of a conv network (the counterpart of `trainMlp`). */
export function trainConvNet(
  net: ConvNet,
  train: Batch,
  options: TrainConvNetOptions,
): { net: ConvNet; history: EpochRecord[] } {
  return trainRun(new ConvTrainer(net, options), train, options, (t) => t.toConvNet());
}
