/**
 * `graphon-pai train`: network (spec or safetensors weights) + optional mask file + data → a trained
 * checkpoint (safetensors with PyTorch `state_dict` names, readable back with `--weights`) and the loss and
 * accuracy per epoch. What it computes is `@graphon-pai/nets`' `trainNetwork` (MLPs, and conv networks:
 * `--net lenet5`, `vgg-small`, `conv:<spec>` or 4-D `--weights`; see `../network-input.ts`).
 *
 * Data: `--data mnist` is the standard split (60,000 training digits, 10,000 test digits); `--data X.npy
 * --labels y.npy` trains on a matrix of examples, tested on `--test-data` / `--test-labels` when given.
 *
 * Checkpoints follow the output rule of `@graphon-pai/core`'s `OutputFiles`: written to a staging file and renamed into place
 * once complete, so an interrupted run leaves no checkpoint (and an existing one untouched). A diverging run
 * (non-finite loss) stops with exit code 2 naming the epoch and step; the parameters after the last
 * completed epoch are then written to `--out` (metadata `stopped`), or nothing when no epoch completed.
 *
 * Options and help are in `../command-table/train.ts`; this module loads only when the command runs.
 */
import {
  type FileKind,
  InvalidArgumentError,
  type NetworkMask,
  NumericalError,
  OutputFiles,
  safetensorsKind,
} from '@graphon-pai/core';
import {
  type Batch,
  CONVNET_FORMAT,
  type EpochRecord,
  type LearningRateSchedule,
  LOSSES,
  type LossName,
  loadMnist,
  MLP_FORMAT,
  MNIST_FEATURES,
  type Network,
  networkDensity,
  networkSpecString,
  OPTIMIZERS,
  type OptimizerName,
  type OptimizerOptions,
  saveNetworkSafetensors,
  trainNetwork,
} from '@graphon-pai/nets';
import { npyBatch } from '../data-source';
import { setupEngine } from '../engine';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { readMaskOrFail } from '../mask-file';
import { checkNetworkFlags, type NetworkFlags, networkFromFlags } from '../network-input';
import { parseChoice, parseInteger, parseNumber } from '../options';
import { Progress } from '../progress';

/** Checkpoints: MLP or conv-network safetensors written by graphon-pai (`saveNetworkSafetensors`). */
const CHECKPOINT_FILE: FileKind = {
  ...safetensorsKind('checkpoint', MLP_FORMAT),
  recognise: (path) =>
    safetensorsKind('checkpoint', MLP_FORMAT).recognise(path) ||
    safetensorsKind('checkpoint', CONVNET_FORMAT).recognise(path),
};

export interface TrainCliOptions extends GlobalOptions, NetworkFlags {
  mask?: string;
  data: string;
  labels?: string;
  testData?: string;
  testLabels?: string;
  epochs: string;
  optimizer: string;
  lr: string;
  momentum: string;
  weightDecay: string;
  batch: string;
  schedule: string;
  loss: string;
  out?: string;
  force?: boolean;
}

interface TrainSummary {
  out: string | null;
  network: string;
  mask: { file: string; density: number } | null;
  data: string;
  optimizer: OptimizerOptions;
  learningRate: number;
  schedule: LearningRateSchedule;
  batch: number;
  loss: LossName;
  seed: number;
  epochs: EpochRecord[];
  testAccuracy: number | null;
  testLoss: number | null;
  engine: { backend: string; provider: string };
}

/** `constant`, `cosine`, or `step:EVERY[:GAMMA]` (γ default 0.1). */
function parseLearningRateSchedule(value: string): LearningRateSchedule {
  if (value === 'constant' || value === 'cosine') return { kind: value };
  const m = /^step:(\d+)(?::([0-9.eE+-]+))?$/.exec(value);
  const every = m ? Number(m[1]) : Number.NaN;
  const gamma = m?.[2] === undefined ? 0.1 : Number(m[2]);
  if (!m || !(every >= 1) || !(Number.isFinite(gamma) && gamma > 0)) {
    throw new InvalidArgumentError('--schedule', value, "'constant', 'cosine' or 'step:EVERY[:GAMMA]'", {
      fix: 'e.g. --schedule step:30:0.1 (learning rate × 0.1 every 30 epochs)',
    });
  }
  return { kind: 'step', every, gamma };
}

/** Training and test sets of `--data`. */
async function loadData(
  o: TrainCliOptions,
  net: Network,
): Promise<{ train: Batch; test: Batch | null; what: string }> {
  const features = net.inputSize;
  const outputs = net.outputSize;
  if (o.data === 'mnist') {
    if (features !== MNIST_FEATURES || outputs < 10) {
      throw new InvalidArgumentError(
        '--data',
        'mnist',
        `a network with 784 inputs and ≥ 10 outputs (this one: ${networkSpecString(net)})`,
        {
          fix: 'e.g. --net mlp:784-300-100-10',
        },
      );
    }
    const [train, test] = await Promise.all([loadMnist({ split: 'train' }), loadMnist({ split: 'test' })]);
    return { train, test, what: 'MNIST (60,000 training / 10,000 test digits)' };
  }
  if (!o.data.endsWith('.npy')) {
    throw new InvalidArgumentError(
      '--data',
      o.data,
      "'mnist' or a path to an X.npy file (with --labels y.npy)",
    );
  }
  const train = npyBatch(o.data, o.labels, features, outputs);
  if ((o.testData === undefined) !== (o.testLabels === undefined)) {
    throw new InvalidArgumentError('--test-labels', o.testLabels, 'given together with --test-data', {
      fix: 'pass both --test-data Xt.npy and --test-labels yt.npy, or neither',
    });
  }
  const test = o.testData ? npyBatch(o.testData, o.testLabels, features, outputs) : null;
  return {
    train,
    test,
    what: `${o.data} (${train.count} examples)${test ? `, tested on ${o.testData}` : ''}`,
  };
}

function percent(x: number | null): string {
  return x === null ? '—' : `${(100 * x).toFixed(2)} %`;
}

function formatSummary(s: TrainSummary): string {
  const lines = [
    `trained ${s.network}${s.mask ? ` under ${s.mask.file} (density ${s.mask.density.toPrecision(4)})` : ' (dense)'} on ${s.data}`,
    `${s.optimizer.kind}, learning rate ${s.learningRate} (${s.schedule.kind}), batch ${s.batch}, seed ${s.seed}`,
    'epoch  train loss  train acc   test loss  test acc    seconds',
    ...s.epochs.map(
      (e) =>
        `${String(e.epoch).padStart(5)}  ${e.trainLoss.toFixed(4).padStart(10)}  ${percent(e.trainAccuracy).padStart(9)}  ${(e.testLoss === null ? '—' : e.testLoss.toFixed(4)).padStart(10)}  ${percent(e.testAccuracy).padStart(8)}  ${e.seconds.toFixed(1).padStart(9)}`,
    ),
  ];
  if (s.out) lines.push(`checkpoint: ${s.out}`);
  return lines.join('\n');
}

/** Runs `graphon-pai train` (the command's action). */
export async function runTrain(o: TrainCliOptions, io: CliIo): Promise<void> {
  const seed = o.seed ?? 0;
  // Everything cheap is checked before any work.
  const epochs = parseInteger(o.epochs, '--epochs');
  const batch = parseInteger(o.batch, '--batch');
  const kind = parseChoice<OptimizerName>(o.optimizer, OPTIMIZERS, '--optimizer');
  const learningRate = parseNumber(o.lr, '--lr', 'a finite positive learning rate', (x) => x > 0);
  const weightDecay = parseNumber(
    o.weightDecay,
    '--weight-decay',
    'a finite non-negative number',
    (x) => x >= 0,
  );
  const momentum = parseNumber(o.momentum, '--momentum', 'a number in [0, 1)', (x) => x >= 0 && x < 1);
  const optimizer: OptimizerOptions =
    kind === 'sgd' ? { kind, momentum, weightDecay } : { kind, weightDecay };
  const schedule = parseLearningRateSchedule(o.schedule);
  const loss = parseChoice<LossName>(o.loss, LOSSES, '--loss');
  checkNetworkFlags(o);
  const outputs = new OutputFiles({
    force: o.force,
    inputs: [o.weights, o.mask, o.data, o.labels, o.testData, o.testLabels],
  });
  const checkpoint = o.out === undefined ? undefined : outputs.claim('--out', o.out, CHECKPOINT_FILE);
  const loaded = o.mask === undefined ? undefined : readMaskOrFail(o.mask);

  const engine = await setupEngine();
  const net = networkFromFlags(o, seed);
  let trained: Network | null = null;
  try {
    const mask: NetworkMask | undefined = loaded?.mask;
    if (mask) net.checkMask(mask, '--mask');
    const prunedWith = loaded?.provenance?.seed ?? loaded?.metadata.seed;
    if (mask && !o.weights && prunedWith !== undefined && String(prunedWith) !== String(seed)) {
      io.stderr(
        `warning: ${o.mask} was pruned with seed ${prunedWith} but this network is initialised with --seed ${seed}; pass --seed ${prunedWith} (or the same --weights) to train the network that was pruned\n`,
      );
    }
    const { train, test, what } = await loadData(o, net);
    const steps = epochs * Math.ceil(train.count / batch);
    const progress = new Progress(io, io.isTTY ? steps : epochs, 'train');
    let running = { loss: 0, correct: 0, count: 0 };
    const run = trainNetwork(net, train, {
      epochs,
      learningRate,
      optimizer,
      schedule,
      batchSize: batch,
      loss,
      mask,
      seed,
      test: test ?? undefined,
      onStep: (r) => {
        if (!io.isTTY) return;
        if (r.step === 0) running = { loss: 0, correct: 0, count: 0 };
        const n = Math.min(batch, train.count - r.step * batch);
        running.loss += r.loss * n;
        running.correct += (r.accuracy ?? 0) * n;
        running.count += n;
        progress.tick(
          `epoch ${r.epoch + 1} loss ${(running.loss / running.count).toFixed(4)} acc ${percent(running.correct / running.count)}`,
        );
      },
      onEpoch: (record) => {
        if (!io.isTTY) {
          progress.tick(
            `epoch ${record.epoch}: train loss ${record.trainLoss.toFixed(4)}, test accuracy ${percent(record.testAccuracy)}`,
          );
        }
      },
    });
    trained = run.net;
    const model = trained;
    const last = run.history[run.history.length - 1];
    if (run.diverged) {
      if (checkpoint && model) {
        await outputs.write(() =>
          saveNetworkSafetensors(model, checkpoint.staging, {
            epochs: String(last.epoch),
            stopped: run.diverged?.message ?? '',
          }),
        );
      }
      const where = !checkpoint
        ? 'no checkpoint was asked for (--out)'
        : model
          ? `the parameters after epoch ${last.epoch}, the last good one, are in ${o.out}`
          : `no epoch completed, so ${o.out} was not written`;
      const { message, fix } = run.diverged;
      throw new NumericalError(`${message.replace(/\. Fix: .*$/, '')}; ${where}`, { fix });
    }
    if (checkpoint && model) {
      await outputs.write(() =>
        saveNetworkSafetensors(model, checkpoint.staging, {
          epochs: String(epochs),
          optimizer: JSON.stringify(optimizer),
          learningRate: String(learningRate),
          schedule: JSON.stringify(schedule),
          batch: String(batch),
          seed: String(seed),
          mask: o.mask ?? '',
          data: o.data,
          testAccuracy: String(last.testAccuracy),
        }),
      );
    }
    const summary: TrainSummary = {
      out: o.out ?? null,
      network: networkSpecString(net),
      mask: mask && o.mask ? { file: o.mask, density: networkDensity(net, mask) } : null,
      data: what,
      optimizer,
      learningRate,
      schedule,
      batch,
      loss,
      seed,
      epochs: run.history,
      testAccuracy: last.testAccuracy,
      testLoss: last.testLoss,
      engine,
    };
    emit(io, o, summary, formatSummary);
  } finally {
    trained?.dispose();
    net.dispose();
  }
}
