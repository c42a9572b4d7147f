/**
 * Convolutional networks (conv, pooling, flatten, linear, activations) with PyTorch `state_dict` names.
 *
 * A `ConvNet` is a chain of modules built from a {@link ConvNetSpec} (or its string / a built-in name,
 * `conv-spec.ts`). Activations are NCHW per sample (`[C, H, W]` flattened, `c·H·W + y·W + x`), so the
 * flattened features a linear layer sees are PyTorch's `torch.flatten(x, 1)`. The network's output is the
 * last module's output (the logits).
 *
 * Weighted layers (`layers`, in network order) are the convolutions and linear layers. Each is viewed as a
 * `rows × cols` matrix for scores and masks: rows = output channels / features, cols = `C_in · kh · kw` /
 * input features, which is exactly the row-major memory of PyTorch's `[out, in, kh, kw]` (resp.
 * `[out, in]`) weight; `shape.tensorShape` keeps the 4-D shape of convolutions. Biases are `[out]`.
 *
 * Initialisation (seeded, one RNG stream per parameter name): weights by `init` (default Kaiming normal,
 * fan-in `C_in · kh · kw`, gain of the network's hidden activation, as `torch.nn.init.kaiming_normal_`),
 * biases 0 (or as the scheme says). Parameters are immutable after construction, held on the host only.
 *
 * Errors (`InvalidArgumentError`, naming the module and the expected shape): a kernel or pooling window
 * larger than its input, a convolution after a flattened layer, a `state_dict` with unknown or missing
 * names, or weights whose shapes do not chain (channel counts, spatial sizes after pooling).
 *
 * @example
 * const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
 * net.layers.map((l) => l.weightName);  // features.0.weight, features.3.weight, classifier.0.weight, …
 * net.layer('features.3.weight').shape.tensorShape;  // [16, 6, 5, 5]
 */
import { InvalidArgumentError, type LayerShape, type NetworkMask, Rng, type Seed } from '@graphon-pai/core';
import type { Activation } from '../activations';
import { checkInitScheme, type InitScheme, initBias, initWeights } from '../init';
import { WeightedNetwork } from '../weighted-network';
import { type ConvNetSpec, formatConvNetSpec, parseConvNetSpec } from './conv-spec';
import { type Conv2dGeometry, conv2dGeometry } from './conv2d';
import { type Pool2dGeometry, pool2dGeometry } from './pool2d';

/** A weighted layer of a conv network: a convolution or a linear layer. */
export interface ConvNetLayer {
  readonly kind: 'conv' | 'dense';
  /** Position among the weighted layers, 0-based. */
  readonly index: number;
  /** Position among all modules. */
  readonly module: number;
  readonly weightName: string;
  readonly biasName: string | null;
  /** rows = outputs, cols = `C_in·kh·kw` (conv) or inputs (dense); `tensorShape` = `[out, in, kh, kw]` for conv. */
  readonly shape: LayerShape;
  /** Convolution geometry (null for a linear layer). */
  readonly geometry: Conv2dGeometry | null;
  /** 1: conv networks use the standard parametrisation (kept for symmetry with `DenseLayer`). */
  readonly weightScale: 1;
  readonly biasScale: 1;
}

/** One module of the chain with its input and output sizes per sample. */
export type ConvNetModule = {
  /** The module's `state_dict` prefix (`features.0`). */
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Output `[C, H, W]`, or `[features]` once flattened. */
  readonly outputShape: readonly number[];
} & (
  | { readonly kind: 'conv' | 'dense'; readonly layer: number }
  | { readonly kind: 'pool'; readonly geometry: Pool2dGeometry }
  | { readonly kind: 'activation'; readonly activation: Exclude<Activation, 'linear'> }
  | { readonly kind: 'flatten' }
);

export interface ConvNetOptions {
  /** A spec, a spec string or a built-in name (`'lenet5'`, `'vgg-small'`). */
  spec: ConvNetSpec | string;
  /** Initialisation (default `'kaiming-normal'`). */
  init?: InitScheme | InitScheme['kind'];
  /** Seed of the initialisation (default 0). Ignored when `rng` is given. */
  seed?: Seed;
  rng?: Rng;
}

/** A parameter as read from a `state_dict`: values with or without their tensor shape. */
export type StateDictEntry =
  | Float32Array
  | { readonly shape: readonly number[]; readonly data: Float32Array };

function resolve(spec: ConvNetSpec): { modules: ConvNetModule[]; layers: ConvNetLayer[] } {
  const modules: ConvNetModule[] = [];
  const layers: ConvNetLayer[] = [];
  let shape: number[] = [...spec.input];
  const flatSize = () => shape.reduce((a, b) => a * b, 1);
  for (const group of spec.groups) {
    group.modules.forEach((m, i) => {
      const name = group.name ? `${group.name}.${i}` : String(i);
      const inputSize = flatSize();
      const push = (module: Record<string, unknown>, outShape: number[]) => {
        modules.push({
          name,
          inputSize,
          outputSize: outShape.reduce((a, b) => a * b, 1),
          outputShape: outShape,
          ...module,
        } as unknown as ConvNetModule);
        shape = outShape;
      };
      const weighted = (
        kind: 'conv' | 'dense',
        rows: number,
        cols: number,
        bias: boolean,
        geometry: Conv2dGeometry | null,
        tensorShape?: number[],
      ) => {
        layers.push({
          kind,
          index: layers.length,
          module: modules.length,
          weightName: `${name}.weight`,
          biasName: bias ? `${name}.bias` : null,
          shape: tensorShape ? { rows, cols, tensorShape } : { rows, cols },
          geometry,
          weightScale: 1,
          biasScale: 1,
        });
        return layers.length - 1;
      };
      switch (m.kind) {
        case 'conv': {
          if (shape.length !== 3) {
            throw new InvalidArgumentError(
              `spec: ${name} (conv)`,
              `a flat input of ${inputSize} features`,
              'a C × H × W input',
              {
                fix: 'put convolutions before the first linear layer or flatten',
              },
            );
          }
          const g = conv2dGeometry({
            name: `${name} (conv)`,
            inChannels: shape[0],
            outChannels: m.outChannels,
            height: shape[1],
            width: shape[2],
            kernel: m.kernel,
            stride: m.stride,
            padding: m.padding,
          });
          const cols = g.inChannels * g.kernelHeight * g.kernelWidth;
          const layer = weighted('conv', m.outChannels, cols, m.bias, g, [
            m.outChannels,
            g.inChannels,
            g.kernelHeight,
            g.kernelWidth,
          ]);
          push({ kind: 'conv', layer }, [m.outChannels, g.outHeight, g.outWidth]);
          return;
        }
        case 'linear': {
          if (shape.length !== 1) push({ kind: 'flatten', name: `${name}:flatten` }, [flatSize()]);
          const layer = weighted('dense', m.outFeatures, flatSize(), m.bias, null);
          modules.push({
            name,
            inputSize: flatSize(),
            outputSize: m.outFeatures,
            outputShape: [m.outFeatures],
            kind: 'dense',
            layer,
          });
          shape = [m.outFeatures];
          return;
        }
        case 'maxpool':
        case 'avgpool': {
          if (shape.length !== 3) {
            throw new InvalidArgumentError(
              `spec: ${name} (${m.kind})`,
              `a flat input of ${inputSize} features`,
              'a C × H × W input',
              {
                fix: 'put pooling before the first linear layer or flatten',
              },
            );
          }
          const geometry = pool2dGeometry({
            name: `${name} (${m.kind})`,
            kind: m.kind === 'maxpool' ? 'max' : 'avg',
            channels: shape[0],
            height: shape[1],
            width: shape[2],
            kernel: m.kernel,
            stride: m.stride,
          });
          push({ kind: 'pool', geometry }, [shape[0], geometry.outHeight, geometry.outWidth]);
          return;
        }
        case 'relu':
        case 'tanh':
          push({ kind: 'activation', activation: m.kind }, shape);
          return;
        case 'flatten':
          push({ kind: 'flatten' }, [flatSize()]);
          return;
      }
    });
  }
  if (layers.length === 0) {
    throw new InvalidArgumentError('spec', formatConvNetSpec(spec), 'at least one conv or linear layer');
  }
  return { modules, layers };
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** What came before a layer, to explain its expected input size in errors. */
function inputOrigin(modules: readonly ConvNetModule[], layer: ConvNetLayer, spec: ConvNetSpec): string {
  const before = modules
    .slice(0, layer.module)
    .filter((m) => m.kind !== 'flatten' || !m.name.endsWith(':flatten'));
  if (before.length === 0) return `the input ${spec.input.join(' × ')}`;
  const prev = before[before.length - 1];
  const what =
    prev.kind === 'pool'
      ? `${prev.geometry.kind}pool`
      : prev.kind === 'activation'
        ? prev.activation
        : prev.kind;
  return `the output ${prev.outputShape.join(' × ')} of ${prev.name} (${what})`;
}

export class ConvNet extends WeightedNetwork<ConvNetLayer> {
  readonly spec: ConvNetSpec;
  readonly modules: readonly ConvNetModule[];

  private constructor(
    spec: ConvNetSpec,
    resolved: ReturnType<typeof resolve>,
    weights: Float32Array[],
    biases: (Float32Array | null)[],
  ) {
    super('ConvNet', resolved.layers, weights, biases);
    this.spec = spec;
    this.modules = resolved.modules;
  }

  /** A freshly initialised network (see the file header). */
  static create(options: ConvNetOptions): ConvNet {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        'options',
        options,
        "an object { spec, init?, seed? } (spec e.g. 'lenet5')",
      );
    }
    const spec = typeof options.spec === 'string' ? parseConvNetSpec(options.spec) : options.spec;
    const resolved = resolve(spec);
    const scheme = checkInitScheme(options.init ?? 'kaiming-normal');
    const hidden = resolved.modules.find((m) => m.kind === 'activation');
    const activation: Activation = hidden?.kind === 'activation' ? hidden.activation : 'linear';
    const rng = options.rng ?? new Rng(options.seed ?? 0);
    const weights = resolved.layers.map((l) =>
      initWeights(scheme, l.shape.rows, l.shape.cols, activation, rng.fork(l.weightName)),
    );
    const biases = resolved.layers.map((l) =>
      l.biasName ? initBias(scheme, l.shape.rows, l.shape.cols, rng.fork(l.biasName)) : null,
    );
    return new ConvNet(spec, resolved, weights, biases);
  }

  /**
   * A network with the given parameters (copied), keyed by PyTorch `state_dict` names. Every weight and bias
   * of the spec must be present with its shape (`[out, in, kh, kw]` / `[out, in]` / `[out]` when shapes are
   * given, else the matching length); names the spec does not have are an error.
   */
  static fromStateDict(spec: ConvNetSpec | string, params: ReadonlyMap<string, StateDictEntry>): ConvNet {
    const parsed = typeof spec === 'string' ? parseConvNetSpec(spec) : spec;
    const resolved = resolve(parsed);
    if (!(params instanceof Map)) {
      throw new InvalidArgumentError(
        'params',
        params,
        'a Map of parameter name → Float32Array or { shape, data }',
      );
    }
    const expected = new Set(
      resolved.layers.flatMap((l) => [l.weightName, ...(l.biasName ? [l.biasName] : [])]),
    );
    for (const name of params.keys()) {
      if (!expected.has(name)) {
        throw new InvalidArgumentError(
          `params['${name}']`,
          name,
          `a parameter of the network (${[...expected].join(', ')})`,
          {
            fix: 'check the spec (group names, module positions, bias=false) against the state_dict keys',
          },
        );
      }
    }
    const take = (layer: ConvNetLayer, name: string, shape: readonly number[]): Float32Array => {
      const entry = params.get(name);
      const count = shape.reduce((a, b) => a * b, 1);
      const origin = inputOrigin(resolved.modules, layer, parsed);
      if (entry === undefined) {
        throw new InvalidArgumentError(
          `params['${name}']`,
          undefined,
          `a tensor of shape ${shapeText(shape)}`,
          {
            fix: `the state_dict lacks it; expected names ${[...expected].join(', ')}`,
          },
        );
      }
      const data = entry instanceof Float32Array ? entry : entry?.data;
      const given: readonly number[] | null = entry instanceof Float32Array ? null : (entry?.shape ?? null);
      const matches =
        data instanceof Float32Array &&
        data.length === count &&
        (given === null || (given.length === shape.length && given.every((v, i) => v === shape[i])));
      if (!matches) {
        throw new InvalidArgumentError(
          `params['${name}']`,
          given ? shapeText(given) : `${(data as Float32Array | undefined)?.length ?? 'no'} values`,
          `shape ${shapeText(shape)} (input: ${origin})`,
          { fix: 'the weights do not chain with this spec: check channel counts, kernel sizes and pooling' },
        );
      }
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i])) {
          throw new InvalidArgumentError(`params['${name}'][${i}]`, data[i], 'a finite number', {
            fix: 'the parameter contains NaN or infinite values; re-initialise or repair it',
          });
        }
      }
      return data.slice();
    };
    const weights = resolved.layers.map((l) =>
      take(l, l.weightName, l.shape.tensorShape ?? [l.shape.rows, l.shape.cols]),
    );
    const biases = resolved.layers.map((l) => (l.biasName ? take(l, l.biasName, [l.shape.rows]) : null));
    return new ConvNet(parsed, resolved, weights, biases);
  }

  /**
   * The same architecture with other parameters, **sharing** the given arrays (no copy, no finiteness check):
   * for trainers that step the parameters. One array per weighted layer (`[out, in, kh, kw]` row-major) and
   * one bias per layer with a bias (null otherwise).
   */
  withParameters(weights: readonly Float32Array[], biases: readonly (Float32Array | null)[]): ConvNet {
    this.layers.forEach((l) => {
      const w = weights[l.index];
      const b = biases[l.index];
      if (!(w instanceof Float32Array) || w.length !== l.shape.rows * l.shape.cols) {
        throw new InvalidArgumentError(
          `weights[${l.index}]`,
          w,
          `a Float32Array of ${l.shape.rows * l.shape.cols} values (${l.weightName})`,
        );
      }
      if (l.biasName ? !(b instanceof Float32Array) || b.length !== l.shape.rows : b !== null) {
        throw new InvalidArgumentError(
          `biases[${l.index}]`,
          b,
          l.biasName ? `a Float32Array of ${l.shape.rows} values` : 'null (no bias)',
        );
      }
    });
    return new ConvNet(
      this.spec,
      { modules: [...this.modules], layers: [...this.layers] },
      [...weights],
      [...biases],
    );
  }

  /** The canonical spec string. */
  get specString(): string {
    return formatConvNetSpec(this.spec);
  }

  /** Input features per sample, `C · H · W`. */
  get inputSize(): number {
    return this.spec.input[0] * this.spec.input[1] * this.spec.input[2];
  }

  get outputSize(): number {
    return this.modules[this.modules.length - 1].outputSize;
  }

  /** Checks that a mask covers only this network's layers with matching `rows × cols`. */
  checkMask(mask: NetworkMask, argument = 'mask'): void {
    if (!(mask instanceof Map))
      throw new InvalidArgumentError(argument, mask, 'a NetworkMask (Map of weight name → BitMatrix)');
    for (const [name, m] of mask) {
      const layer = this.layers.find((l) => l.weightName === name);
      if (!layer) {
        throw new InvalidArgumentError(
          `${argument}['${name}']`,
          name,
          `a layer of this network (${this.layers.map((l) => l.weightName).join(', ')})`,
        );
      }
      if (m.rows !== layer.shape.rows || m.cols !== layer.shape.cols) {
        const t = layer.shape.tensorShape;
        throw new InvalidArgumentError(
          `${argument}['${name}']`,
          `${m.rows} × ${m.cols}`,
          `a ${layer.shape.rows} × ${layer.shape.cols} mask${t ? ` (the ${shapeText(t)} kernel as out × in·kh·kw)` : ''}`,
          { fix: 'use a mask made for this network' },
        );
      }
    }
  }
}
