/**
 * `graphon-pai experiment`: its options, derived from the experiment flag table (`../experiment/flags.ts`) and
 * the presets' defaults; the implementation (`../commands/experiment`) loads when it runs.
 */
import { DEFAULT_PRESET, presets } from '@graphon-pai/experiments';
import { type Command, Option } from 'commander';
import { EXPERIMENT_FLAGS, flagText } from '../experiment/flags';
import type { CommandRegistrar } from './registrar';

const DEFAULT_OUT = 'graphon-pai-report';

const PRESETS = Object.values(presets);

/** `(taxonomy: 0.1; ntk, uat: 32)`: each preset that accepts `key`, grouped by default. */
function defaultsOf(key: string): string {
  const groups = new Map<string, string[]>();
  for (const p of PRESETS) {
    if (!(key in p.defaults)) continue;
    const given = (p.defaults as unknown as Record<string, unknown>)[key];
    const value = given === undefined ? 'none' : flagText(given);
    groups.set(value, [...(groups.get(value) ?? []), p.name]);
  }
  return [...groups].map(([value, names]) => `${names.join(', ')}: ${value}`).join('; ');
}

export const experimentCommand: CommandRegistrar = (program: Command, io) => {
  const cmd = program
    .command('experiment')
    .description(
      `reproduce the paper's experiments on MNIST and write a report folder; presets: ${PRESETS.map((p) => `${p.name} (${p.summary})`).join('; ')}`,
    )
    .addOption(
      new Option('--preset <name>', 'which experiment')
        .choices(PRESETS.map((p) => p.name))
        .default(DEFAULT_PRESET),
    );
  for (const row of EXPERIMENT_FLAGS) {
    const option = new Option(`${row.flag} ${row.arg}`, `${row.help} (${defaultsOf(row.key)})`).argParser(
      (v) => row.parse(v, row.flag),
    );
    cmd.addOption(row.choices ? option.choices(row.choices) : option);
  }
  cmd
    .option('--no-figures', 'skip rendering SVG/PNG figures (the Vega-Lite specs are still written)')
    .option('--shard <i/N>', 'run only shard i of N (0-based) and write a shard folder')
    .option(
      '--out <dir>',
      'output folder: new, or one this command wrote (its files are replaced)',
      DEFAULT_OUT,
    )
    .option('--force', 'also write into a folder graphon-pai did not write (other files are kept)')
    .option(
      '--resume',
      'reuse the job results already in --out (same settings; --criteria and --seeds may grow)',
    )
    .option('--json', 'print machine-readable JSON results on stdout')
    .option('--seed <n>', 'not used: every random choice of a job follows its seed in --seeds');
  cmd.action(async (flags) => (await import('../commands/experiment')).runExperimentCommand(flags, io));
  cmd
    .command('merge')
    .description('join shard folders into the report a single run gives')
    .argument('<folders...>', 'shard folders written with --shard i/N')
    .option('--out <dir>', 'output folder (never one of the shards)', DEFAULT_OUT)
    .option('--force', 'also write into a folder graphon-pai did not write (other files are kept)')
    .option('--json', 'print machine-readable JSON results on stdout')
    .action(async (folders: string[], flags) =>
      (await import('../commands/experiment')).runMergeCommand(folders, flags, cmd, io),
    );
};
