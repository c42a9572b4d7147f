/**
 * Conv-network weights to and from safetensors with PyTorch `state_dict` names and layouts, so a user can
 * score their own PyTorch initialisation:
 *
 *     # PyTorch side: LeNet-5 as nn.Module with features / classifier nn.Sequential
 *     safetensors.torch.save_file(net.state_dict(), 'lenet.safetensors')
 *     # keys features.0.weight [6, 1, 5, 5], features.0.bias [6], features.3.weight [16, 6, 5, 5], …,
 *     #      classifier.0.weight [120, 400], …
 *
 *     // graphon-pai side
 *     const net = loadConvNetSafetensors('lenet.safetensors', { spec: 'lenet5' });
 *
 * Layout: convolution weights `[out, in, kh, kw]`, linear weights `[out, in]`, biases `[out]`; float32 when
 * written here (F16 / BF16 / F64 accepted on read). The architecture comes from `options.spec` or, for
 * files written here, the metadata (`format = 'graphon-pai/convnet'`, `spec` = the canonical spec string);
 * the caller's spec wins. Every tensor must belong to the spec with the expected shape: an unknown name, a
 * missing parameter or a shape that does not chain is an error naming the parameter and the expected shape.
 *
 * @example
 * saveConvNetSafetensors(net, 'net.safetensors');
 * const again = loadConvNetSafetensors('net.safetensors');
 */
import {
  encodeSafetensors,
  FormatError,
  InvalidArgumentError,
  readSafetensors,
  type SafetensorsMetadata,
  writeSafetensors,
} from '@graphon-pai/core';
import { asFloat32, tensorsOf } from '../safetensors';
import { ConvNet, type StateDictEntry } from './conv-net';
import type { ConvNetSpec } from './conv-spec';

export const CONVNET_FORMAT = 'graphon-pai/convnet';

function metadataOf(net: ConvNet, extra: SafetensorsMetadata = {}): SafetensorsMetadata {
  return { format: CONVNET_FORMAT, spec: net.specString, ...extra };
}

/** The network's parameters as a safetensors payload. */
export function encodeConvNetSafetensors(net: ConvNet, metadata?: SafetensorsMetadata): Uint8Array {
  return encodeSafetensors(tensorsOf(net), metadataOf(net, metadata));
}

/** Writes the network's parameters to a safetensors file (atomically). */
export function saveConvNetSafetensors(net: ConvNet, path: string, metadata?: SafetensorsMetadata): void {
  writeSafetensors(path, tensorsOf(net), metadataOf(net, metadata));
}

/** Reads a conv network from a safetensors path or payload (see the header). */
export function loadConvNetSafetensors(
  source: string | Uint8Array,
  options: { spec?: ConvNetSpec | string } = {},
): ConvNet {
  const where = typeof source === 'string' ? source : '<buffer>';
  const { tensors, metadata } = readSafetensors(source);
  const spec = options.spec ?? (metadata.format === CONVNET_FORMAT ? metadata.spec : undefined);
  if (spec === undefined) {
    throw new FormatError('the file does not say which network it holds', {
      source: where,
      fix: "pass spec: a built-in name ('lenet5', 'vgg-small') or a spec string (CLI: --net)",
    });
  }
  const params = new Map<string, StateDictEntry>();
  for (const [name, t] of tensors) params.set(name, { shape: t.shape, data: asFloat32(t, name, where) });
  try {
    return ConvNet.fromStateDict(spec, params);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new FormatError(error.message, { source: where, cause: error });
    }
    throw error;
  }
}
