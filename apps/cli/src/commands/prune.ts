/**
 * `graphon-pai prune`: network (spec or safetensors weights) + data + criterion (or precomputed scores) +
 * density + allocation + schedule → an exact-density mask file, optionally the raw scores, and a summary.
 *
 * `--net` / `--weights` take MLPs and conv networks (`--net lenet5`, 4-D `--weights`; `../network-input.ts`);
 * a conv layer's mask is written in PyTorch's `[out, in, kh, kw]` layout.
 *
 * `--scores-out` writes the criterion's scores of the unpruned, initial network (the first round's scores),
 * one float32 tensor per layer keyed by parameter name, in the weight's layout (`[rows, cols]`, a
 * convolution's `[out, in, kh, kw]`) — the format `--scores` reads back.
 *
 * Options and help are in `../command-table/prune.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import {
  InvalidArgumentError,
  type LayerShape,
  MASK_FILE_KIND as MASK_FILE,
  type NetworkMask,
  OutputFiles,
  readScoreFile,
  registry,
  type ScoreMap,
  SCORE_FILE_KIND as SCORES_FILE,
  scoreMapSize,
  writeScoreFile,
} from '@graphon-pai/core';
import {
  checkDensity,
  formatMaskStatistics,
  type MaskStatistics,
  maskFromScores,
  maskStatistics,
  prune,
  type Schedule,
  saveMask,
} from '@graphon-pai/masks';
import {
  type Batch,
  LOSSES,
  type LossName,
  mnistSubset,
  type Network,
  networkSpecString,
} from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { ALLOCATIONS } from '../command-table/choices';
import { npyBatch, syntheticBatch } from '../data-source';
import { setupEngine } from '../engine';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { checkNetworkFlags, type NetworkFlags, networkFromFlags } from '../network-input';
import { parseChoice, parseInteger } from '../options';

/** Parses `one-shot`, `exponential:R` or `linear:R`. */
function parseSchedule(value: string): Schedule {
  if (value === 'one-shot') return 'one-shot';
  const m = /^(exponential|linear):(\d+)$/.exec(value);
  const rounds = m ? Number(m[2]) : Number.NaN;
  if (!m || !(rounds >= 1)) {
    throw new InvalidArgumentError(
      '--schedule',
      value,
      "'one-shot', 'exponential:R' or 'linear:R' with R ≥ 1 rounds",
      {
        fix: 'e.g. --schedule exponential:100',
      },
    );
  }
  return rounds === 1 ? 'one-shot' : { kind: 'iterative', rounds, shape: m[1] as 'exponential' | 'linear' };
}

/**
 * `--density` must keep at least one of the `total` weights: a mask keeps k = round(p · N) weights, so a
 * density below 1 / (2N) (e.g. 1e-300) would write an empty mask.
 */
function checkKeepsAWeight(density: number, total: number, text: string): void {
  if (Math.round(density * total) >= 1) return;
  throw new InvalidArgumentError(
    '--density',
    text,
    `a kept fraction that keeps at least one of the ${total} weights (round(p · ${total}) ≥ 1)`,
    { fix: `pass at least ${(0.5 / total).toPrecision(2)}` },
  );
}

function parseDensity(value: string): number {
  const d = Number(value);
  checkDensity(Number.isFinite(d) ? d : (value as unknown as number), '--density');
  return d;
}

export interface PruneCliOptions extends GlobalOptions, NetworkFlags {
  data: string;
  labels?: string;
  samples: string;
  loss: string;
  criterion?: string;
  scores?: string;
  density: string;
  allocation: string;
  schedule?: string;
  out: string;
  scoresOut?: string;
  force?: boolean;
}

/** Loads `--data`: mnist, synthetic:…, or X.npy with --labels y.npy. */
async function loadData(
  o: PruneCliOptions,
  features: number,
  outputs: number,
  samples: number,
  seed: number,
): Promise<Batch> {
  if (o.data === 'mnist') {
    if (features !== 784) {
      throw new InvalidArgumentError(
        '--data',
        'mnist',
        `a data set with ${features} features (MNIST has 784)`,
        {
          fix: 'use a network with 784 inputs, or --data synthetic / --data X.npy',
        },
      );
    }
    return mnistSubset({ count: samples, seed });
  }
  if (o.data === 'synthetic' || o.data.startsWith('synthetic:'))
    return syntheticBatch(o.data, samples, features, seed);
  if (o.data.endsWith('.npy')) return npyBatch(o.data, o.labels, features, outputs);
  throw new InvalidArgumentError(
    '--data',
    o.data,
    "'mnist', 'synthetic[:…]' or a path to an X.npy file (with --labels y.npy)",
  );
}

interface PruneSummary {
  out: string;
  scoresOut: string | null;
  network: string;
  criterion: string;
  density: number;
  kept: number;
  total: number;
  allocation: string;
  schedule: string;
  seed: number;
  layers: { name: string; rows: number; cols: number; kept: number; density: number }[];
  collapsed: boolean;
  logEffectivePaths: number | string | null;
}

function summarize(
  out: string,
  scoresOut: string | undefined,
  network: string,
  criterion: string,
  allocation: string,
  schedule: string,
  seed: number,
  stats: MaskStatistics,
): PruneSummary {
  const lep = stats.network?.logEffectivePaths ?? null;
  return {
    out,
    scoresOut: scoresOut ?? null,
    network,
    criterion,
    density: stats.density,
    kept: stats.kept,
    total: stats.total,
    allocation,
    schedule,
    seed,
    layers: stats.layers.map((l) => ({
      name: l.name,
      rows: l.rows,
      cols: l.cols,
      kept: l.kept,
      density: l.density,
    })),
    collapsed: stats.network?.collapsed ?? false,
    logEffectivePaths: lep === null || Number.isFinite(lep) ? lep : String(lep),
  };
}

/** Runs `graphon-pai prune` (the command's action). */
export async function runPrune(o: PruneCliOptions, io: CliIo): Promise<void> {
  const seed = o.seed ?? 0;
  // Validate everything cheap before any work.
  const density = parseDensity(o.density);
  const allocation = parseChoice(o.allocation, ALLOCATIONS, '--allocation');
  const schedule = o.schedule === undefined ? undefined : parseSchedule(o.schedule);
  const loss = parseChoice<LossName>(o.loss, LOSSES, '--loss');
  const samples = parseInteger(o.samples, '--samples');
  if (o.criterion && o.scores) {
    throw new InvalidArgumentError('--scores', o.scores, 'absent when --criterion is given', {
      fix: 'pass either --criterion <id> or --scores <file>',
    });
  }
  if (!o.scores) checkNetworkFlags(o);
  // The output rule is checked before any work: refusals cost nothing, existing files are never lost.
  const outputs = new OutputFiles({ force: o.force, inputs: [o.weights, o.data, o.labels, o.scores] });
  const maskOut = outputs.claim('--out', o.out, MASK_FILE);
  const scoresOut =
    o.scoresOut === undefined ? undefined : outputs.claim('--scores-out', o.scoresOut, SCORES_FILE);

  let mask: NetworkMask;
  let criterionId: string;
  let network: Network | undefined;
  let scoresToWrite: ScoreMap | undefined;
  let provenance: Parameters<typeof saveMask>[2];
  if (o.scores) {
    const scores = readScoreFile(o.scores);
    checkKeepsAWeight(density, scoreMapSize(scores), o.density);
    criterionId = `scores:${o.scores}`;
    mask = maskFromScores(scores, { density, allocation });
    provenance = { metadata: { criterion: criterionId, seed, extra: { allocation } } };
    scoresToWrite = scores;
  } else {
    if (!o.criterion) {
      throw new InvalidArgumentError(
        '--criterion',
        undefined,
        "a criterion id (see 'graphon-pai plugins list') or --scores <file>",
      );
    }
    registerBuiltinCriteria(registry);
    const criterion = registry.criterion<CriterionContext<Network>>(o.criterion); // unknown ids fail here, before any work
    criterionId = o.criterion;
    await setupEngine();
    network = networkFromFlags(o, seed);
    try {
      checkKeepsAWeight(density, network.weightCount, o.density);
      const data = criterion.spec.needsData
        ? await loadData(o, network.inputSize, network.outputSize, samples, seed)
        : undefined;
      const result = await prune({
        network,
        criterion: o.criterion,
        density,
        seed,
        data,
        loss,
        allocation,
        schedule,
        onCollapse: 'warn',
        onWarning: (m) => io.stderr(`warning: ${m}\n`),
        onRound: (info) => {
          // The first round's scores are the criterion's scores of the initial network (--scores-out; a
          // conv layer's carry its tensorShape, so the score file stores them as [out, in, kh, kw]).
          if (info.round === 1 && o.scoresOut) scoresToWrite = info.scores;
          if (info.rounds > 1) io.stderr(`round ${info.round}/${info.rounds}: kept ${info.kept}\n`);
        },
      });
      mask = result.mask;
      provenance = { provenance: result.provenance };
    } catch (error) {
      network.dispose();
      throw error;
    }
  }
  const stats = maskStatistics(mask, { onCollapse: 'ignore' });
  const netSpec = network ? networkSpecString(network) : `mlp:${widthsOfMask(mask).join('-')}`;
  // Conv layers (from the network, or 4-D tensors of a --scores file) are stored as [out, in, kh, kw].
  const shapes: ReadonlyMap<string, LayerShape> | undefined =
    network?.shapes() ?? (scoresToWrite && new Map([...scoresToWrite].map(([name, s]) => [name, s.shape])));
  network?.dispose();
  const summary = summarize(
    o.out,
    o.scoresOut,
    netSpec,
    criterionId,
    allocation,
    o.schedule ?? 'default',
    seed,
    stats,
  );
  await outputs.write(() => {
    if (scoresOut && scoresToWrite) writeScoreFile(scoresOut.staging, scoresToWrite);
    saveMask(maskOut.staging, mask, { ...provenance, shapes });
  });
  emit(io, o, summary, (s) =>
    [
      `${s.criterion} on ${s.network}: kept ${s.kept} of ${s.total} weights (density ${s.density.toPrecision(4)}), allocation ${s.allocation}, schedule ${s.schedule}, seed ${s.seed}`,
      `wrote ${s.out}${s.scoresOut ? ` and ${s.scoresOut}` : ''}`,
      formatMaskStatistics(s.out, stats).split('\n').slice(1).join('\n'),
    ].join('\n'),
  );
}

function widthsOfMask(mask: NetworkMask): number[] {
  const layers = [...mask.values()];
  const widths = [layers[0].cols, ...layers.map((m) => m.rows)];
  for (let i = 1; i < layers.length; i++)
    if (layers[i].cols !== layers[i - 1].rows) return [layers[0].cols, layers[0].rows];
  return widths;
}
