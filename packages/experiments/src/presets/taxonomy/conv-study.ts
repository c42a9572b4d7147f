/**
 * The conv study of the taxonomy preset: one convolution layer of a conv network, followed across channel
 * multipliers.
 *
 * At multiplier m the network is `scaleConvNetWidth(spec, m)` (every convolution's output channels and every
 * hidden linear width × m, rounded; the classes kept), initialised as `ConvNet.create` does (Kaiming normal,
 * fan-in `C·kh·kw`, seed = the job's seed). The studied layer's weight `[O, C, kh, kw]` grows on both sides
 * (O = its channels × m, C = the previous convolution's × m, except a first layer's input channels), so its
 * two graphs (`@graphon-pai/graphon`'s conv graphs) are:
 *
 * - `kernel`: the mask itself, out-channel × (in-channel, kh, kw), an `O × C·kh·kw` bipartite graph;
 * - `channel`: the kept fraction of each (out-channel, in-channel) pair's kh × kw kernel, `O × C`.
 *
 * Grids (one per graph, fixed across multipliers so that every multiplier and reference is compared on the
 * same grid): the `block` metric's `K × L = min(16, side)` for the sides of the smallest multiplier's graph
 * (16 × 16 as in the MLP study wherever the graph is that large), and the homogeneity test's and heatmaps'
 * `min(--row-blocks, O) × min(--col-blocks, side)`, also at the smallest multiplier: LeNet-5's `features.3`
 * at m = 1 is 16 × 150 (kernel) and 16 × 6 (channel).
 *
 * {@link convStudy} resolves and checks a configuration (an `InvalidArgumentError` naming `--net`, `--layer`,
 * `--widths` or `--density` and the fix); the pipeline calls it before any job.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import {
  ConvNet,
  type ConvNetSpec,
  formatConvNetSpec,
  parseNetworkSpec,
  scaleConvNetWidth,
} from '@graphon-pai/nets';
import type { TaxonomyConfig } from './config';
import { wideMultiplier } from './conv-config';

export type ConvGraphName = 'kernel' | 'channel';
export const CONV_GRAPHS: readonly ConvGraphName[] = ['kernel', 'channel'];

/** A `K × L` grid. */
export interface Grid {
  rowBlocks: number;
  colBlocks: number;
}

export interface ConvStudy {
  /** `--net` as given, and its canonical spec string. */
  net: string;
  spec: ConvNetSpec;
  specString: string;
  /** The studied weight's `state_dict` name (`features.3.weight`). */
  layer: string;
  multipliers: number[];
  wideMultiplier: number;
  /** `[O, C, kh, kw]` of the layer at each multiplier (same order), and at the wide multiplier. */
  shapes: number[][];
  wideShape: number[];
  /** The `block` metric's grid of each graph. */
  blockGrid: Record<ConvGraphName, Grid>;
  /** The homogeneity test's (and heatmaps') grid of each graph. */
  histogramGrid: Record<ConvGraphName, Grid>;
}

/** Rows × cols of a graph of a layer of shape `[O, C, kh, kw]`. */
export function graphSides(graph: ConvGraphName, shape: readonly number[]): [number, number] {
  const [O, C, kh, kw] = shape;
  return graph === 'kernel' ? [O, C * kh * kw] : [O, C];
}

/** The layer's `[O, C, kh, kw]` in a spec (the spec is valid: checked by `ConvNet.create` first). */
function layerShape(spec: ConvNetSpec, weightName: string): number[] {
  let channels = spec.input[0];
  for (const group of spec.groups) {
    for (const [i, m] of group.modules.entries()) {
      if (m.kind !== 'conv') continue;
      const name = `${group.name === null ? '' : `${group.name}.`}${i}.weight`;
      if (name === weightName) return [m.outChannels, channels, m.kernel[0], m.kernel[1]];
      channels = m.outChannels;
    }
  }
  throw new Error(`no convolution ${weightName}`);
}

/** Resolves and checks a conv-study configuration (see the file header). */
export function convStudy(config: TaxonomyConfig): ConvStudy {
  const parsed = parseNetworkSpec(config.net!, '--net');
  if (parsed.kind !== 'conv') {
    throw new InvalidArgumentError('--net', config.net, 'a conv network: lenet5, vgg-small or conv:<spec>', {
      fix: 'drop --net to study the MLP',
    });
  }
  const spec = parsed.spec;
  const base = ConvNet.create({ spec: scaleConvNetWidth(spec, config.widths[0]), seed: 0 });
  const convs = base.layers.filter((l) => l.kind === 'conv').map((l) => l.weightName);
  base.dispose();
  const given = config.layer!.trim();
  const layer = given.endsWith('.weight') ? given : `${given}.weight`;
  if (!convs.includes(layer)) {
    throw new InvalidArgumentError(
      '--layer',
      config.layer,
      `a convolution of --net ${config.net}: ${convs.map((n) => n.replace(/\.weight$/, '')).join(', ')}`,
      {
        fix: `pass e.g. --layer ${convs[convs.length - 1].replace(/\.weight$/, '')} (linear layers and MLP layer names such as 0.weight are not convolutions of this net)`,
      },
    );
  }
  const multipliers = config.widths;
  const wide = wideMultiplier(config);
  const shapes = multipliers.map((m) => layerShape(scaleConvNetWidth(spec, m), layer));
  const wideShape = layerShape(scaleConvNetWidth(spec, wide), layer);
  const outs = [...shapes, wideShape].map((s) => s[0]);
  if (!outs.every((o, i) => i === 0 || o > outs[i - 1])) {
    throw new InvalidArgumentError(
      '--widths',
      multipliers.join(','),
      `multipliers that give ${layer} more output channels each time (got ${outs.join(', ')} with the wide reference)`,
      { fix: 'space the multipliers further apart, e.g. 1,2,4,8' },
    );
  }
  const smallest = shapes[0];
  const weights = smallest.reduce((a, b) => a * b, 1);
  if (Math.round(config.density * weights) < 1) {
    throw new InvalidArgumentError(
      '--density',
      config.density,
      `a kept fraction that keeps at least one of the ${weights} weights of ${layer} at multiplier ${multipliers[0]}`,
      { fix: `pass at least ${(0.5 / weights).toPrecision(2)}` },
    );
  }
  const grid = (graph: ConvGraphName, rowBlocks: number, colBlocks: number): Grid => {
    const [rows, cols] = graphSides(graph, smallest);
    return { rowBlocks: Math.min(rowBlocks, rows), colBlocks: Math.min(colBlocks, cols) };
  };
  return {
    net: config.net!,
    spec,
    specString: formatConvNetSpec(spec),
    layer,
    multipliers,
    wideMultiplier: wide,
    shapes,
    wideShape,
    blockGrid: { kernel: grid('kernel', 16, 16), channel: grid('channel', 16, 16) },
    histogramGrid: {
      kernel: grid('kernel', config.rowBlocks, config.colBlocks),
      channel: grid('channel', config.rowBlocks, config.colBlocks),
    },
  };
}

/** The study's network at channel multiplier `m`, initialised with `seed` (the caller disposes it). */
export function convNetwork(study: ConvStudy, multiplier: number, seed: number): ConvNet {
  return ConvNet.create({ spec: scaleConvNetWidth(study.spec, multiplier), seed });
}
