/**
 * Any network of this package named by a spec string, or stored as a PyTorch `state_dict` in safetensors,
 * without the caller branching on the architecture.
 *
 * Spec strings: `mlp:<inputs>-<hidden>…-<outputs>` (an {@link Mlp} of those widths), a built-in conv network
 * (`lenet5`, `vgg-small`: {@link CONV_NETS}) or `conv:<spec>` with a conv spec of {@link parseConvNetSpec}
 * (`conv:input 1x28x28 | features: conv(6,5) relu maxpool(2) | classifier: linear(10)`).
 * {@link networkSpecString} gives a network's spec string back (`mlp:784-300-10`, or the conv spec).
 *
 * Files: a safetensors file holding 4-D tensors (or written for a conv network, metadata `format =
 * graphon-pai/convnet`) is a conv network — its architecture from the given spec or the file's metadata —
 * and any other file an MLP, its widths from the shapes (a given spec must then agree).
 *
 * @example
 * const net = createNetwork('mlp:784-300-10', { seed: 0 });                 // Kaiming-normal, ReLU
 * const same = loadNetworkSafetensors('init.safetensors');                   // Mlp or ConvNet, by the file
 * saveNetworkSafetensors(networkWithParameters(net, trained), 'out.safetensors', { epochs: '3' });
 */
import { existsSync } from 'node:fs';
import {
  FormatError,
  InvalidArgumentError,
  readSafetensorsHeader,
  type SafetensorsMetadata,
} from '@graphon-pai/core';
import type { Activation } from './activations';
import { ConvNet } from './conv/conv-net';
import { CONVNET_FORMAT, loadConvNetSafetensors, saveConvNetSafetensors } from './conv/conv-safetensors';
import { CONV_NETS, type ConvNetSpec, parseConvNetSpec } from './conv/conv-spec';
import type { InitKind } from './init';
import { Mlp } from './mlp';
import type { Network } from './network';
import { loadMlpSafetensors, saveMlpSafetensors } from './safetensors';

/** A parsed network spec string. */
export type NetworkSpec = { kind: 'mlp'; widths: number[] } | { kind: 'conv'; spec: ConvNetSpec };

const SPEC_EXAMPLES = `e.g. 'mlp:784-300-100-10', ${Object.keys(CONV_NETS)
  .map((n) => `'${n}'`)
  .join(', ')} or 'conv:<spec>'`;

/** Parses a network spec string (see the file header); `argument` names it in errors. */
export function parseNetworkSpec(text: string, argument = 'spec'): NetworkSpec {
  const value = String(text).trim();
  const mlp = /^mlp:(\d+(?:-\d+)+)$/.exec(value);
  if (mlp) {
    const widths = mlp[1].split('-').map(Number);
    if (widths.every((w) => Number.isSafeInteger(w) && w >= 1)) return { kind: 'mlp', widths };
  }
  if (value.startsWith('mlp:')) {
    throw new InvalidArgumentError(
      argument,
      text,
      "an MLP spec 'mlp:<inputs>-<hidden>…-<outputs>' of positive widths",
      {
        fix: "e.g. 'mlp:784-1024-10'",
      },
    );
  }
  if (value in CONV_NETS) return { kind: 'conv', spec: parseConvNetSpec(value) };
  if (value.startsWith('conv:')) {
    try {
      return { kind: 'conv', spec: parseConvNetSpec(value.slice('conv:'.length)) };
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      throw new InvalidArgumentError(argument, text, `a valid conv spec (${e.message})`, {
        fix: SPEC_EXAMPLES,
      });
    }
  }
  throw new InvalidArgumentError(argument, text, 'an MLP spec, a built-in conv network or a conv spec', {
    fix: SPEC_EXAMPLES,
  });
}

/** How a network is initialised by {@link createNetwork}. */
export interface CreateNetworkOptions {
  /** Hidden activation of an MLP (default relu; a conv spec names its own). */
  activation?: Activation;
  /** Weight initialisation (default Kaiming-normal, PyTorch's `kaiming_normal_`, fan-in). */
  init?: InitKind;
  /** Seed of the initialisation (default 0). */
  seed?: number;
}

/** A freshly initialised network of a spec (a string as in the file header, or its parsed form). */
export function createNetwork(spec: NetworkSpec | string, options: CreateNetworkOptions = {}): Network {
  const s = typeof spec === 'string' ? parseNetworkSpec(spec) : spec;
  const { activation, init, seed = 0 } = options;
  return s.kind === 'mlp'
    ? Mlp.create({ widths: s.widths, activation, init, seed })
    : ConvNet.create({ spec: s.spec, init, seed });
}

/** Options of {@link loadNetworkSafetensors}. */
export interface LoadNetworkOptions {
  /** The expected architecture: a conv file's spec (else its metadata's), an MLP file's widths to check. */
  spec?: NetworkSpec | string;
  /** Hidden activation of an MLP (default: the file's metadata, else relu). */
  activation?: Activation;
  /** How the spec is named in errors (default `spec`). */
  argument?: string;
}

/** True when a safetensors file holds a conv network (4-D tensors or conv metadata). */
export function isConvNetFile(path: string): boolean {
  const header = readSafetensorsHeader(path);
  return (
    header.metadata.format === CONVNET_FORMAT ||
    [...header.entries.values()].some((e) => e.shape.length === 4)
  );
}

/** The network stored in a safetensors file with PyTorch `state_dict` names (see the file header). */
export function loadNetworkSafetensors(path: string, options: LoadNetworkOptions = {}): Network {
  const argument = options.argument ?? 'spec';
  const spec = typeof options.spec === 'string' ? parseNetworkSpec(options.spec, argument) : options.spec;
  const shown = typeof options.spec === 'string' ? options.spec : spec && networkSpecText(spec);
  if (!existsSync(path)) throw new FormatError('no such file', { source: path, fix: 'check the path' });
  if (isConvNetFile(path)) {
    if (spec?.kind === 'mlp') {
      throw new InvalidArgumentError(
        argument,
        shown,
        `a conv network (${path} holds 4-D convolution weights)`,
        {
          fix: SPEC_EXAMPLES,
        },
      );
    }
    return loadConvNetSafetensors(path, { spec: spec?.spec });
  }
  if (spec?.kind === 'conv') {
    throw new InvalidArgumentError(
      argument,
      shown,
      `an MLP spec (${path} holds no 4-D convolution weights)`,
      {
        fix: "pass the conv network's state_dict, or an 'mlp:<widths>' spec",
      },
    );
  }
  const net = loadMlpSafetensors(path, { activation: options.activation });
  if (spec && spec.widths.join('-') !== net.config.widths.join('-')) {
    net.dispose();
    throw new InvalidArgumentError(
      argument,
      shown,
      `the widths of ${path} (mlp:${net.config.widths.join('-')})`,
    );
  }
  return net;
}

function networkSpecText(spec: NetworkSpec): string {
  return spec.kind === 'mlp' ? `mlp:${spec.widths.join('-')}` : 'a conv spec';
}

/** The spec string of a network: `mlp:784-300-10`, or the conv network's spec. */
export function networkSpecString(net: Network): string {
  return net instanceof Mlp ? `mlp:${net.config.widths.join('-')}` : net.specString;
}

/**
 * The same architecture with other parameters, one `{ weight, bias }` per weighted layer in `net.layers`
 * order (row-major, PyTorch layout): e.g. a trainer's parameters after an epoch.
 */
export function networkWithParameters(
  net: Network,
  parameters: readonly { weight: Float32Array; bias?: Float32Array | null }[],
): Network {
  if (net instanceof Mlp) return Mlp.fromParameters(net.config, parameters);
  const params = new Map<string, Float32Array>();
  net.layers.forEach((l, i) => {
    params.set(l.weightName, parameters[i].weight);
    const bias = parameters[i].bias;
    if (l.biasName && bias) params.set(l.biasName, bias);
  });
  return ConvNet.fromStateDict(net.spec, params);
}

/** Writes a network's parameters as safetensors with PyTorch names (atomically); {@link loadNetworkSafetensors} reads it. */
export function saveNetworkSafetensors(net: Network, path: string, metadata?: SafetensorsMetadata): void {
  if (net instanceof Mlp) saveMlpSafetensors(net, path, metadata);
  else saveConvNetSafetensors(net, path, metadata);
}
