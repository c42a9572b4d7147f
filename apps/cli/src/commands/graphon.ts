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
import {
  checkOutputFolder,
  InvalidArgumentError,
  type OutputFolderOptions,
  withOutputFolder,
} from '@graphon-pai/core';
import { channelStepGraphon, estimateGraphon } from '@graphon-pai/graphon';
import { parseBlocks } from '../blocks';
import type { Estimator } from '../command-table/choices';
import { graphonFolderFiles, writeGraphonFolder } from '../graphon-folder';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { maskLayer } from '../mask-file';

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
    : estimateGraphon(mask, options.estimator, { ...blocks, seed: options.seed ?? 0 });
  const summary = {
    file,
    layer: name,
    shape: [mask.rows, mask.cols],
    estimator: options.estimator,
    rowBlocks: graphon.rowBlocks,
    colBlocks: graphon.colBlocks,
    density: graphon.integral(),
    ...details,
    out: options.out,
    files: graphonFolderFiles('estimate.json', options.figure),
  };
  const what = channel ? 'channel graphon' : `${options.estimator} estimate`;
  await withOutputFolder(
    options.out,
    (folder) =>
      writeGraphonFolder(
        folder,
        graphon,
        'estimate.json',
        summary,
        options.figure ? { title: `${name}: ${what} (${graphon.rowBlocks}×${graphon.colBlocks})` } : null,
      ),
    output,
  );
  emit(io, options, summary, (s) =>
    [
      `${s.estimator} estimate of ${s.layer} (${s.shape[0]}×${s.shape[1]}): ${s.rowBlocks}×${s.colBlocks} blocks, density ${s.density.toPrecision(4)}`,
      `wrote ${s.files.map((f) => `${s.out}/${f}`).join(', ')}`,
    ].join('\n'),
  );
}
