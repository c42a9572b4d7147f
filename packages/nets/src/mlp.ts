/**
 * Multi-layer perceptrons on tfjs: the network every criterion scores.
 *
 * Layer `l` (0-based, `L` layers) maps `widths[l]` inputs to `widths[l + 1]` outputs:
 *
 *     z_l = s_l · a_{l−1} (W_l ⊙ M_l)ᵀ + β_l · b_l,     a_l = σ(z_l) (hidden),  f(x) = z_{L−1} (output, linear)
 *
 * with `a_{−1} = x` (a `count × features` batch), weights `W_l` of shape `rows × cols = out × in` (PyTorch
 * `Linear.weight` orientation), optional biases `b_l`, an optional mask `M_l` (1 = kept), and
 * parametrisation scales: standard `s_l = β_l = 1`; NTK (Jacot et al. 2018) `s_l = σ_w / √fanIn`,
 * `β_l = σ_b`, every parameter drawn N(0, 1).
 *
 * **Parameter names** follow a PyTorch `state_dict` of `nn.Sequential(Linear, Act, Linear, Act, …, Linear)`:
 * layer `l` owns `'<2l>.weight'` and `'<2l>.bias'` (`0.weight`, `0.bias`, `2.weight`, …). Pass `names`
 * (one prefix per layer, e.g. `['fc1', 'fc2']` → `fc1.weight`) to match another module layout. Score maps and
 * network masks are keyed by the **weight** parameter name.
 *
 * The network owns its parameters twice: as host `Float32Array`s (the source of truth, read by
 * criteria that need no tensors) and as tfjs tensors created at construction, released by `dispose()`.
 * Parameters are immutable after construction; make a new network to change them.
 *
 * Complexity: construction O(#parameters).
 *
 * @example
 * const net = Mlp.create({ widths: [784, 300, 100, 10], activation: 'relu', seed: 0 });
 * net.layers[0].weightName;  // '0.weight'
 * net.dispose();
 *
 * References: Jacot, Gabriel, Hongler, "Neural Tangent Kernel", NeurIPS 2018 (arXiv 1806.07572).
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type LayerShape, type NetworkMask, Rng, type Seed } from '@graphon-pai/core';
import { type Activation, checkActivation } from './activations';
import { activationGain, checkInitScheme, type InitScheme, initBias, initWeights } from './init';
import { WeightedNetwork } from './weighted-network';

export type Parametrization = 'standard' | 'ntk';

/** A fully connected layer. `kind` leaves room for other layer types (convolutions) later. */
export interface DenseLayer {
  readonly kind: 'dense';
  /** Position in the network, 0-based. */
  readonly index: number;
  /** The weight parameter's name (`'0.weight'`): the key of score maps and masks. */
  readonly weightName: string;
  /** The bias parameter's name (`'0.bias'`), or `null` without bias. */
  readonly biasName: string | null;
  /** `rows` = outputs, `cols` = inputs. */
  readonly shape: LayerShape;
  /** `s_l`: the forward pass multiplies the weight product by it (1 in the standard parametrisation). */
  readonly weightScale: number;
  /** `β_l`: the forward pass multiplies the bias by it. */
  readonly biasScale: number;
  /** Activation applied to this layer's output (`'linear'` for the last layer). */
  readonly activation: Activation;
}

export interface MlpOptions {
  /** Layer widths `[inputs, hidden…, outputs]`, at least two entries. */
  widths: readonly number[];
  /** Hidden activation (default `'relu'`). The output layer is linear. */
  activation?: Activation;
  /** Whether layers have biases (default true). */
  bias?: boolean;
  /** Initialisation (default `'kaiming-normal'`; ignored for weights under `'ntk'`). */
  init?: InitScheme | InitScheme['kind'];
  /** `'standard'` (default) or `'ntk'`. */
  parametrization?: Parametrization;
  /** NTK weight scale σ_w (default: the activation's Kaiming gain, √2 for ReLU). */
  sigmaW?: number;
  /** NTK bias scale σ_b (default 0.1, as in Jacot et al.). */
  sigmaB?: number;
  /** Seed of the initialisation (default 0). Ignored when `rng` is given. */
  seed?: Seed;
  rng?: Rng;
  /** Parameter-name prefix of each layer (default `String(2 · l)`). */
  names?: readonly string[];
}

/** One layer's parameters on the host. */
export interface LayerParameters {
  weight: Float32Array;
  bias?: Float32Array | null;
}

export interface ResolvedMlpConfig {
  widths: readonly number[];
  activation: Activation;
  bias: boolean;
  parametrization: Parametrization;
  sigmaW: number;
  sigmaB: number;
  names: readonly string[];
}

function resolveConfig(options: MlpOptions): ResolvedMlpConfig {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, 'an object { widths, activation?, … }');
  }
  const { widths } = options;
  if (!Array.isArray(widths) || widths.length < 2) {
    throw new InvalidArgumentError(
      'widths',
      widths,
      'an array [inputs, hidden…, outputs] of at least two widths',
      {
        fix: 'e.g. widths: [784, 300, 10]',
      },
    );
  }
  widths.forEach((w, i) => {
    if (!(Number.isInteger(w) && w > 0))
      throw new InvalidArgumentError(`widths[${i}]`, w, 'a positive integer');
  });
  const activation = checkActivation(options.activation ?? 'relu');
  const parametrization = options.parametrization ?? 'standard';
  if (parametrization !== 'standard' && parametrization !== 'ntk') {
    throw new InvalidArgumentError('parametrization', parametrization, "'standard' or 'ntk'");
  }
  const sigmaW = options.sigmaW ?? activationGain(activation);
  const sigmaB = options.sigmaB ?? 0.1;
  for (const [k, v] of [
    ['sigmaW', sigmaW],
    ['sigmaB', sigmaB],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new InvalidArgumentError(k, v, 'a finite non-negative number');
  }
  const layers = widths.length - 1;
  const names = options.names ?? Array.from({ length: layers }, (_, l) => String(2 * l));
  if (!Array.isArray(names) || names.length !== layers || new Set(names).size !== layers) {
    throw new InvalidArgumentError(
      'names',
      names,
      `${layers} distinct parameter-name prefixes, one per layer`,
    );
  }
  names.forEach((n, i) => {
    if (typeof n !== 'string' || n.length === 0)
      throw new InvalidArgumentError(`names[${i}]`, n, 'a non-empty string');
  });
  return {
    widths: [...widths],
    activation,
    bias: options.bias ?? true,
    parametrization,
    sigmaW,
    sigmaB,
    names,
  };
}

export class Mlp extends WeightedNetwork<DenseLayer> {
  readonly config: ResolvedMlpConfig;
  private readonly weightTensors: tf.Tensor2D[];
  private readonly biasTensors: (tf.Tensor1D | null)[];

  private constructor(config: ResolvedMlpConfig, params: readonly LayerParameters[]) {
    super(
      'Mlp',
      denseLayers(config),
      params.map((p) => p.weight),
      params.map((p) => (config.bias ? (p.bias ?? null) : null)),
    );
    this.config = config;
    this.weightTensors = this.layers.map((layer, l) =>
      tf.tensor2d(this.hostWeights[l], [layer.shape.rows, layer.shape.cols]),
    );
    this.biasTensors = this.hostBiases.map((b) => (b ? tf.tensor1d(b) : null));
  }

  /** A freshly initialised network (seeded; see `init.ts` for the streams). */
  static create(options: MlpOptions): Mlp {
    const config = resolveConfig(options);
    const scheme =
      config.parametrization === 'ntk'
        ? { kind: 'gaussian' as const, std: 1, biasStd: 1 }
        : checkInitScheme(options.init ?? 'kaiming-normal');
    const rng = options.rng ?? new Rng(options.seed ?? 0);
    const params: LayerParameters[] = [];
    for (let l = 0; l < config.widths.length - 1; l++) {
      const rows = config.widths[l + 1];
      const cols = config.widths[l];
      const prefix = config.names[l];
      params.push({
        weight: initWeights(scheme, rows, cols, config.activation, rng.fork(`${prefix}.weight`)),
        bias: config.bias ? initBias(scheme, rows, cols, rng.fork(`${prefix}.bias`)) : null,
      });
    }
    return new Mlp(config, params);
  }

  /**
   * A network with the given parameters (copied), e.g. loaded from a PyTorch `state_dict`. `params` is one entry
   * per layer in order, or a map from parameter name (`'0.weight'`, `'0.bias'`, …) to values.
   */
  static fromParameters(
    options: MlpOptions,
    params: readonly LayerParameters[] | ReadonlyMap<string, Float32Array>,
  ): Mlp {
    const config = resolveConfig(options);
    const L = config.widths.length - 1;
    const list: LayerParameters[] = [];
    for (let l = 0; l < L; l++) {
      const rows = config.widths[l + 1];
      const cols = config.widths[l];
      const wName = `${config.names[l]}.weight`;
      const bName = `${config.names[l]}.bias`;
      let weight: Float32Array | undefined;
      let bias: Float32Array | null | undefined;
      if (params instanceof Map) {
        weight = params.get(wName);
        bias = params.get(bName) ?? null;
        if (!weight) {
          throw new InvalidArgumentError(
            `params['${wName}']`,
            undefined,
            `a Float32Array of ${rows} × ${cols} weights`,
            {
              fix: `provide every layer's weight; expected names ${config.names.map((n) => `${n}.weight`).join(', ')}`,
            },
          );
        }
      } else {
        const entry = (params as readonly LayerParameters[])[l];
        if (!entry) {
          throw new InvalidArgumentError('params', params, `${L} layer entries { weight, bias? }`);
        }
        weight = entry.weight;
        bias = entry.bias ?? null;
      }
      checkParameter(wName, weight, rows * cols, `${rows} × ${cols} (out × in)`);
      if (config.bias) {
        if (!bias) {
          throw new InvalidArgumentError(`params['${bName}']`, bias, `a Float32Array of ${rows} biases`, {
            fix: 'provide the bias or create the network with bias: false',
          });
        }
        checkParameter(bName, bias, rows, `${rows}`);
      }
      list.push({ weight: weight.slice(), bias: config.bias && bias ? bias.slice() : null });
    }
    return new Mlp(config, list);
  }

  get inputSize(): number {
    return this.config.widths[0];
  }

  get outputSize(): number {
    return this.config.widths[this.config.widths.length - 1];
  }

  /** The weight tensor of a layer (owned by the network: do not dispose). */
  weightTensor(index: number): tf.Tensor2D {
    this.checkAlive();
    return this.weightTensors[index];
  }

  /** The bias tensor of a layer, or null (owned by the network). */
  biasTensor(index: number): tf.Tensor1D | null {
    this.checkAlive();
    return this.biasTensors[index];
  }

  /** Checks that a mask covers only this network's layers, with matching shapes. */
  checkMask(mask: NetworkMask, argument = 'mask'): void {
    checkNetworkMask(this.layers, mask, argument);
  }

  /** Releases the network's tensors. */
  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    for (const t of this.weightTensors) t.dispose();
    for (const t of this.biasTensors) t?.dispose();
  }
}

/** The dense layers of an MLP configuration: widths[l] → widths[l + 1], the last one linear. */
function denseLayers(config: ResolvedMlpConfig): DenseLayer[] {
  const L = config.widths.length - 1;
  const ntk = config.parametrization === 'ntk';
  return Array.from({ length: L }, (_, l) => {
    const rows = config.widths[l + 1];
    const cols = config.widths[l];
    return {
      kind: 'dense',
      index: l,
      weightName: `${config.names[l]}.weight`,
      biasName: config.bias ? `${config.names[l]}.bias` : null,
      shape: { rows, cols },
      weightScale: ntk ? config.sigmaW / Math.sqrt(cols) : 1,
      biasScale: ntk ? config.sigmaB : 1,
      activation: l === L - 1 ? 'linear' : config.activation,
    };
  });
}

function checkParameter(name: string, value: unknown, length: number, shape: string): void {
  if (!(value instanceof Float32Array) || value.length !== length) {
    throw new InvalidArgumentError(
      `params['${name}']`,
      value,
      `a Float32Array of shape ${shape} (${length} values)`,
      {
        fix: 'check the layer widths against the parameter shapes',
      },
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) {
      throw new InvalidArgumentError(`params['${name}'][${i}]`, value[i], 'a finite number', {
        fix: 'the parameter contains NaN or infinite values; re-initialise or repair it',
      });
    }
  }
}

/** Checks that a mask covers only layers of `layers` (by weight name), with matching shapes. */
export function checkNetworkMask(layers: readonly DenseLayer[], mask: NetworkMask, argument = 'mask'): void {
  if (!(mask instanceof Map))
    throw new InvalidArgumentError(argument, mask, 'a NetworkMask (Map of weight name → BitMatrix)');
  for (const name of mask.keys()) {
    if (!layers.some((l) => l.weightName === name)) {
      throw new InvalidArgumentError(
        `${argument}['${name}']`,
        name,
        `a layer of this network (${layers.map((l) => l.weightName).join(', ')})`,
      );
    }
  }
  for (const layer of layers) {
    const m = mask.get(layer.weightName);
    if (!m) continue;
    if (m.rows !== layer.shape.rows || m.cols !== layer.shape.cols) {
      throw new InvalidArgumentError(
        `${argument}['${layer.weightName}']`,
        `${m.rows} × ${m.cols}`,
        `a ${layer.shape.rows} × ${layer.shape.cols} mask`,
        { fix: 'use a mask made for this network (same layer widths)' },
      );
    }
  }
}
