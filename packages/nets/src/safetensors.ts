/**
 * MLP weights to and from safetensors with PyTorch `state_dict` names, so a user can score their own
 * PyTorch initialisation:
 *
 *     # PyTorch side
 *     net = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
 *     safetensors.torch.save_file(net.state_dict(), 'init.safetensors')   # keys 0.weight, 0.bias, 2.weight, 2.bias
 *
 *     // graphon-pai side
 *     const net = loadMlpSafetensors('init.safetensors', { activation: 'relu' });
 *
 * Layout: one tensor per parameter, `'<prefix>.weight'` of shape `[out, in]` and `'<prefix>.bias'` of shape
 * `[out]`, float32 when written here (F16 / BF16 / F64 accepted on read, converted to float32). Layers are,
 * in order: the given `names` prefixes, otherwise every 2-D `*.weight` tensor in file order (a PyTorch
 * `state_dict` keeps module order). Widths follow from the shapes and must chain (`in_l = out_{l−1}`).
 * Metadata written here: `format = 'graphon-pai/mlp'`, `widths`, `activation`, `bias`, `parametrization`,
 * `sigmaW`, `sigmaB`, `names`; on read, metadata fill options the caller did not give (caller wins).
 *
 * A `torch.nn.utils.prune` state_dict (`X_orig` + `X_mask`) loads its `X_orig` weights as `X`. A weight the
 * MLP cannot use (a 4-D convolution weight) is an error, never silently dropped.
 *
 * Errors: a missing parameter, a wrong shape or dtype, layers that do not chain, non-finite values —
 * `FormatError` / `InvalidArgumentError` naming the parameter and the fix.
 *
 * @example
 * saveMlpSafetensors(net, 'net.safetensors');
 * const again = loadMlpSafetensors('net.safetensors');
 */
import {
  encodeSafetensors,
  FormatError,
  foldPruneStateDict,
  readSafetensors,
  type SafetensorsMetadata,
  type Tensor,
  writeSafetensors,
} from '@graphon-pai/core';
import { checkActivation } from './activations';
import { Mlp, type MlpOptions, type Parametrization } from './mlp';
import type { WeightedLayerInfo } from './weighted-layers';
import type { WeightedNetwork } from './weighted-network';

export const MLP_FORMAT = 'graphon-pai/mlp';

/** A network's parameters (`stateDict`) as float32 safetensors tensors; shares memory. */
export function tensorsOf(net: WeightedNetwork<WeightedLayerInfo>) {
  const out = new Map<string, { dtype: 'F32'; shape: number[]; data: Float32Array }>();
  for (const [name, p] of net.stateDict()) out.set(name, { dtype: 'F32', shape: p.shape, data: p.data });
  return out;
}

function metadataOf(net: Mlp, extra: SafetensorsMetadata = {}): SafetensorsMetadata {
  const c = net.config;
  return {
    format: MLP_FORMAT,
    widths: JSON.stringify(c.widths),
    activation: c.activation,
    bias: String(c.bias),
    parametrization: c.parametrization,
    sigmaW: String(c.sigmaW),
    sigmaB: String(c.sigmaB),
    names: JSON.stringify(c.names),
    ...extra,
  };
}

/** The network's parameters as a safetensors payload. */
export function encodeMlpSafetensors(net: Mlp, metadata?: SafetensorsMetadata): Uint8Array {
  return encodeSafetensors(tensorsOf(net), metadataOf(net, metadata));
}

/** Writes the network's parameters to a safetensors file (atomically). */
export function saveMlpSafetensors(net: Mlp, path: string, metadata?: SafetensorsMetadata): void {
  writeSafetensors(path, tensorsOf(net), metadataOf(net, metadata));
}

/** A floating-point tensor's values as float32 (F64 converted); other dtypes are a `FormatError`. */
export function asFloat32(t: Tensor, name: string, source: string): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.data instanceof Float64Array) return Float32Array.from(t.data);
  throw new FormatError(
    `parameter '${name}' has dtype ${t.dtype}; expected a floating-point tensor (F32, F64, F16 or BF16)`,
    {
      source,
      fix: 'save the state_dict in float32 (net.float()) before writing it',
    },
  );
}

/** Reads an MLP from a safetensors file path or payload (see the header for names and inference). */
export function loadMlpSafetensors(source: string | Uint8Array, options: Partial<MlpOptions> = {}): Mlp {
  const where = typeof source === 'string' ? source : '<buffer>';
  const { tensors: stored, metadata } = readSafetensors(source);
  // A torch.nn.utils.prune state_dict: 'X_orig' holds the weights of 'X' (its 'X_mask' is not a parameter).
  const tensors = foldPruneStateDict(stored, where).parameters;
  const meta = metadata.format === MLP_FORMAT ? metadata : {};
  const parse = <T>(key: string): T | undefined => {
    if (meta[key] === undefined) return undefined;
    try {
      return JSON.parse(meta[key]) as T;
    } catch {
      throw new FormatError(`metadata '${key}' is not valid JSON: ${meta[key]}`, {
        source: where,
        fix: 'rewrite the file with saveMlpSafetensors',
      });
    }
  };
  const prefixes =
    options.names ??
    parse<string[]>('names') ??
    [...tensors]
      .filter(([name, t]) => name.endsWith('.weight') && t.shape.length === 2)
      .map(([name]) => name.slice(0, -'.weight'.length));
  const unusable = options.names
    ? []
    : [...tensors].filter(([name, t]) => name.endsWith('.weight') && t.shape.length !== 2);
  if (unusable.length > 0) {
    const [name, t] = unusable[0];
    throw new FormatError(
      `parameter '${name}' has shape [${t.shape.join(', ')}]${t.shape.length === 4 ? ' (a convolution)' : ''}; an MLP uses only 2-D [out, in] weights${unusable.length > 1 ? ` (${unusable.length} such tensors)` : ''}`,
      {
        source: where,
        fix:
          t.shape.length === 4
            ? 'load convolutional networks with loadConvNetSafetensors, or save only the nn.Linear layers'
            : 'save only the nn.Linear layers of the network',
      },
    );
  }
  if (prefixes.length === 0) {
    throw new FormatError('no 2-D "<prefix>.weight" tensors found', {
      source: where,
      fix: 'save a state_dict of nn.Linear layers, or pass names: the parameter prefixes of the layers',
    });
  }
  const shapes: [number, number][] = [];
  const params = new Map<string, Float32Array>();
  prefixes.forEach((prefix, l) => {
    const name = `${prefix}.weight`;
    const t = tensors.get(name);
    if (!t) {
      throw new FormatError(`parameter '${name}' is missing (layer ${l})`, {
        source: where,
        fix: `the file has ${[...tensors.keys()].join(', ')}; pass names matching its prefixes`,
      });
    }
    if (t.shape.length !== 2) {
      throw new FormatError(`parameter '${name}' has shape [${t.shape.join(', ')}]; expected [out, in]`, {
        source: where,
        fix: 'store nn.Linear weights (out × in)',
      });
    }
    shapes.push([t.shape[0], t.shape[1]]);
    params.set(name, asFloat32(t, name, where));
  });
  for (let l = 1; l < shapes.length; l++) {
    if (shapes[l][1] !== shapes[l - 1][0]) {
      throw new FormatError(
        `layer sizes do not chain: '${prefixes[l - 1]}.weight' has ${shapes[l - 1][0]} outputs but '${prefixes[l]}.weight' has ${shapes[l][1]} inputs`,
        { source: where, fix: 'check the layer order (names) and the saved shapes' },
      );
    }
  }
  const inferred = [shapes[0][1], ...shapes.map((s) => s[0])];
  const widths = options.widths ?? parse<number[]>('widths') ?? inferred;
  if (widths.length !== inferred.length || widths.some((w, i) => w !== inferred[i])) {
    throw new FormatError(
      `the file's layer shapes give widths [${inferred.join(', ')}], not [${widths.join(', ')}]`,
      {
        source: where,
        fix: 'omit widths to use the file shapes, or load the matching file',
      },
    );
  }
  const hasBias = prefixes.map((p) => tensors.has(`${p}.bias`));
  // A bias on any layer means every layer must have one (a missing one is an error, not silently dropped).
  const bias = options.bias ?? (meta.bias !== undefined ? meta.bias === 'true' : hasBias.some(Boolean));
  if (bias) {
    prefixes.forEach((prefix, l) => {
      const name = `${prefix}.bias`;
      const t = tensors.get(name);
      if (!t) {
        throw new FormatError(`parameter '${name}' is missing`, {
          source: where,
          fix: 'save the biases too, or load with bias: false to ignore every bias',
        });
      }
      if (t.shape.length !== 1 || t.shape[0] !== shapes[l][0]) {
        throw new FormatError(
          `parameter '${name}' has shape [${t.shape.join(', ')}]; expected [${shapes[l][0]}]`,
          {
            source: where,
            fix: 'check that the bias belongs to this layer',
          },
        );
      }
      params.set(name, asFloat32(t, name, where));
    });
  }
  const activation = checkActivation(options.activation ?? meta.activation ?? 'relu');
  const parametrization = (options.parametrization ?? meta.parametrization ?? 'standard') as Parametrization;
  const num = (key: string) => (meta[key] !== undefined ? Number(meta[key]) : undefined);
  return Mlp.fromParameters(
    {
      widths,
      activation,
      bias,
      parametrization,
      sigmaW: options.sigmaW ?? num('sigmaW'),
      sigmaB: options.sigmaB ?? num('sigmaB'),
      names: prefixes,
    },
    params,
  );
}
