/**
 * `--net` and `--weights` → a network of `@graphon-pai/nets`, for every command that builds one.
 *
 * `--net` is `mlp:<inputs>-<hidden>…-<outputs>` (an MLP), a built-in conv network (`lenet5`, `vgg-small`) or
 * `conv:<spec>` with a spec string of `@graphon-pai/nets` (`conv:input 1x28x28 | features: conv(6,5) relu
 * maxpool(2) | classifier: linear(10)`). `--weights` is a safetensors file with PyTorch `state_dict` names:
 * a file with 4-D tensors (or written for a conv network) is read as a conv network — its architecture from
 * `--net` or the file's metadata — and any other file as an MLP (widths from the shapes; `--net` must then
 * agree). `--activation` and `--init` apply to MLPs; a conv network's spec names its activations and it is
 * initialised Kaiming-normal (PyTorch's `kaiming_normal_`, fan-in) unless `--init` says otherwise.
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError, readSafetensorsHeader } from '@graphon-pai/core';
import {
  type Activation,
  CONV_NETS,
  CONVNET_FORMAT,
  ConvNet,
  type ConvNetSpec,
  type InitKind,
  loadConvNetSafetensors,
  loadMlpSafetensors,
  Mlp,
  type Network,
  parseConvNetSpec,
  saveConvNetSafetensors,
  saveMlpSafetensors,
} from '@graphon-pai/nets';

export type NetworkSpec = { kind: 'mlp'; widths: number[] } | { kind: 'conv'; spec: ConvNetSpec };

const NET_FIX = `e.g. --net mlp:784-300-100-10, --net ${Object.keys(CONV_NETS).join(', --net ')} or --net 'conv:<spec>'`;

/** Parses a `--net` value (see the file header). */
export function parseNetworkSpec(value: string): NetworkSpec {
  const text = value.trim();
  const mlp = /^mlp:(\d+(?:-\d+)+)$/.exec(text);
  if (mlp) {
    const widths = mlp[1].split('-').map(Number);
    if (widths.every((w) => Number.isSafeInteger(w) && w >= 1)) return { kind: 'mlp', widths };
  }
  if (text.startsWith('mlp:')) {
    throw new InvalidArgumentError(
      '--net',
      value,
      "an MLP spec 'mlp:<inputs>-<hidden>…-<outputs>' of positive widths",
      {
        fix: 'e.g. --net mlp:784-1024-10',
      },
    );
  }
  if (text in CONV_NETS) return { kind: 'conv', spec: parseConvNetSpec(text) };
  if (text.startsWith('conv:')) {
    try {
      return { kind: 'conv', spec: parseConvNetSpec(text.slice('conv:'.length)) };
    } catch (e) {
      if (e instanceof InvalidArgumentError) {
        throw new InvalidArgumentError('--net', value, `a valid conv spec (${e.message})`, { fix: NET_FIX });
      }
      throw e;
    }
  }
  throw new InvalidArgumentError('--net', value, 'an MLP spec, a built-in conv network or a conv spec', {
    fix: NET_FIX,
  });
}

/** True when the safetensors file holds a conv network (4-D tensors or conv metadata). */
function isConvFile(path: string): boolean {
  const header = readSafetensorsHeader(path);
  if (header.metadata.format === CONVNET_FORMAT) return true;
  return [...header.entries.values()].some((e) => e.shape.length === 4);
}

export interface NetworkInputOptions {
  net?: string;
  weights?: string;
  activation: Activation;
  init: InitKind;
}

/** The network of `--net` / `--weights` (see the file header). */
export function buildNetwork(o: NetworkInputOptions, seed: number): Network {
  const spec = o.net === undefined ? undefined : parseNetworkSpec(o.net);
  if (o.weights) {
    if (!fs.existsSync(o.weights)) {
      throw new FormatError('no such file', { source: o.weights, fix: 'check the --weights path' });
    }
    if (isConvFile(o.weights)) {
      if (spec?.kind === 'mlp') {
        throw new InvalidArgumentError(
          '--net',
          o.net,
          'a conv network (--weights holds 4-D convolution weights)',
          {
            fix: NET_FIX,
          },
        );
      }
      return loadConvNetSafetensors(o.weights, { spec: spec?.spec });
    }
    if (spec?.kind === 'conv') {
      throw new InvalidArgumentError(
        '--net',
        o.net,
        'an MLP spec (--weights holds no 4-D convolution weights)',
        {
          fix: "pass the conv network's state_dict, or --net mlp:<widths>",
        },
      );
    }
    const net = loadMlpSafetensors(o.weights, { activation: o.activation });
    if (spec && spec.widths.join('-') !== net.config.widths.join('-')) {
      net.dispose();
      throw new InvalidArgumentError(
        '--net',
        o.net,
        `the widths of --weights (mlp:${net.config.widths.join('-')})`,
      );
    }
    return net;
  }
  if (!spec) {
    throw new InvalidArgumentError('--net', undefined, 'a network spec (or --weights <file>)', {
      fix: NET_FIX,
    });
  }
  return spec.kind === 'mlp'
    ? Mlp.create({ widths: spec.widths, activation: o.activation, init: o.init, seed })
    : ConvNet.create({ spec: spec.spec, init: o.init, seed });
}

/** How a summary names the network: `mlp:784-300-10` or the conv spec string. */
export function describeNetwork(net: Network): string {
  return net instanceof Mlp ? `mlp:${net.config.widths.join('-')}` : net.specString;
}

/** The same architecture with other parameters (one `{ weight, bias }` per weighted layer), e.g. a checkpoint. */
export function networkWithParameters(
  net: Network,
  parameters: readonly { weight: Float32Array; bias?: Float32Array | null }[],
): Network {
  if (net instanceof Mlp) return Mlp.fromParameters(net.config, parameters);
  const params = new Map<string, Float32Array>();
  net.layers.forEach((l, i) => {
    params.set(l.weightName, parameters[i].weight);
    if (l.biasName && parameters[i].bias) params.set(l.biasName, parameters[i].bias as Float32Array);
  });
  return ConvNet.fromStateDict(net.spec, params);
}

/** Writes a network's parameters as safetensors with PyTorch names (atomically), readable by `--weights`. */
export function saveNetwork(net: Network, path: string, metadata: Record<string, string>): void {
  if (net instanceof Mlp) saveMlpSafetensors(net, path, metadata);
  else saveConvNetSafetensors(net, path, metadata);
}
