/**
 * `graphon-pai experiment`: the main job. With no arguments it reproduces the convergence and taxonomy
 * results on MNIST (see `experiment/config.ts` for the defaults) and writes a report folder;
 * `--shard i/N` runs one slice; `experiment merge <folders…>` joins shard folders into the same report.
 *
 * Options and help are in `../command-table/experiment.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import type { Command } from 'commander';
import { registerBuiltins } from '../builtins';
import type { ExperimentConfig } from '../experiment/config';
import type { PresetConfig, PresetName } from '../experiment/presets/config';
import { mergeExperiment, type RunOutcome, runExperiment } from '../experiment/run';
import { shardPreset } from '../experiment/shard-folder';
import { parseShard } from '../experiment/sweep';
import { type CliIo, emit, type GlobalOptions } from '../io';

/** The flags that were given: a configuration without the keys left undefined (defaults fill them). */
function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface ExperimentFlags extends GlobalOptions {
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
  // The ntk / uat presets need @graphon-pai/bounds (and the mathjs it loads): imported only for them.
  const [{ parseClasses }, { runPreset }] = await Promise.all([
    import('../bounds-eval'),
    import('../experiment/presets/run'),
  ]);
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

/** Runs `graphon-pai experiment` (the command's action). */
export async function runExperimentCommand(flags: ExperimentFlags, io: CliIo): Promise<void> {
  await registerBuiltins();
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
}

/** Runs `graphon-pai experiment merge`; `cmd` is the parent `experiment` command (it may hold `--out`). */
export async function runMergeCommand(
  folders: string[],
  flags: { out: string } & GlobalOptions,
  cmd: Command,
  io: CliIo,
): Promise<void> {
  await registerBuiltins();
  // commander hands `--out` after `merge` to the parent `experiment` command, which has the same option.
  const out = cmd.getOptionValueSource('out') === 'cli' ? (cmd.opts().out as string) : flags.out;
  const preset = folders.length > 0 ? shardPreset(folders[0]) : undefined;
  if (preset === 'ntk' || preset === 'uat') {
    const { mergePreset } = await import('../experiment/presets/run');
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
}
