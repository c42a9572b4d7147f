/**
 * Writing a report folder, shared by every preset: the text files (`report.md`, `results.csv`,
 * `results.json`, `jobs/*.json`), each figure's Vega-Lite spec as `figures/<name>.vl.json` and, when a
 * renderer is given, `figures/<name>.svg` / `.png`. Figures are rendered before the folder is created, and
 * the folder is written all-or-nothing under core's output rule (`withOutputFolder`).
 */
import { type OutputFolderOptions, withOutputFolder } from '@graphon-pai/core';
import type { ReportContents } from './preset';

/** The output kind of report folders (core's output rule): a report folder is reused only for a report. */
export const REPORT_FOLDER_KIND = 'experiment-report';

/** A figure drawn from its Vega-Lite spec. */
export interface RenderedFigure {
  svg: string;
  png: Uint8Array;
}

/**
 * Draws a Vega-Lite spec as SVG and PNG, e.g. with `@graphon-pai/figures`:
 * `async (spec) => ({ svg: await renderSvg(spec), png: await renderPng(spec) })`.
 */
export type FigureRenderer = (spec: Record<string, unknown>) => Promise<RenderedFigure>;

/** Writes `report` into the folder `out`; figures as SVG and PNG only when `render` is given. */
export async function writeReportFolder(
  out: string,
  report: ReportContents,
  render?: FigureRenderer,
  options: Omit<OutputFolderOptions, 'kind'> = {},
): Promise<void> {
  const rendered = new Map<string, RenderedFigure>();
  if (render) for (const [name, spec] of report.figures) rendered.set(name, await render(spec));
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
