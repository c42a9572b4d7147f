/**
 * `graphon-pai limit`: the limit graphon of the Factorised Saliency Model (docs: concepts/factorised-saliency-model),
 *
 *     W(u, v) = P(φ(F_A⁻¹(1−u), F_B⁻¹(1−v), ξ) ≥ τ),   τ solving ∫∫ W = p,
 *
 * from a spec (`--row-factor`, `--col-factor`, `--noise` laws, `--link`, `--density`) solved by
 * `@graphon-pai/graphon`'s `fsmLimit`. Writes a folder with `graphon.npy` (the K × L block averages, float64,
 * rows = neurons by factor descending, columns = inputs by factor descending: the canonical orientation a
 * mask's degree-sorted histogram uses), `row_cuts.npy`, `col_cuts.npy`, `limit.json` and the heatmap as
 * `heatmap.svg` / `heatmap.png` (unless `--no-figure`), all-or-nothing. Prints τ, the tie fraction θ and
 * the density τ achieves.
 *
 * Options and help are in `../command-table/limit.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import {
  checkOutputFolder,
  encodeNpy,
  FormatError,
  InvalidArgumentError,
  type OutputFolderOptions,
  readSafetensorsHeader,
  readScoreMatrix,
  type ScoreMatrix,
  type StepGraphon,
  withOutputFolder,
} from '@graphon-pai/core';
import {
  distribution,
  type FsmFitSummary,
  type FsmLimit,
  type FsmModel,
  fitFsm,
  fsmLimit,
  summarizeFsmFit,
} from '@graphon-pai/graphon';
import { parseBlocks } from '../blocks';
import type { LINKS } from '../command-table/choices';
import { graphonFolderFiles, writeGraphonFolder } from '../graphon-folder';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { parseLaw } from '../laws';
import { chooseLayer } from '../layer-choice';
import { Progress } from '../progress';

export interface LimitOptions extends GlobalOptions {
  rowFactor?: string;
  colFactor?: string;
  noise?: string;
  link?: (typeof LINKS)[number];
  fit?: string;
  layer?: string;
  fitNoise: 'empirical' | 'log-normal';
  density?: string;
  grid?: string;
  out: string;
  figure: boolean;
  force?: boolean;
}

/** The output rule's options of a limit folder (`--fit` is the only input). */
function outputOptions(o: LimitOptions): OutputFolderOptions {
  return { kind: 'limit', force: o.force, inputs: [o.fit] };
}

/** `--density`: the kept fraction in (0, 1) (the FSM limit is trivial at 1). */
function parseLimitDensity(value: string | undefined): number {
  const p = Number(value);
  if (value === undefined || !(Number.isFinite(p) && p > 0 && p < 1)) {
    throw new InvalidArgumentError('--density', value, 'a number in (0, 1) (the kept fraction)', {
      fix: 'e.g. --density 0.1 to keep 10 % of the weights',
    });
  }
  return p;
}

/** Parses and checks the model flags (cheap; before any solving). */
function parseModel(o: Pick<LimitOptions, 'rowFactor' | 'colFactor' | 'noise' | 'link'>): FsmModel {
  const link = o.link ?? 'multiplicative';
  const model: FsmModel = {
    rowFactor: parseLaw(o.rowFactor ?? 'constant', '--row-factor'),
    colFactor: parseLaw(o.colFactor ?? 'constant', '--col-factor'),
    noise: parseLaw(o.noise ?? 'half-normal', '--noise'),
    link,
  };
  if (link === 'multiplicative') {
    // The multiplicative link a·b·ξ needs non-negative factors and noise.
    for (const [flag, spec] of [
      ['--row-factor', model.rowFactor],
      ['--col-factor', model.colFactor],
      ['--noise', model.noise],
    ] as const) {
      const lowest = distribution(spec, flag).quantile(0);
      if (!(lowest >= 0)) {
        throw new InvalidArgumentError(flag, lowest, 'a law on [0, ∞) for the multiplicative link', {
          fix: 'use non-negative parameters (e.g. uniform:low=0,high=1) or --link additive',
        });
      }
    }
  }
  return model;
}

/** What every limit folder reports about the solved limit and the written grid. */
interface LimitFields {
  density: number;
  tau: number;
  theta: number;
  achievedDensity: number;
  closedForm: string;
  rowBlocks: number;
  colBlocks: number;
  /** ∫∫ of the written block averages (equals achievedDensity up to the block quadrature tolerance). */
  gridDensity: number;
  out: string;
  files: string[];
}

interface LimitSummary extends LimitFields {
  model: { rowFactor: string; colFactor: string; noise: string; link: string };
}

/** The `LimitFields` of a solved limit written as `graphon` with `files`. */
function limitFields(
  limit: Pick<FsmLimit, 'tau' | 'theta' | 'achievedDensity' | 'closedForm'>,
  density: number,
  graphon: StepGraphon,
  out: string,
  files: string[],
): LimitFields {
  const { tau, theta, achievedDensity, closedForm } = limit;
  const { rowBlocks, colBlocks } = graphon;
  return {
    density,
    tau,
    theta,
    achievedDensity,
    closedForm,
    rowBlocks,
    colBlocks,
    gridDensity: graphon.integral(),
    out,
    files,
  };
}

/** The heatmap of a limit folder: one cell per block. */
const heatmap = (title: string, g: StepGraphon) => ({ title, grid: Math.max(g.rowBlocks, g.colBlocks) });

/** Runs `graphon-pai limit` (the command's action). */
export async function runLimit(o: LimitOptions, io: CliIo): Promise<void> {
  if (o.fit !== undefined) return runFit(o, io);
  if (o.layer !== undefined) {
    throw new InvalidArgumentError('--layer', o.layer, 'used only with --fit', {
      fix: 'drop --layer, or pass --fit <scores file>',
    });
  }
  const density = parseLimitDensity(o.density);
  const { rowBlocks: k = 64, colBlocks: l = 64 } = parseBlocks(o.grid, '--grid');
  if (k > 1024 || l > 1024) throw new InvalidArgumentError('--grid', o.grid, 'at most 1024 blocks per side');
  const model = parseModel(o);
  checkOutputFolder(o.out, outputOptions(o));
  const progress = new Progress(io, 2, 'limit');
  const limit = fsmLimit(model, density);
  progress.tick(`τ = ${limit.tau.toPrecision(6)}`);
  const graphon = limit.toStepGraphon(k, l);
  progress.tick(`${k}×${l} block averages`);
  const m = limit.model;
  const summary: LimitSummary = {
    model: {
      rowFactor: m.rowFactor.name,
      colFactor: m.colFactor.name,
      noise: m.noise.name,
      link: m.link.name,
    },
    ...limitFields(limit, density, graphon, o.out, graphonFolderFiles('limit.json', o.figure)),
  };
  const title = `FSM limit, density ${density} (${k}×${l} blocks)`;
  await withOutputFolder(
    o.out,
    (folder) =>
      writeGraphonFolder(folder, graphon, 'limit.json', summary, o.figure ? heatmap(title, graphon) : null),
    outputOptions(o),
  );
  emit(io, o, summary, describeLimit);
}

function describeLimit(s: LimitSummary): string {
  return [
    `FSM limit (${s.model.link}): A ~ ${s.model.rowFactor}, B ~ ${s.model.colFactor}, ξ ~ ${s.model.noise}`,
    `τ = ${s.tau.toPrecision(8)}${s.theta > 0 ? `, tie fraction θ = ${s.theta.toPrecision(6)}` : ''}; density ${s.density} achieved ${s.achievedDensity.toPrecision(10)}`,
    `${s.rowBlocks}×${s.colBlocks} block averages (∫∫ = ${s.gridDensity.toPrecision(8)})`,
    `wrote ${s.files.map((f) => join(s.out, f)).join(', ')}`,
  ].join('\n');
}

/** The score matrix of `--fit`: a .npy array, or one tensor of a safetensors file (`--layer`). */
function fitScores(file: string, layer: string | undefined): ScoreMatrix {
  if (!fs.existsSync(file))
    throw new FormatError('no such file', { source: file, fix: 'check the --fit path' });
  if (file.endsWith('.npy') && layer !== undefined) {
    throw new InvalidArgumentError('--layer', layer, 'used only with a .safetensors --fit file', {
      fix: 'drop --layer',
    });
  }
  if (!file.endsWith('.npy') && !file.endsWith('.safetensors')) {
    throw new InvalidArgumentError('--fit', file, 'a score matrix as .npy or .safetensors', {
      fix: "write scores with 'graphon-pai prune --scores-out s.safetensors' or numpy.save",
    });
  }
  const tensor = file.endsWith('.npy')
    ? undefined
    : chooseLayer(file, [...readSafetensorsHeader(file).entries.keys()], layer, 'tensors');
  return readScoreMatrix(file, tensor);
}

interface FitSummary extends LimitFields {
  fit: { file: string; tensor: string } & FsmFitSummary & { noise: string };
}

async function runFit(o: LimitOptions, io: CliIo): Promise<void> {
  for (const [flag, v] of [
    ['--row-factor', o.rowFactor],
    ['--col-factor', o.colFactor],
    ['--noise', o.noise],
    ['--link', o.link],
  ] as const) {
    if (v !== undefined) {
      throw new InvalidArgumentError(
        flag,
        v,
        'absent with --fit (the fit supplies the factors and the noise)',
        {
          fix: `drop ${flag}, or drop --fit to use laws`,
        },
      );
    }
  }
  const density = parseLimitDensity(o.density);
  const blocks = parseBlocks(o.grid, '--grid');
  checkOutputFolder(o.out, outputOptions(o));
  const m = fitScores(o.fit as string, o.layer);
  const k = blocks.rowBlocks ?? Math.min(64, m.rows);
  const l = blocks.colBlocks ?? Math.min(64, m.cols);
  if (k > m.rows || l > m.cols) {
    throw new InvalidArgumentError(
      '--grid',
      o.grid,
      `at most ${m.rows}x${m.cols} blocks (the score matrix's shape)`,
    );
  }
  const fit = fitFsm(m.scores, { rows: m.rows, cols: m.cols });
  const limit = fit.limit(density, { noise: o.fitNoise });
  const graphon = limit.toStepGraphon(k, l);
  const summary: FitSummary = {
    fit: { file: o.fit as string, tensor: m.name, ...summarizeFsmFit(fit), noise: limit.noise.name },
    ...limitFields(
      limit,
      density,
      graphon,
      o.out,
      graphonFolderFiles('limit.json', o.figure, ['row_factors.npy', 'col_factors.npy']),
    ),
  };
  const title = `FSM limit fitted to ${m.name}, density ${density} (${k}×${l} blocks)`;
  await withOutputFolder(
    o.out,
    async (folder) => {
      folder.write('row_factors.npy', encodeNpy({ dtype: 'F64', shape: [m.rows], data: fit.rowFactors }));
      folder.write('col_factors.npy', encodeNpy({ dtype: 'F64', shape: [m.cols], data: fit.colFactors }));
      await writeGraphonFolder(
        folder,
        graphon,
        'limit.json',
        summary,
        o.figure ? heatmap(title, graphon) : null,
      );
    },
    outputOptions(o),
  );
  emit(io, o, summary, describeFit);
}

function describeFit(s: FitSummary): string {
  const f = s.fit;
  const q = (x: FsmFitSummary['rowFactors']) =>
    `min ${x.min.toPrecision(4)}, median ${x.median.toPrecision(4)}, max ${x.max.toPrecision(4)}, mean ${x.mean.toPrecision(4)}${x.zeros ? `, ${x.zeros} zero` : ''}`;
  return [
    `FSM fit to ${f.tensor} (${f.rows}×${f.cols}): |s| = A·B·ξ, ${f.sweeps} sweeps${f.converged ? '' : ' (not converged)'}, log-scale σ of ξ ${f.logSigma.toPrecision(4)}`,
    `  neuron factors A: ${q(f.rowFactors)}`,
    `  input factors B:  ${q(f.colFactors)}`,
    `  zero scores ${(100 * f.zeroFraction).toFixed(2)} %, empty rows ${f.zeroRows}, empty columns ${f.zeroCols}; noise ${f.noise}`,
    `predicted limit: τ = ${s.tau.toPrecision(8)}${s.theta > 0 ? `, tie fraction θ = ${s.theta.toPrecision(6)}` : ''}; density ${s.density} achieved ${s.achievedDensity.toPrecision(10)}`,
    `${s.rowBlocks}×${s.colBlocks} block averages (∫∫ = ${s.gridDensity.toPrecision(8)})`,
    `wrote ${s.files.map((x) => join(s.out, x)).join(', ')}`,
  ].join('\n');
}
