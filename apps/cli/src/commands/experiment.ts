/**
 * `graphon-pai experiment`: the main job. With no arguments it reproduces the convergence and taxonomy
 * results on MNIST (see `experiment/config.ts` for the defaults) and writes a report folder;
 * `--shard i/N` runs one slice; `experiment merge <folders…>` joins shard folders into the same report.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from '../cli';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../experiment/config';
import { mergeExperiment, type RunOutcome, runExperiment } from '../experiment/run';
import type { PresetConfig, PresetName } from '../experiment/presets/config';
import { mergePreset, runPreset } from '../experiment/presets/run';
import { shardPreset } from '../experiment/shard-folder';
import { parseShard } from '../experiment/sweep';
import { parseClasses } from '../bounds-eval';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

const DEFAULT_OUT = 'graphon-pai-report';

function numberList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => Number(s.trim()));
    if (parts.some((x) => !Number.isFinite(x)))
      throw new InvalidArgumentError(flag, value, 'a comma-separated list of numbers');
    return parts;
  };
}

function num(flag: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!Number.isFinite(x)) throw new InvalidArgumentError(flag, value, 'a number');
    return x;
  };
}

/** The flags that were given: a configuration without the keys left undefined (defaults fill them). */
function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface ExperimentFlags extends GlobalOptions {
  preset?: ExperimentConfig['preset'] | PresetName;
  densities?: number[];
  classes?: string;
  layers?: 'both' | 'hidden';
  ridge?: number;
  delta?: number;
  k?: number;
  threshold?: number;
  minNeurons?: number;
  rowBlocksGraphon?: number;
  figures: boolean;
  criteria?: string;
  widths?: number[];
  seeds?: number[];
  density?: number;
  loss?: ExperimentConfig['loss'];
  samples?: number;
  rowBlocks?: number;
  colBlocks?: number;
  bootstrap?: number;
  alpha?: number;
  shard?: string;
  out: string;
}

function describe(o: RunOutcome): string {
  const lines = [`wrote ${o.out} (${o.jobs} jobs)`];
  if (o.summary) {
    lines.push(`report: ${o.out}/report.md`);
    for (const s of o.summary) {
      const agree =
        s.agrees === null ? '' : s.agrees ? ' (as predicted)' : ` (theory predicts ${s.predicted})`;
      lines.push(
        `  ${s.criterion.padEnd(16)} ${s.observed}${agree}; δ□→limit slope ${s.slopeToLimit.slope.toFixed(2)}`,
      );
    }
  } else {
    lines.push('shard folder: join all shards with `graphon-pai experiment merge <folders…>`');
  }
  return lines.join('\n');
}

const PRESET_ONLY = [
  ['densities', '--densities'],
  ['classes', '--classes'],
  ['layers', '--layers'],
  ['ridge', '--ridge'],
  ['delta', '--delta'],
  ['k', '--k'],
  ['threshold', '--threshold'],
  ['minNeurons', '--min-neurons'],
] as const;

interface PresetOutcome {
  out: string;
  jobs: number;
  preset: PresetName;
  /** The report, or null for a shard folder. */
  report: string | null;
}

function describePreset(o: PresetOutcome): string {
  return o.report
    ? `wrote ${o.out} (${o.preset} preset, ${o.jobs} jobs)\nreport: ${o.report}`
    : `wrote ${o.out} (${o.preset} preset, ${o.jobs} jobs)\nshard folder: join all shards with \`graphon-pai experiment merge <folders…>\``;
}

async function runPresetFlags(flags: ExperimentFlags, io: CliIo): Promise<void> {
  const preset = flags.preset as PresetName;
  const partial = definedOnly({
    preset,
    criteria: flags.criteria?.split(',').map((s) => s.trim()),
    widths: flags.widths,
    densities: flags.densities,
    seeds: flags.seeds,
    loss: flags.loss,
    samples: flags.samples,
    rowBlocks: flags.rowBlocks,
    classes: parseClasses(flags.classes),
    layers: flags.layers,
    ridge: flags.ridge,
    delta: flags.delta,
    k: flags.k,
    threshold: flags.threshold,
    minNeurons: flags.minNeurons,
    density: flags.density,
    bootstrap: flags.bootstrap,
    alpha: flags.alpha,
    colBlocks: flags.colBlocks,
  }) as Partial<PresetConfig> & { preset: PresetName };
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const r = await runPreset(partial, flags.out, shard, io, flags.figures);
  emit(
    io,
    flags,
    { out: r.out, jobs: r.jobs, preset, report: shard ? null : `${r.out}/report.md` },
    describePreset,
  );
}

export const experimentCommand: CommandRegistrar = (program: Command, io) => {
  const d = DEFAULT_CONFIG;
  const cmd = withCommonOptions(
    program
      .command('experiment')
      .description(
        'reproduce the convergence and taxonomy results on MNIST (or, with --preset ntk | uat, the Graphon-NTK bound or the UAT verdict against density) and write a report folder',
      )
      .addOption(
        new Option(
          '--preset <name>',
          'taxonomy (convergence, default), ntk (Graphon-NTK bound vs density) or uat (UAT verdict vs density)',
        )
          .choices(['taxonomy', 'ntk', 'uat'])
          .default(d.preset),
      )
      .option('--criteria <ids>', `comma-separated criterion ids (default ${d.criteria.join(',')})`)
      .option(
        '--widths <list>',
        `hidden widths, increasing (default ${d.widths.join(',')}; ntk 512, uat 1024)`,
        numberList('--widths'),
      )
      .option('--seeds <list>', `seeds (default ${d.seeds.join(',')}; ntk and uat 0)`, numberList('--seeds'))
      .option('--density <p>', `kept fraction of every layer (default ${d.density})`, num('--density'))
      .addOption(
        new Option('--loss <name>', `loss of data-driven criteria (default ${d.loss})`).choices([
          'cross-entropy',
          'mse',
        ]),
      )
      .option(
        '--samples <n>',
        `MNIST digits per scoring batch (default ${d.samples}; ntk: the binary task's m, default 500)`,
        num('--samples'),
      )
      .option(
        '--row-blocks <k>',
        `canonical histogram row blocks (default ${d.rowBlocks}); ntk/uat: row blocks of the mask graphon (default 32)`,
        num('--row-blocks'),
      )
      .option(
        '--col-blocks <l>',
        `canonical histogram column blocks (default ${d.colBlocks})`,
        num('--col-blocks'),
      )
      .option('--bootstrap <b>', `homogeneity-test replicates (default ${d.bootstrap})`, num('--bootstrap'))
      .option('--alpha <a>', `homogeneity-test level (default ${d.alpha})`, num('--alpha'))
      .option(
        '--densities <list>',
        'ntk/uat: kept fractions (default ntk 0.05,0.1,0.2,0.5; uat 0.05,0.1,0.2)',
        numberList('--densities'),
      )
      .option('--classes <a,b>', 'ntk: the binary MNIST task, digit a → +1, digit b → −1 (default 3,5)')
      .addOption(
        new Option(
          '--layers <which>',
          "ntk: trained layers of the NTK (default both; 'hidden' = H^∞)",
        ).choices(['both', 'hidden']),
      )
      .option('--ridge <λ>', 'ntk: explicit ridge added to K (default 0)', num('--ridge'))
      .option('--delta <δ>', 'ntk: failure probability of the bound (default 0.05)', num('--delta'))
      .option('--k <k>', 'uat: size of S, the k densest active inputs (default 4)', num('--k'))
      .option(
        '--threshold <τ>',
        'uat: column density above which an input is active (default 0.01)',
        num('--threshold'),
      )
      .option(
        '--min-neurons <t>',
        'uat: target number of fully connected neurons (default 32)',
        num('--min-neurons'),
      )
      .option(
        '--no-figures',
        'ntk/uat: skip rendering SVG/PNG figures (the Vega-Lite specs are still written)',
      )
      .option('--shard <i/N>', 'run only shard i of N (0-based) and write a shard folder')
      .option('--out <dir>', 'output folder', DEFAULT_OUT),
  );
  cmd.action(async (flags: ExperimentFlags) => {
    if (flags.preset === 'ntk' || flags.preset === 'uat') return runPresetFlags(flags, io);
    for (const [key, flag] of PRESET_ONLY) {
      if (flags[key] !== undefined) {
        throw new InvalidArgumentError(flag, flags[key], 'used only with --preset ntk or uat', {
          fix: `drop ${flag}`,
        });
      }
    }
    if (!flags.figures)
      throw new InvalidArgumentError('--no-figures', true, 'used only with --preset ntk or uat');
    const config: Partial<ExperimentConfig> = definedOnly({
      preset: flags.preset as ExperimentConfig['preset'],
      criteria: flags.criteria?.split(',').map((s) => s.trim()),
      widths: flags.widths,
      seeds: flags.seeds,
      density: flags.density,
      loss: flags.loss,
      samples: flags.samples,
      rowBlocks: flags.rowBlocks,
      colBlocks: flags.colBlocks,
      bootstrap: flags.bootstrap,
      alpha: flags.alpha,
    });
    const outcome = await runExperiment({
      config,
      out: flags.out,
      shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
      io,
    });
    emit(io, flags, outcome, describe);
  });
  withCommonOptions(
    cmd
      .command('merge')
      .description('join shard folders into the report a single run gives')
      .argument('<folders...>', 'shard folders written with --shard i/N')
      .option('--out <dir>', 'output folder', DEFAULT_OUT),
  ).action(async (folders: string[], flags: { out: string } & GlobalOptions) => {
    // commander hands `--out` after `merge` to the parent `experiment` command, which has the same option.
    const out = cmd.getOptionValueSource('out') === 'cli' ? (cmd.opts().out as string) : flags.out;
    const preset = folders.length > 0 ? shardPreset(folders[0]) : undefined;
    if (preset === 'ntk' || preset === 'uat') {
      const r = await mergePreset(folders, out, cmd.opts().figures !== false);
      emit(
        io,
        flags,
        { out: r.out, jobs: r.jobs, preset: r.config.preset, report: `${r.out}/report.md` },
        describePreset,
      );
      return;
    }
    emit(io, flags, await mergeExperiment(folders, out), describe);
  });
};
