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
import { parseShard } from '../experiment/sweep';
import { emit, type GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

const DEFAULT_OUT = 'graphon-pai-report';

function numberList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => Number(s.trim()));
    if (parts.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError(flag, value, 'a comma-separated list of numbers');
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

interface ExperimentFlags extends GlobalOptions {
  preset?: ExperimentConfig['preset'];
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
      const agree = s.agrees === null ? '' : s.agrees ? ' (as predicted)' : ` (theory predicts ${s.predicted})`;
      lines.push(`  ${s.criterion.padEnd(16)} ${s.observed}${agree}; δ□→limit slope ${s.slopeToLimit.slope.toFixed(2)}`);
    }
  } else {
    lines.push('shard folder: join all shards with `graphon-pai experiment merge <folders…>`');
  }
  return lines.join('\n');
}

export const experimentCommand: CommandRegistrar = (program: Command, io) => {
  const d = DEFAULT_CONFIG;
  const cmd = withCommonOptions(
    program
      .command('experiment')
      .description('reproduce the convergence and taxonomy results on MNIST and write a report folder')
      .addOption(new Option('--preset <name>', 'experiment preset').choices(['taxonomy']).default(d.preset))
      .option('--criteria <ids>', `comma-separated criterion ids (default ${d.criteria.join(',')})`)
      .option('--widths <list>', `hidden widths, increasing (default ${d.widths.join(',')})`, numberList('--widths'))
      .option('--seeds <list>', `seeds (default ${d.seeds.join(',')})`, numberList('--seeds'))
      .option('--density <p>', `kept fraction of every layer (default ${d.density})`, num('--density'))
      .addOption(new Option('--loss <name>', `loss of data-driven criteria (default ${d.loss})`).choices(['cross-entropy', 'mse']))
      .option('--samples <n>', `MNIST digits per scoring batch (default ${d.samples})`, num('--samples'))
      .option('--row-blocks <k>', `canonical histogram row blocks (default ${d.rowBlocks})`, num('--row-blocks'))
      .option('--col-blocks <l>', `canonical histogram column blocks (default ${d.colBlocks})`, num('--col-blocks'))
      .option('--bootstrap <b>', `homogeneity-test replicates (default ${d.bootstrap})`, num('--bootstrap'))
      .option('--alpha <a>', `homogeneity-test level (default ${d.alpha})`, num('--alpha'))
      .option('--shard <i/N>', 'run only shard i of N (0-based) and write a shard folder')
      .option('--out <dir>', 'output folder', DEFAULT_OUT),
  );
  cmd.action(async (flags: ExperimentFlags) => {
    const config: Partial<ExperimentConfig> = {
      preset: flags.preset,
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
    };
    for (const key of Object.keys(config) as (keyof ExperimentConfig)[]) if (config[key] === undefined) delete config[key];
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
    emit(io, flags, await mergeExperiment(folders, out), describe);
  });
};
