/**
 * The `ntk` and `uat` presets of `graphon-pai experiment` (theory.md §5–6): the theory's consequences of the
 * masks each criterion produces, as a function of density.
 *
 * Grid: criteria × seeds are the jobs (the `--shard i/N` unit, as in the taxonomy preset); each job runs every
 * width × density (scores are computed once per width: one-shot scores do not depend on the density). At each cell a one-hidden-layer ReLU MLP 784 → n → C (Kaiming-normal Gaussian
 * initialisation, seed = the job's seed) is scored by the criterion (one shot, with `--loss`) and every layer
 * keeps exactly round(p · N_l) weights (layer-wise). The first layer's n × 784 mask M is read as a graphon
 * the way `graphon-pai bounds` reads it: rows sorted by degree averaged in `rowBlocks` blocks, inputs in
 * pixel order (`bounds-eval.ts`).
 *
 * - `ntk`: a binary MNIST task (`classes`, default digits 3 (+1) vs 5 (−1); the first `samples` digits of the
 *   two classes in a class-balanced subset drawn with the job's seed). C = 2 and the criteria score on these
 *   digits (labels 0/1). On the same digits rescaled to ‖x‖² = 784: the Graphon-NTK of the mask's graphon,
 *   kernel–target alignment, λ_min, λ_max, condition number, effective rank, and the Arora et al. (2019)
 *   bound (leading term √(2 yᵀ(K + λI)⁻¹y/m), confidence term, δ, explicit `ridge`). The dense network
 *   (W ≡ 1) is evaluated on the same task as the reference.
 * - `uat`: C = 10 and the criteria score one class-balanced batch of `samples` MNIST digits (as the taxonomy
 *   preset). The UAT verdict with S = the `k` densest active inputs (column density > `threshold`): floor
 *   rectangle (q, α), predicted α·n·q^k, expected n·∫Πw and observed numbers of neurons connected to all of
 *   S, against `minNeurons`, plus the number of active inputs and each pixel's column density (28 × 28 maps).
 *
 * Every number is one `@graphon-pai/bounds` call on these inputs; the report is a pure function of the
 * configuration and the job results, so `experiment merge` of shard folders writes the same report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BitMatrix,
  FormatError,
  InvalidArgumentError,
  Rng,
  registry,
  type ScoreMap,
  StepGraphon,
} from '@graphon-pai/core';
import { maskFromScores } from '@graphon-pai/masks';
import { type Batch, Mlp, mnistSubset } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import {
  type BinaryTask,
  evaluateNtk,
  evaluateUat,
  loadBinaryTask,
  type NtkReport,
  rowBlockGraphon,
  type UatReport,
} from '../bounds-eval';
import { setupEngine } from '../engine';
import type { CliIo } from '../io';
import { withOutputFolder } from '../output-folder';
import { Progress } from '../progress';
import { renderVegaLite } from '../render';
import { version } from '../version';
import * as tf from '@tensorflow/tfjs-core';
import { type MeanSd, meanSd } from './stats';
import { type Job, jobId, type Shard, shardJobs, sweepJobs } from './sweep';

export type PresetName = 'ntk' | 'uat';

export interface PresetConfig {
  preset: PresetName;
  criteria: string[];
  widths: number[];
  densities: number[];
  seeds: number[];
  loss: 'cross-entropy' | 'mse';
  /** ntk: m, the binary task's samples (scoring and bound); uat: the MNIST scoring batch. */
  samples: number;
  /** Row blocks of the mask's graphon. */
  rowBlocks: number;
  /** ntk only. */
  classes?: [number, number];
  layers?: 'both' | 'hidden';
  ridge?: number;
  delta?: number;
  /** uat only: |S| (the k densest active inputs), activity threshold τ, target count. */
  k?: number;
  threshold?: number;
  minNeurons?: number;
}

const COMMON = {
  criteria: ['random', 'magnitude', 'snip', 'grasp', 'synflow'],
  seeds: [0],
  loss: 'cross-entropy' as const,
  rowBlocks: 32,
};

export const PRESET_DEFAULTS: Record<PresetName, PresetConfig> = {
  ntk: {
    preset: 'ntk',
    ...COMMON,
    widths: [512],
    densities: [0.05, 0.1, 0.2, 0.5],
    samples: 500,
    classes: [3, 5],
    layers: 'both',
    ridge: 0,
    delta: 0.05,
  },
  uat: {
    preset: 'uat',
    ...COMMON,
    widths: [1024],
    densities: [0.05, 0.1, 0.2],
    samples: 512,
    k: 4,
    threshold: 0.01,
    minNeurons: 32,
  },
};

/** Keys each preset accepts (anything else was meant for another preset). */
const KEYS: Record<PresetName, readonly string[]> = {
  ntk: [
    'preset',
    'criteria',
    'widths',
    'densities',
    'seeds',
    'loss',
    'samples',
    'rowBlocks',
    'classes',
    'layers',
    'ridge',
    'delta',
  ],
  uat: [
    'preset',
    'criteria',
    'widths',
    'densities',
    'seeds',
    'loss',
    'samples',
    'rowBlocks',
    'k',
    'threshold',
    'minNeurons',
  ],
};

export const FLAG_OF: Record<string, string> = {
  criteria: '--criteria',
  widths: '--widths',
  densities: '--densities',
  seeds: '--seeds',
  loss: '--loss',
  samples: '--samples',
  rowBlocks: '--row-blocks',
  classes: '--classes',
  layers: '--layers',
  ridge: '--ridge',
  delta: '--delta',
  k: '--k',
  threshold: '--threshold',
  minNeurons: '--min-neurons',
  density: '--density (use --densities)',
  bootstrap: '--bootstrap',
  alpha: '--alpha',
  colBlocks: '--col-blocks',
};

/** Validates a preset configuration and fills its defaults. */
export function resolvePresetConfig(partial: Partial<PresetConfig> & { preset: PresetName }): PresetConfig {
  const d = PRESET_DEFAULTS[partial.preset];
  if (!d) throw new InvalidArgumentError('--preset', partial.preset, "'taxonomy', 'ntk' or 'uat'");
  for (const key of Object.keys(partial)) {
    if (!KEYS[partial.preset].includes(key)) {
      throw new InvalidArgumentError(
        FLAG_OF[key] ?? key,
        (partial as Record<string, unknown>)[key],
        `absent with --preset ${partial.preset}`,
        {
          fix: `it applies to another preset; drop it`,
        },
      );
    }
  }
  const c: PresetConfig = { ...d, ...partial };
  if (!(Array.isArray(c.criteria) && c.criteria.length > 0)) {
    throw new InvalidArgumentError(
      '--criteria',
      c.criteria,
      'a non-empty comma-separated list, e.g. snip,random',
    );
  }
  if (!(c.widths.length >= 1 && c.widths.every((w) => Number.isInteger(w) && w >= 4))) {
    throw new InvalidArgumentError('--widths', c.widths.join(','), 'integers ≥ 4, e.g. 512');
  }
  if (!(c.densities.length >= 1 && c.densities.every((p) => p > 0 && p <= 1))) {
    throw new InvalidArgumentError(
      '--densities',
      c.densities.join(','),
      'kept fractions in (0, 1], e.g. 0.05,0.1,0.2',
    );
  }
  if (!(c.seeds.length >= 1 && c.seeds.every((s) => Number.isSafeInteger(s) && s >= 0))) {
    throw new InvalidArgumentError('--seeds', c.seeds.join(','), 'non-negative integers, e.g. 0,1,2');
  }
  if (!['cross-entropy', 'mse'].includes(c.loss))
    throw new InvalidArgumentError('--loss', c.loss, "'cross-entropy' or 'mse'");
  const int = (name: string, v: number, min: number, max: number) => {
    if (!(Number.isInteger(v) && v >= min && v <= max))
      throw new InvalidArgumentError(name, v, `an integer in [${min}, ${max}]`);
  };
  int('--samples', c.samples, c.preset === 'ntk' ? 2 : 1, c.preset === 'ntk' ? 1726 : 8630);
  int('--row-blocks', c.rowBlocks, 1, 1 << 20);
  if (c.preset === 'ntk') {
    const [a, b] = (c.classes ?? [-1, -1]) as number[];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a !== b && a >= 0 && a <= 9 && b >= 0 && b <= 9)) {
      throw new InvalidArgumentError('--classes', c.classes, 'two distinct MNIST digits a,b', {
        fix: 'e.g. --classes 3,5',
      });
    }
    if (c.layers !== 'both' && c.layers !== 'hidden')
      throw new InvalidArgumentError('--layers', c.layers, "'both' or 'hidden'");
    if (!(typeof c.ridge === 'number' && c.ridge >= 0))
      throw new InvalidArgumentError('--ridge', c.ridge, 'a number ≥ 0');
    if (!(typeof c.delta === 'number' && c.delta > 0 && c.delta < 1))
      throw new InvalidArgumentError('--delta', c.delta, 'a number in (0, 1)');
  } else {
    int('--k', c.k as number, 1, 784);
    if (!(typeof c.threshold === 'number' && c.threshold >= 0 && c.threshold < 1)) {
      throw new InvalidArgumentError('--threshold', c.threshold, 'a number in [0, 1)');
    }
    if (!(typeof c.minNeurons === 'number' && c.minNeurons > 0)) {
      throw new InvalidArgumentError('--min-neurons', c.minNeurons, 'a positive number');
    }
  }
  return c;
}

export interface PresetCell {
  criterion: string;
  seed: number;
  width: number;
  density: number;
  kept: number;
  /** Inputs with at least one kept weight. */
  activeInputs: number;
  ntk?: NtkReport;
  uat?: UatReport;
  /** uat: kept fraction of each input pixel (length 784, pixel order). */
  columnDensity?: number[];
}

export interface PresetJobResult {
  job: Job;
  cells: PresetCell[];
  /** ntk: the dense network's kernel (W ≡ 1) on this job's task. */
  dense?: NtkReport;
}

async function runPresetJob(
  config: PresetConfig,
  job: Job,
  onCell: (detail: string) => void,
): Promise<PresetJobResult> {
  const criterion = registry.criterion<CriterionContext>(job.criterion);
  let task: BinaryTask | undefined;
  let data: Batch;
  if (config.preset === 'ntk') {
    task = await loadBinaryTask({
      data: 'mnist',
      classes: config.classes,
      samples: config.samples,
      features: 784,
      seed: job.seed,
      normalize: true,
    });
    data = task.raw;
  } else {
    data = await mnistSubset({ count: config.samples, seed: job.seed });
  }
  const outputs = config.preset === 'ntk' ? 2 : 10;
  const cells: PresetCell[] = [];
  for (const width of config.widths) {
    // One-shot scores do not depend on the density: score once per width, mask at every density.
    const network = Mlp.create({ widths: [784, width, outputs], init: 'kaiming-normal', seed: job.seed });
    let scores: ScoreMap;
    try {
      const ctx: CriterionContext = {
        network,
        data: criterion.spec.needsData ? data : undefined,
        loss: config.loss,
        rng: new Rng(job.seed),
      };
      scores = await criterion.spec.score(ctx);
    } finally {
      network.dispose();
    }
    for (const density of config.densities) {
      const mask = maskFromScores(scores, { density, allocation: 'uniform' }).get('0.weight');
      if (!(mask instanceof BitMatrix))
        throw new Error(`criterion ${job.criterion} returned no 0.weight scores`);
      const graphon = rowBlockGraphon(mask, config.rowBlocks);
      const colDegrees = mask.colDegrees();
      const cell: PresetCell = {
        criterion: job.criterion,
        seed: job.seed,
        width,
        density,
        kept: mask.nnz(),
        activeInputs: colDegrees.filter((x) => x > 0).length,
      };
      if (task) {
        cell.ntk = evaluateNtk(graphon, task, {
          layers: config.layers ?? 'both',
          sigmaW2: 1,
          delta: config.delta ?? 0.05,
          ridge: config.ridge ?? 0,
          topK: 10,
        });
      } else {
        cell.uat = evaluateUat({
          source: graphon,
          inputs: 784,
          width: mask.rows,
          mask,
          threshold: config.threshold ?? 0.01,
          coordinates: { kind: 'top', k: config.k ?? 4 },
          minNeurons: config.minNeurons ?? 32,
        }).report;
        cell.columnDensity = Array.from(colDegrees, (x) => x / mask.rows);
      }
      cells.push(cell);
      onCell(`${job.criterion} seed ${job.seed} n=${width} p=${density}`);
    }
  }
  const dense = task
    ? evaluateNtk(StepGraphon.constant(1), task, {
        layers: config.layers ?? 'both',
        sigmaW2: 1,
        delta: config.delta ?? 0.05,
        ridge: config.ridge ?? 0,
        topK: 10,
      })
    : undefined;
  return dense ? { job, cells, dense } : { job, cells };
}

export async function executePresetJobs(
  config: PresetConfig,
  shard: Shard | undefined,
  io: CliIo,
): Promise<PresetJobResult[]> {
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  await setupEngine();
  const all = sweepJobs(config.criteria, config.seeds);
  const jobs = shard ? shardJobs(all, shard) : all;
  const progress = new Progress(
    io,
    jobs.length * config.widths.length * config.densities.length,
    `experiment ${config.preset}`,
  );
  const results: PresetJobResult[] = [];
  for (const job of jobs) results.push(await runPresetJob(config, job, (d) => progress.tick(d)));
  return results;
}

/** The command that reproduces a preset configuration (flags that differ from the preset's defaults). */
export function presetCommand(config: PresetConfig): string {
  const d = PRESET_DEFAULTS[config.preset] as unknown as Record<string, unknown>;
  const flags = [`--preset ${config.preset}`];
  for (const key of KEYS[config.preset]) {
    if (key === 'preset') continue;
    const v = (config as unknown as Record<string, unknown>)[key];
    const text = Array.isArray(v) ? v.join(',') : String(v);
    const def = Array.isArray(d[key]) ? (d[key] as unknown[]).join(',') : String(d[key]);
    if (text !== def) flags.push(`${FLAG_OF[key]} ${text}`);
  }
  return ['graphon-pai experiment', ...flags].join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Report

const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined
    ? '∞'
    : Number.isFinite(x)
      ? Number(x.toPrecision(digits)).toString()
      : String(x);
const pm = (m: MeanSd, digits = 4) =>
  m.n > 1 ? `${fmt(m.mean, digits)} ± ${fmt(m.sd, 2)}` : fmt(m.mean, digits);

function cellsOf(
  _config: PresetConfig,
  results: readonly PresetJobResult[],
  criterion: string,
  width: number,
  density: number,
) {
  return results
    .filter((r) => r.job.criterion === criterion)
    .flatMap((r) => r.cells.filter((c) => c.width === width && c.density === density));
}

function ntkMarkdown(
  config: PresetConfig,
  results: readonly PresetJobResult[],
  prov: { command: string; footer: string },
): string {
  const out: string[] = [];
  out.push('# graphon-pai experiment --preset ntk: Graphon-NTK bound and alignment against density', '');
  out.push('## Setup', '');
  out.push(
    `Binary MNIST task: digits ${config.classes![0]} (y = +1) vs ${config.classes![1]} (y = −1), the first m = ${config.samples} digits of the two classes in a class-balanced subset drawn with each seed. ` +
      `One-hidden-layer ReLU MLP 784 → n → 2, n ∈ {${config.widths.join(', ')}}, Kaiming-normal Gaussian initialisation; each criterion (${config.criteria.map((c) => `\`${c}\``).join(', ')}) scores the network on these digits ` +
      `(${config.loss} loss, one shot) and every layer keeps exactly round(p · N) weights, p ∈ {${config.densities.join(', ')}}; seeds {${config.seeds.join(', ')}}. ` +
      `The first layer's mask is read as a graphon: hidden neurons sorted by degree, averaged in ${config.rowBlocks} row blocks, pixels in order.`,
    '',
    `**What is computed** (\`@graphon-pai/bounds\`): the Graphon-NTK K_W (${config.layers === 'hidden' ? "hidden layer only: Arora et al.'s H^∞" : 'both layers trained'}, σ_w² = 1) on the digits rescaled to ‖x‖² = 784; ` +
      'the kernel–target alignment yᵀKy / (‖K‖_F ‖y‖²); λ_min, λ_max, condition number and effective rank (tr K)²/‖K‖_F² of K; and the Arora et al. (2019) bound ' +
      `√(2 yᵀ(K + λI)⁻¹y / m) + C √(log(m / (λ_min δ)) / m), C = 3/√2 (a stated convention), δ = ${config.delta}, ridge λ = ${config.ridge}. ` +
      'yᵀK⁻¹y scales as 1/scale(K): tr K / m is listed so that kernels of different scale can be compared.',
    '',
  );
  const dense = results.find((r) => r.dense && r.job.seed === config.seeds[0])?.dense;
  if (dense) {
    out.push(
      `**Dense reference** (W ≡ 1, seed ${config.seeds[0]}): tr K/m ${fmt(dense.traceOverM)}, alignment ${fmt(dense.alignment)}, λ_min ${fmt(dense.lambdaMin)}, ` +
        `effective rank ${fmt(dense.effectiveRank)}, yᵀK⁻¹y ${fmt(dense.bound.quadraticForm)}, leading term ${fmt(dense.bound.leadingTerm)}, bound ${fmt(dense.bound.bound)}.`,
      '',
    );
  }
  out.push('## Results per criterion (mean ± sd over seeds)', '');
  for (const criterion of config.criteria) {
    out.push(`### ${criterion}`, '');
    out.push(
      '| n | density | active inputs | tr K/m | alignment | λ_min | condition number | effective rank | yᵀK⁻¹y | leading term | bound |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const width of config.widths) {
      for (const density of config.densities) {
        const cs = cellsOf(config, results, criterion, width, density);
        const m = (f: (c: PresetCell) => number) => pm(meanSd(cs.map(f)));
        out.push(
          `| ${width} | ${density} | ${m((c) => c.activeInputs)} | ${m((c) => c.ntk!.traceOverM)} | ${m((c) => c.ntk!.alignment)} | ${m((c) => c.ntk!.lambdaMin)} | ${m((c) => c.ntk!.conditionNumber ?? Number.POSITIVE_INFINITY)} | ${m((c) => c.ntk!.effectiveRank)} | ${m((c) => c.ntk!.bound.quadraticForm)} | ${m((c) => c.ntk!.bound.leadingTerm)} | ${m((c) => c.ntk!.bound.bound)} |`,
        );
      }
    }
    out.push('');
  }
  out.push('## Reading', '');
  const width = config.widths[config.widths.length - 1];
  const lo = Math.min(...config.densities);
  const hi = Math.max(...config.densities);
  for (const criterion of config.criteria) {
    const at = (p: number, f: (c: PresetCell) => number) =>
      meanSd(cellsOf(config, results, criterion, width, p).map(f)).mean;
    const aLo = at(lo, (c) => c.ntk!.alignment);
    const aHi = at(hi, (c) => c.ntk!.alignment);
    const bLo = at(lo, (c) => c.ntk!.bound.leadingTerm);
    const bHi = at(hi, (c) => c.ntk!.bound.leadingTerm);
    const ref =
      criterion !== 'random' && config.criteria.includes('random')
        ? meanSd(cellsOf(config, results, 'random', width, lo).map((c) => c.ntk!.bound.leadingTerm)).mean
        : undefined;
    const vsRandom =
      ref === undefined
        ? ''
        : ` At density ${lo} its leading term is ${bLo < ref ? 'below' : bLo > ref ? 'above' : 'equal to'} random pruning's (${fmt(bLo)} vs ${fmt(ref)}).`;
    out.push(
      `- **${criterion}** (n = ${width}): from density ${hi} to ${lo} the alignment ${aLo > aHi ? 'rises' : aLo < aHi ? 'falls' : 'stays'} (${fmt(aHi)} → ${fmt(aLo)}) and the bound's leading term ${bLo > bHi ? 'rises' : bLo < bHi ? 'falls' : 'stays'} (${fmt(bHi)} → ${fmt(bLo)}).${vsRandom}`,
    );
  }
  out.push(
    '',
    'theory.md §6 expects connectivity concentrated on informative inputs to raise alignment and lower yᵀK⁻¹y. Sparser masks also shrink the kernel (tr K/m falls with density), which raises yᵀK⁻¹y by scale alone; where alignment and the bound move in opposite directions this report says so rather than choosing one.',
    '',
  );
  out.push('## Figures', '', '![Alignment and the bound against density](figures/ntk.svg)', '');
  out.push('## Reproduce', '', '```sh', prov.command, '```', '', prov.footer, '');
  return out.join('\n');
}

function uatMarkdown(
  config: PresetConfig,
  results: readonly PresetJobResult[],
  prov: { command: string; footer: string },
): string {
  const out: string[] = [];
  out.push('# graphon-pai experiment --preset uat: universal approximation on active coordinates', '');
  out.push('## Setup', '');
  out.push(
    `One-hidden-layer ReLU MLP 784 → n → 10, n ∈ {${config.widths.join(', ')}}, Kaiming-normal Gaussian initialisation; each criterion (${config.criteria.map((c) => `\`${c}\``).join(', ')}) scores one class-balanced batch of ${config.samples} MNIST digits ` +
      `(${config.loss} loss, one shot); every layer keeps exactly round(p · N) weights, p ∈ {${config.densities.join(', ')}}; seeds {${config.seeds.join(', ')}}. ` +
      `The first layer's mask is read as a graphon (hidden neurons sorted by degree in ${config.rowBlocks} row blocks, pixels in order).`,
    '',
    `**What is computed** (\`@graphon-pai/bounds\` \`universalApproximationCheck\`, theory.md §5): active inputs (column density > τ = ${config.threshold}); S = the k = ${config.k} densest active inputs; ` +
      'the floor rectangle [neurons of measure α] × S with W ≥ q (q maximising α·q^k); the predicted number α·n·q^k of hidden neurons connected to all of S, the expectation n·∫Π_{i∈S} w(u, i) du under independent edges, ' +
      `and the number observed in the mask, against the target ${config.minNeurons}. The verdict holds when all conditions hold; the required width is ⌈${config.minNeurons} / (α q^k)⌉.`,
    '',
  );
  out.push('## Results per criterion (mean ± sd over seeds; S, q, α and the verdict of the first seed)', '');
  for (const criterion of config.criteria) {
    out.push(`### ${criterion}`, '');
    out.push(
      '| n | density | active inputs | S | q | α | predicted α·n·q^k | expected n·∫Πw | observed | required width | verdict |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const width of config.widths) {
      for (const density of config.densities) {
        const cs = cellsOf(config, results, criterion, width, density);
        const first = cs.find((c) => c.seed === config.seeds[0]) ?? cs[0];
        const u = first.uat!;
        const m = (f: (c: PresetCell) => number, digits = 4) => pm(meanSd(cs.map(f)), digits);
        out.push(
          `| ${width} | ${density} | ${m((c) => c.uat!.activeCoordinates)} | {${u.coordinates.join(', ')}} | ${fmt(u.q)} | ${fmt(u.alpha)} | ${m((c) => c.uat!.predictedCount)} | ${m((c) => c.uat!.expectedCount)} | ${m((c) => c.uat!.observedCount ?? Number.NaN)} | ${fmt(u.requiredWidth, 6)} | ${
            u.holds
              ? 'holds'
              : `fails (${u.conditions
                  .filter((c) => !c.holds)
                  .map((c) => c.name)
                  .join(', ')})`
          } |`,
        );
      }
    }
    out.push('');
  }
  out.push('## Reading', '');
  for (const criterion of config.criteria) {
    const cs = results.filter((r) => r.job.criterion === criterion).flatMap((r) => r.cells);
    const holds = cs.filter((c) => c.uat!.holds).length;
    const act = cs.map((c) => c.uat!.activeCoordinates);
    const lo = Math.min(...act);
    const hi = Math.max(...act);
    const above = cs.filter((c) => (c.uat!.observedCount ?? 0) >= c.uat!.predictedCount).length;
    out.push(
      `- **${criterion}**: the condition holds in ${holds} of ${cs.length} cells; ${lo === hi ? lo : `${lo}–${hi}`} of 784 inputs are active; ` +
        `the observed count reaches the prediction α·n·q^k in ${above} of ${cs.length} cells.`,
    );
  }
  out.push(
    '',
    'α·n·q^k is a lower bound on the expected count (it uses the floor q, not the actual connection probabilities), and S is chosen on the same mask it is counted in (its densest inputs), which biases observed counts upwards; the expectation n·∫Πw is the number to compare the observation with.',
  );
  out.push('', '## Figures', '', '![Active-coordinate maps](figures/active-coordinates.svg)', '');
  out.push('## Reproduce', '', '```sh', prov.command, '```', '', prov.footer, '');
  return out.join('\n');
}

function ntkCsv(results: readonly PresetJobResult[]): string {
  const header =
    'criterion,seed,width,density,kept,active_inputs,trace_over_m,alignment,lambda_min,lambda_max,condition_number,effective_rank,top_k_energy,quadratic_form,leading_term,confidence_term,bound,ridge,delta';
  const lines = [header];
  for (const r of results) {
    for (const c of r.cells) {
      const n = c.ntk!;
      lines.push(
        [
          c.criterion,
          c.seed,
          c.width,
          c.density,
          c.kept,
          c.activeInputs,
          n.traceOverM,
          n.alignment,
          n.lambdaMin,
          n.lambdaMax,
          n.conditionNumber ?? '',
          n.effectiveRank,
          n.topKEnergy,
          n.bound.quadraticForm,
          n.bound.leadingTerm,
          n.bound.confidenceTerm,
          n.bound.bound,
          n.bound.ridge,
          n.bound.delta,
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function uatCsv(results: readonly PresetJobResult[]): string {
  const header =
    'criterion,seed,width,density,kept,active_inputs,active_coordinates,k,coordinates,q,alpha,per_neuron_lower_bound,predicted_count,expected_count,observed_count,observed_z,required_width,holds';
  const lines = [header];
  for (const r of results) {
    for (const c of r.cells) {
      const u = c.uat!;
      lines.push(
        [
          c.criterion,
          c.seed,
          c.width,
          c.density,
          c.kept,
          c.activeInputs,
          u.activeCoordinates,
          u.k,
          u.coordinates.join(' '),
          u.q,
          u.alpha,
          u.perNeuronLowerBound,
          u.predictedCount,
          u.expectedCount,
          u.observedCount ?? '',
          u.observedZScore ?? '',
          u.requiredWidth ?? '',
          u.holds,
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const FONT = { config: { font: 'DejaVu Sans', view: { stroke: null } } };

export function ntkFigure(
  config: PresetConfig,
  results: readonly PresetJobResult[],
): Record<string, unknown> {
  const values: Record<string, unknown>[] = [];
  const width = config.widths[config.widths.length - 1];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsOf(config, results, criterion, width, density);
      if (cs.length === 0) continue;
      values.push({
        criterion,
        density,
        metric: 'kernel–target alignment',
        value: meanSd(cs.map((c) => c.ntk!.alignment)).mean,
      });
      values.push({
        criterion,
        density,
        metric: 'bound: leading term √(2yᵀK⁻¹y/m)',
        value: meanSd(cs.map((c) => c.ntk!.bound.leadingTerm)).mean,
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Graphon-NTK on MNIST ${config.classes![0]} vs ${config.classes![1]} (m = ${config.samples}, n = ${width})`,
      fontSize: 14,
    },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'density',
          type: 'quantitative',
          scale: { type: 'log', nice: false },
          title: 'density (kept fraction)',
        },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'criterion', type: 'nominal', sort: config.criteria },
      },
    },
    ...FONT,
  };
}

export function activeCoordinateFigure(
  config: PresetConfig,
  results: readonly PresetJobResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsOf(config, results, criterion, width, density);
      if (cs.length === 0) continue;
      const first = cs.find((c) => c.seed === config.seeds[0]) ?? cs[0];
      const inS = new Set(first.uat!.coordinates);
      for (let i = 0; i < 784; i++) {
        let s = 0;
        for (const c of cs) s += c.columnDensity![i];
        const rho = s / cs.length;
        values.push({
          criterion,
          density: `p = ${density}`,
          x: i % 28,
          y: Math.floor(i / 28),
          rho: rho > config.threshold! ? rho : null,
          S: inS.has(i),
        });
      }
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Active input coordinates (column density > ${config.threshold}, first layer, n = ${width}, mean over seeds)`,
      subtitle: `grey: inactive; white squares: S, the ${config.k} densest active inputs`,
      fontSize: 14,
    },
    data: { values },
    facet: {
      row: { field: 'density', type: 'nominal', sort: config.densities.map((p) => `p = ${p}`), title: null },
      column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null },
    },
    spacing: 6,
    spec: {
      width: 112,
      height: 112,
      layer: [
        {
          mark: { type: 'rect', color: '#bbbbbb' },
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
          },
        },
        {
          transform: [{ filter: 'datum.rho !== null' }],
          mark: 'rect',
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
            color: {
              field: 'rho',
              type: 'quantitative',
              scale: { scheme: 'inferno' },
              title: 'column density',
            },
          },
        },
        {
          transform: [{ filter: 'datum.S' }],
          mark: { type: 'square', color: 'white', size: 30, filled: false, strokeWidth: 1.5 },
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
          },
        },
      ],
    },
    ...FONT,
  };
}

export interface PresetReport {
  text: Map<string, string>;
  figures: Map<string, Record<string, unknown>>;
}

export function buildPresetReport(
  config: PresetConfig,
  results: PresetJobResult[],
  prov: Record<string, unknown> & { command: string; footer: string },
): PresetReport {
  const ordered = [...results].sort(
    (a, b) =>
      config.criteria.indexOf(a.job.criterion) - config.criteria.indexOf(b.job.criterion) ||
      a.job.seed - b.job.seed,
  );
  const text = new Map<string, string>();
  const ntk = config.preset === 'ntk';
  text.set('report.md', ntk ? ntkMarkdown(config, ordered, prov) : uatMarkdown(config, ordered, prov));
  text.set('results.csv', ntk ? ntkCsv(ordered) : uatCsv(ordered));
  const { footer: _footer, ...provenance } = prov;
  text.set('results.json', `${JSON.stringify({ config, provenance, jobs: ordered }, null, 1)}\n`);
  for (const r of ordered) text.set(`jobs/${jobId(r.job)}.json`, `${JSON.stringify(r)}\n`);
  const figures = new Map<string, Record<string, unknown>>(
    ntk
      ? [['ntk', ntkFigure(config, ordered)]]
      : [['active-coordinates', activeCoordinateFigure(config, ordered)]],
  );
  return { text, figures };
}

export async function presetProvenance(config: PresetConfig, jobs: number) {
  const engine = await setupEngine();
  const versions = { '@graphon-pai/cli': version, '@tensorflow/tfjs-core': tf.version_core };
  return {
    command: presetCommand(config),
    versions,
    engine,
    node: process.versions.node,
    footer: `${jobs} jobs; engine: tfjs ${engine.backend} backend, GEMM provider ${engine.provider}; Node ${process.versions.node}. Versions: ${Object.entries(
      versions,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}. Every number is in \`results.csv\` and \`results.json\`; each job's raw result is in \`jobs/\`.`,
  };
}

/** Writes the report folder (figures rendered unless `figures` is false); returns the written files. */
export async function writePresetReport(
  out: string,
  config: PresetConfig,
  results: PresetJobResult[],
  figures: boolean,
): Promise<void> {
  const report = buildPresetReport(config, results, await presetProvenance(config, results.length));
  const rendered = new Map<string, Awaited<ReturnType<typeof renderVegaLite>>>();
  if (figures) for (const [name, spec] of report.figures) rendered.set(name, await renderVegaLite(spec));
  await withOutputFolder(out, (folder) => {
    for (const [path, text] of report.text) folder.write(path, text);
    for (const [name, spec] of report.figures)
      folder.write(`figures/${name}.vl.json`, `${JSON.stringify(spec, null, 1)}\n`);
    for (const [name, fig] of rendered) {
      folder.write(`figures/${name}.svg`, fig.svg);
      folder.write(`figures/${name}.png`, fig.png);
    }
  });
}

/** Runs a preset: the full report, or a shard folder with `--shard i/N`. */
export async function runPreset(
  partial: Partial<PresetConfig> & { preset: PresetName },
  out: string,
  shard: Shard | undefined,
  io: CliIo,
  figures: boolean,
): Promise<{ out: string; jobs: number; config: PresetConfig }> {
  const config = resolvePresetConfig(partial);
  const results = await executePresetJobs(config, shard, io);
  if (shard) {
    await withOutputFolder(out, (folder) => {
      folder.write('experiment.json', `${JSON.stringify({ config, shard }, null, 1)}\n`);
      for (const r of results) folder.write(`jobs/${jobId(r.job)}.json`, `${JSON.stringify(r)}\n`);
    });
  } else {
    await writePresetReport(out, config, results, figures);
  }
  return { out, jobs: results.length, config };
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FormatError(`cannot read JSON (${(error as Error).message})`, {
      source: file,
      fix: 'pass folders written by `graphon-pai experiment --shard i/N`',
    });
  }
}

/** The preset a shard folder was written with (`taxonomy` for folders of the default preset). */
export function shardPreset(folder: string): string | undefined {
  const meta = join(folder, 'experiment.json');
  if (!existsSync(meta)) return undefined;
  const c = (readJsonFile(meta) as { config?: { preset?: string } }).config;
  return c?.preset;
}

/** Joins shard folders of an `ntk` / `uat` sweep into the report a single run writes. */
export async function mergePreset(
  folders: readonly string[],
  out: string,
  figures = true,
): Promise<{ out: string; jobs: number; config: PresetConfig }> {
  let config: PresetConfig | undefined;
  const results = new Map<string, PresetJobResult>();
  for (const folder of folders) {
    const meta = join(folder, 'experiment.json');
    if (!existsSync(meta)) {
      throw new FormatError('not a shard folder (no experiment.json)', {
        source: folder,
        fix: 'pass the --out folders of `graphon-pai experiment --preset … --shard i/N` runs',
      });
    }
    const raw = (readJsonFile(meta) as { config: PresetConfig }).config;
    if (raw?.preset !== 'ntk' && raw?.preset !== 'uat') {
      throw new FormatError(`holds a ${raw?.preset ?? 'unknown'} shard`, {
        source: folder,
        fix: 'merge shards of one sweep only',
      });
    }
    const c = resolvePresetConfig(raw);
    if (config && JSON.stringify(config) !== JSON.stringify(c)) {
      throw new FormatError('shard configurations differ', {
        source: folder,
        fix: 'merge shards of one sweep only',
      });
    }
    config = c;
    const jobsDir = join(folder, 'jobs');
    for (const file of existsSync(jobsDir) ? readdirSync(jobsDir).sort() : []) {
      const r = readJsonFile(join(jobsDir, file)) as PresetJobResult;
      const id = jobId(r.job);
      if (results.has(id))
        throw new FormatError(`job ${id} appears in two shards`, {
          source: folder,
          fix: 'merge each shard once',
        });
      results.set(id, r);
    }
  }
  const expected = sweepJobs(config!.criteria, config!.seeds).map(jobId);
  const missing = expected.filter((id) => !results.has(id));
  if (missing.length > 0) {
    throw new FormatError(`shards are incomplete: missing jobs ${missing.join(', ')}`, {
      fix: 'run the missing shards (every i in 0..N-1) and merge all of them',
    });
  }
  await writePresetReport(out, config!, [...results.values()], figures);
  return { out, jobs: results.size, config: config! };
}
