/**
 * `graphon-pai experiment`: the main job. With no arguments it runs the default preset on MNIST and writes a
 * report folder; `--shard i/N` runs one slice; `experiment merge <folders…>` joins shard folders into the same
 * report. Options come from the flag table (`../command-table/experiment.ts`); the run itself is
 * `@graphon-pai/experiments`' `runExperiment` / `mergeExperiment`, given the engine, provenance, figure
 * renderer and progress of the CLI.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import {
  type ExperimentOutcome,
  mergeExperiment,
  type PresetConfig,
  parseShard,
  runExperiment,
} from '@graphon-pai/experiments';
import type { Command } from 'commander';
import { registerBuiltins } from '../builtins';
import { setupEngine } from '../engine';
import { canonicalCommand, resolveConfig } from '../experiment/config';
import { EXPERIMENT_FLAGS } from '../experiment/flags';
import { runProvenance } from '../experiment/provenance';
import { type CliIo, emit } from '../io';
import { Progress } from '../progress';
import { renderVegaLite } from '../render';

interface ExperimentFlags extends Record<string, unknown> {
  preset: string;
  figures: boolean;
  shard?: string;
  out: string;
  force?: boolean;
  resume?: boolean;
  json?: boolean;
  seed?: string;
}

function describe(o: ExperimentOutcome): string {
  const head = `wrote ${o.out} (${o.preset} preset, ${o.jobs} jobs)`;
  if (o.report === null)
    return `${head}\nshard folder: join all shards with \`graphon-pai experiment merge <folders…>\``;
  return [head, `report: ${o.report}`, ...o.lines].join('\n');
}

function print(io: CliIo, json: boolean | undefined, outcome: ExperimentOutcome): void {
  const { lines: _, ...machine } = outcome;
  if (json) emit(io, { json }, machine, () => '');
  else emit(io, {}, outcome, describe);
}

/** The provenance of a report: the command reproducing its configuration, versions, engine. */
const provenance = (config: PresetConfig) => runProvenance(canonicalCommand(config));

/** Runs `graphon-pai experiment` (the command's action). */
export async function runExperimentCommand(flags: ExperimentFlags, io: CliIo): Promise<void> {
  if (flags.seed !== undefined) {
    throw new InvalidArgumentError(
      '--seed',
      flags.seed,
      'absent with experiment: each job’s seed in --seeds drives every random choice of that job',
      {
        fix: `pass --seeds ${flags.seed}`,
      },
    );
  }
  await registerBuiltins();
  const given: Record<string, unknown> = { preset: flags.preset };
  for (const { key } of EXPERIMENT_FLAGS) given[key] = flags[key];
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const config = resolveConfig(given);
  const label = config.preset === 'taxonomy' ? 'experiment' : `experiment ${config.preset}`;
  const outcome = await runExperiment(config, {
    out: flags.out,
    shard,
    force: flags.force,
    resume: flags.resume,
    setup: setupEngine,
    provenance,
    render: flags.figures ? renderVegaLite : undefined,
    progress: (total) => {
      const progress = new Progress(io, total, label);
      return (detail) => progress.tick(detail);
    },
  });
  print(io, flags.json, outcome);
}

/** Runs `graphon-pai experiment merge`; `cmd` is the parent `experiment` command (it may hold `--out`). */
export async function runMergeCommand(
  folders: string[],
  flags: { out: string; json?: boolean; force?: boolean },
  cmd: Command,
  io: CliIo,
): Promise<void> {
  await registerBuiltins();
  // commander hands `--out`, `--json` and `--no-figures` after `merge` to the parent command, which has them too.
  const parent = cmd.opts();
  const out = cmd.getOptionValueSource('out') === 'cli' ? (parent.out as string) : flags.out;
  const force = Boolean(flags.force || parent.force);
  const render = parent.figures !== false ? renderVegaLite : undefined;
  const outcome = await mergeExperiment(folders, { out, force, provenance, render, resolve: resolveConfig });
  print(io, flags.json || parent.json, outcome);
}
