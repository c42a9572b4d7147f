/**
 * The result folder of `graphon` and `limit`: a step graphon as `graphon.npy`, `row_cuts.npy` and
 * `col_cuts.npy` (`@graphon-pai/core` `encodeStepGraphonNpy`), the command's JSON summary, and the heatmap as
 * `heatmap.svg` / `heatmap.png` unless the figure is skipped.
 */
import {
  encodeStepGraphonNpy,
  type OutputFolder,
  STEP_GRAPHON_FILES,
  type StepGraphon,
} from '@graphon-pai/core';
import { graphonHeatmapSpec, type HeatmapOptions } from '@graphon-pai/figures';
import { renderVegaLite } from './render';

/** The files {@link writeGraphonFolder} writes, `extra` files (written by the caller) before the summary. */
export function graphonFolderFiles(
  summaryFile: string,
  figure: boolean,
  extra: readonly string[] = [],
): string[] {
  return [...STEP_GRAPHON_FILES, ...extra, summaryFile, ...(figure ? ['heatmap.svg', 'heatmap.png'] : [])];
}

/** Writes the graphon's files, `summary` as JSON to `summaryFile`, and the heatmap (`figure` null: none). */
export async function writeGraphonFolder(
  folder: OutputFolder,
  graphon: StepGraphon,
  summaryFile: string,
  summary: object,
  figure: Pick<HeatmapOptions, 'title' | 'grid'> | null,
): Promise<void> {
  for (const [name, bytes] of encodeStepGraphonNpy(graphon)) folder.write(name, bytes);
  folder.write(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  if (figure === null) return;
  const spec = graphonHeatmapSpec(graphon, figure);
  const { svg, png } = await renderVegaLite(spec as unknown as Record<string, unknown>);
  folder.write('heatmap.svg', svg);
  folder.write('heatmap.png', png);
}
