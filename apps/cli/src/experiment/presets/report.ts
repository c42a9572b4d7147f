/**
 * The report folder of the `ntk` and `uat` presets, a pure function of (configuration, job results,
 * provenance), so a single run and `experiment merge` of its shards write the same files:
 *
 *     report.md        setup, one table per criterion, a short reading (`markdown.ts`)
 *     results.csv      one row per criterion × seed × width × density (`csv.ts`)
 *     results.json     configuration, provenance (command, versions, engine), raw job results
 *     jobs/<id>.json   the raw result of each job (what merge reads back)
 *     figures/         ntk.vl.json or active-coordinates.vl.json, and .svg / .png unless --no-figures
 */
import { type Provenance, runProvenance } from '../provenance';
import { type ReportContents, writeReportFolder } from '../report-folder';
import { jobFile } from '../shard-folder';
import { orderJobs } from '../sweep';
import { type PresetConfig, presetCommand } from './config';
import { ntkCsv, uatCsv } from './csv';
import { activeCoordinateFigure, ntkFigure } from './figures';
import type { PresetJobResult } from './jobs';
import { ntkMarkdown, uatMarkdown } from './markdown';

export function buildPresetReport(
  config: PresetConfig,
  results: readonly PresetJobResult[],
  provenance: Provenance,
): ReportContents {
  const ordered = orderJobs(config.criteria, results);
  const text = new Map<string, string>();
  const ntk = config.preset === 'ntk';
  text.set(
    'report.md',
    ntk ? ntkMarkdown(config, ordered, provenance) : uatMarkdown(config, ordered, provenance),
  );
  text.set('results.csv', ntk ? ntkCsv(ordered) : uatCsv(ordered));
  text.set('results.json', `${JSON.stringify({ config, provenance, jobs: ordered }, null, 1)}\n`);
  for (const r of ordered) text.set(...jobFile(r));
  const figures = new Map<string, Record<string, unknown>>(
    ntk
      ? [['ntk', ntkFigure(config, ordered)]]
      : [['active-coordinates', activeCoordinateFigure(config, ordered)]],
  );
  return { text, figures };
}

/** Writes the report folder (figures rendered unless `figures` is false). */
export async function writePresetReport(
  out: string,
  config: PresetConfig,
  results: readonly PresetJobResult[],
  figures: boolean,
): Promise<void> {
  const report = buildPresetReport(config, results, await runProvenance(presetCommand(config)));
  await writeReportFolder(out, report, figures);
}
