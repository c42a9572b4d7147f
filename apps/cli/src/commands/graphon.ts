/**
 * `graphon-pai graphon <mask> --layer <name>`: estimate a layer's graphon and write a folder with
 * `graphon.npy` (the K × L step values, float64, rows = output neurons in canonical order), `row_cuts.npy`
 * and `col_cuts.npy` (block boundaries in [0, 1]), `estimate.json`, and the heatmap as `heatmap.svg` and
 * `heatmap.png` (unless `--no-figure`). The folder is written all-or-nothing.
 *
 * A convolution layer (stored as `[out, in, kh, kw]`) has two graphs (`@graphon-pai/graphon` conv-graphs):
 * `--graph kernel` (default) estimates the out-channel × (in-channel, kh, kw) graph, the mask as stored;
 * `--graph channel` writes the channel graphon — the kept fraction of each channel pair's kernel in canonical
 * order, averaged over `--blocks` (default: one block per channel pair).
 *
 * Options and help are in `../command-table/graphon.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import { encodeNpy, type StepGraphon } from '@graphon-pai/core';
import { graphonHeatmapSpec } from '@graphon-pai/figures';
import { InvalidArgumentError } from '@graphon-pai/core';
import {
  channelStepGraphon,
  histogramEstimate,
  networkHistogram,
  sasEstimate,
  usvtEstimate,
} from '@graphon-pai/graphon';
import { parseBlocks } from '../blocks';
import type { Estimator } from '../command-table/choices';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { maskLayer } from '../mask-file';
import { checkOutputFolder, type OutputFolderOptions, withOutputFolder } from '../output-folder';
import { renderVegaLite } from '../render';

export function estimate(
  mask: Parameters<typeof histogramEstimate>[0],
  estimator: Estimator,
  blocks: { rowBlocks?: number; colBlocks?: number },
  seed: number,
): { graphon: StepGraphon; details: Record<string, unknown> } {
  switch (estimator) {
    case 'histogram':
      return { graphon: histogramEstimate(mask, blocks), details: {} };
    case 'sas':
      return { graphon: sasEstimate(mask, blocks), details: {} };
    case 'usvt': {
      const r = usvtEstimate(mask, blocks);
      return {
        graphon: r.graphon,
        details: { rank: r.rank, threshold: r.threshold, rankCapped: r.rankCapped },
      };
    }
    case 'network-histogram': {
      const r = networkHistogram(mask, { ...blocks, seed });
      return { graphon: r.graphon, details: { logLikelihood: r.logLikelihood, accepted: r.accepted } };
    }
  }
}

export interface GraphonOptions extends GlobalOptions {
  layer?: string;
  estimator: Estimator;
  graph?: 'kernel' | 'channel';
  blocks?: string;
  out: string;
  figure: boolean;
  force?: boolean;
}

/** Runs `graphon-pai graphon` (the command's action). */
export async function runGraphon(file: string, options: GraphonOptions, io: CliIo): Promise<void> {
  const blocks = parseBlocks(options.blocks);
  const output: OutputFolderOptions = { kind: 'graphon', force: options.force, inputs: [file] };
  checkOutputFolder(options.out, output);
  const { name, mask, tensorShape } = maskLayer(file, options.layer);
  const channel = options.graph === 'channel';
  if (channel && tensorShape?.length !== 4) {
    throw new InvalidArgumentError(
      '--graph',
      'channel',
      `a convolution layer stored as [out, in, kh, kw] (${name} is ${mask.rows} × ${mask.cols})`,
      {
        fix: 'use --graph kernel (the default) for linear layers, or pass a mask written for the conv network',
      },
    );
  }
  if (channel && options.estimator !== 'histogram') {
    throw new InvalidArgumentError('--estimator', options.estimator, "'histogram' with --graph channel", {
      fix: 'the channel graph is weighted (kept fractions): its graphon is the canonical block average',
    });
  }
  const { graphon, details } = channel
    ? {
        graphon: channelStepGraphon(
          mask,
          tensorShape as number[],
          blocks.rowBlocks && blocks.colBlocks
            ? { rowBlocks: blocks.rowBlocks, colBlocks: blocks.colBlocks }
            : undefined,
        ),
        details: { graph: 'channel', tensorShape },
      }
    : estimate(mask, options.estimator, blocks, options.seed ?? 0);
  const k = graphon.rowBlocks;
  const l = graphon.colBlocks;
  let density = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < l; b++) {
      const area =
        (graphon.rowCuts[a + 1] - graphon.rowCuts[a]) * (graphon.colCuts[b + 1] - graphon.colCuts[b]);
      density += area * graphon.values[a * l + b];
    }
  }
  const summary = {
    file,
    layer: name,
    shape: [mask.rows, mask.cols],
    estimator: options.estimator,
    rowBlocks: k,
    colBlocks: l,
    density,
    ...details,
    out: options.out,
    files: ['graphon.npy', 'row_cuts.npy', 'col_cuts.npy', 'estimate.json'].concat(
      options.figure ? ['heatmap.svg', 'heatmap.png'] : [],
    ),
  };
  await withOutputFolder(
    options.out,
    async (folder) => {
      folder.write('graphon.npy', encodeNpy({ dtype: 'F64', shape: [k, l], data: graphon.values }));
      folder.write('row_cuts.npy', encodeNpy({ dtype: 'F64', shape: [k + 1], data: graphon.rowCuts }));
      folder.write('col_cuts.npy', encodeNpy({ dtype: 'F64', shape: [l + 1], data: graphon.colCuts }));
      folder.write('estimate.json', `${JSON.stringify(summary, null, 2)}\n`);
      if (options.figure) {
        const spec = graphonHeatmapSpec(graphon, {
          title: channel
            ? `${name}: channel graphon (${k}×${l})`
            : `${name}: ${options.estimator} estimate (${k}×${l})`,
        });
        const { svg, png } = await renderVegaLite(spec as unknown as Record<string, unknown>);
        folder.write('heatmap.svg', svg);
        folder.write('heatmap.png', png);
      }
    },
    output,
  );
  emit(io, options, summary, (s) =>
    [
      `${s.estimator} estimate of ${s.layer} (${s.shape[0]}×${s.shape[1]}): ${s.rowBlocks}×${s.colBlocks} blocks, density ${s.density.toPrecision(4)}`,
      `wrote ${s.files.map((f) => `${s.out}/${f}`).join(', ')}`,
    ].join('\n'),
  );
}
