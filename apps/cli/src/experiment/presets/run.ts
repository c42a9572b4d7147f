/**
 * Running and merging the `ntk` and `uat` presets of `graphon-pai experiment` (theory.md §5–6): a full run
 * writes the report folder (`report.ts`); `--shard i/N` runs one slice of the criteria × seeds jobs and
 * writes a shard folder; `experiment merge` joins shard folders of one sweep into the report a single run
 * writes (`../shard-folder.ts`).
 */
import { FormatError } from '@graphon-pai/core';
import type { CliIo } from '../../io';
import { readShardFolders, writeShardFolder } from '../shard-folder';
import type { Shard } from '../sweep';
import { type PresetConfig, type PresetName, resolvePresetConfig } from './config';
import { executePresetJobs, type PresetJobResult } from './jobs';
import { writePresetReport } from './report';

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
  if (shard) await writeShardFolder(out, config, shard, results);
  else await writePresetReport(out, config, results, figures);
  return { out, jobs: results.length, config };
}

/** Joins shard folders of an `ntk` / `uat` sweep into the report a single run writes. */
export async function mergePreset(
  folders: readonly string[],
  out: string,
  figures = true,
): Promise<{ out: string; jobs: number; config: PresetConfig }> {
  const { config, results } = readShardFolders<PresetConfig, PresetJobResult>(folders, {
    resolve: (raw, folder) => {
      if (raw?.preset !== 'ntk' && raw?.preset !== 'uat') {
        throw new FormatError(`holds a ${raw?.preset ?? 'unknown'} shard`, {
          source: folder,
          fix: 'merge shards of one sweep only',
        });
      }
      return resolvePresetConfig(raw);
    },
    notAShardFix: 'pass the --out folders of `graphon-pai experiment --preset … --shard i/N` runs',
  });
  await writePresetReport(out, config, results, figures);
  return { out, jobs: results.length, config };
}
