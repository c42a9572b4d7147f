/**
 * Writing an experiment report folder, shared by every preset: the text files (`report.md`, `results.csv`,
 * `results.json`, `jobs/*.json`), each figure's Vega-Lite spec as `figures/<name>.vl.json` and, when
 * rendered, `figures/<name>.svg` / `.png`. Figures are rendered before the folder is created, and the folder
 * is written all-or-nothing under the output rule (`output-folder.ts`).
 */
import { type OutputFolderOptions, withOutputFolder } from '@graphon-pai/core';
import type { ReportContents } from '@graphon-pai/experiments';
import { type RenderedFigure, renderVegaLite } from '../render';

/** The output kind of report folders (`output-folder.ts`): a report folder is reused only for a report. */
export const REPORT_FOLDER_KIND = 'experiment-report';

export async function writeReportFolder(
  out: string,
  report: ReportContents,
  render: boolean,
  options: Omit<OutputFolderOptions, 'kind'> = {},
): Promise<void> {
  const rendered = new Map<string, RenderedFigure>();
  if (render) for (const [name, spec] of report.figures) rendered.set(name, await renderVegaLite(spec));
  await withOutputFolder(
    out,
    (folder) => {
      for (const [path, text] of report.text) folder.write(path, text);
      for (const [name, spec] of report.figures)
        folder.write(`figures/${name}.vl.json`, `${JSON.stringify(spec, null, 1)}\n`);
      for (const [name, fig] of rendered) {
        folder.write(`figures/${name}.svg`, fig.svg);
        folder.write(`figures/${name}.png`, fig.png);
      }
    },
    { ...options, kind: REPORT_FOLDER_KIND },
  );
}
