/**
 * The job of the density-sweep presets (`ntk`, `uat`): a criterion and a seed, run at every width × density.
 * Scores are computed once per width (one-shot scores do not depend on the density); at each density the
 * first layer's n × 784 mask (`../scoring.ts`) is read as a graphon the way `graphon-pai bounds` reads it —
 * rows sorted by degree averaged in `rowBlocks` blocks, inputs in pixel order — and handed to the preset's
 * `evaluate`, whose fields are added to the cell.
 */
import type { BitMatrix, ScoreMap, StepGraphon } from '@graphon-pai/core';
import { rowBlockGraphon } from '@graphon-pai/graphon';
import type { Batch } from '@graphon-pai/nets';
import { type CsvValue, csvTable } from '../csv';
import { criterionContext, experimentMlp, inputConnectivity, jobCriterion, studiedMask } from '../scoring';
import type { Job } from '../sweep';
import type { DensitySweepConfig } from './density-sweep-config';

/** The coordinates and counts of one cell; a preset adds its own fields. */
export interface SweepCell {
  criterion: string;
  seed: number;
  width: number;
  density: number;
  kept: number;
  /** Inputs with at least one kept weight. */
  activeInputs: number;
}

export interface CellInput {
  mask: BitMatrix;
  graphon: StepGraphon;
  /** Kept fraction of each input pixel (pixel order). */
  columnDensity: number[];
}

/** Runs one job: the criterion scores a 784 → n → `outputs` network on `data` at every width. */
export async function densitySweepJob<C extends DensitySweepConfig, X extends object>(
  config: C,
  job: Job,
  data: Batch,
  outputs: number,
  evaluate: (cell: CellInput) => X,
  tick: (detail: string) => void,
): Promise<(SweepCell & X)[]> {
  const criterion = jobCriterion(job.criterion);
  const cells: (SweepCell & X)[] = [];
  for (const width of config.widths) {
    const network = experimentMlp(width, outputs, job.seed);
    let scores: ScoreMap;
    try {
      scores = await criterion.spec.score(
        criterionContext(criterion.spec, network, data, config.loss, job.seed),
      );
    } finally {
      network.dispose();
    }
    for (const density of config.densities) {
      const mask = studiedMask(scores, density, job.criterion);
      const { activeInputs, columnDensity } = inputConnectivity(mask);
      const base: SweepCell = {
        criterion: job.criterion,
        seed: job.seed,
        width,
        density,
        kept: mask.nnz(),
        activeInputs,
      };
      cells.push({
        ...base,
        ...evaluate({ mask, graphon: rowBlockGraphon(mask, config.rowBlocks), columnDensity }),
      });
      tick(`${job.criterion} seed ${job.seed} n=${width} p=${density}`);
    }
  }
  return cells;
}

/** The cells of one criterion at one width and density, over seeds (job order). */
export function cellsAt<Cell extends SweepCell>(
  results: readonly { job: Job; cells: Cell[] }[],
  criterion: string,
  width: number,
  density: number,
): Cell[] {
  return results
    .filter((r) => r.job.criterion === criterion)
    .flatMap((r) => r.cells.filter((c) => c.width === width && c.density === density));
}

/** The cells of each criterion × density at the widest width, over seeds (configured order; empty groups left out). */
export function widestCells<Cell extends SweepCell>(
  config: DensitySweepConfig,
  results: readonly { job: Job; cells: Cell[] }[],
): { criterion: string; density: number; cells: Cell[] }[] {
  const width = config.widths[config.widths.length - 1];
  return config.criteria
    .flatMap((criterion) =>
      config.densities.map((density) => ({
        criterion,
        density,
        cells: cellsAt(results, criterion, width, density),
      })),
    )
    .filter((g) => g.cells.length > 0);
}

/** `results.csv`: the header, then one row per cell in job order — coordinates and counts, then `row(cell)`. */
export function sweepCsv<Cell extends SweepCell>(
  header: string,
  results: readonly { cells: Cell[] }[],
  row: (c: Cell) => readonly CsvValue[],
): string {
  const columns = ['criterion', 'seed', 'width', 'density', 'kept', 'active_inputs', ...header.split(',')];
  const rows = results.flatMap((r) =>
    r.cells.map((c) => [c.criterion, c.seed, c.width, c.density, c.kept, c.activeInputs, ...row(c)]),
  );
  return csvTable(columns, rows);
}
