/** Reading mask files for the commands: missing or unreadable files and unknown layers are typed errors. */
import * as fs from 'node:fs';
import { type BitMatrix, FormatError, GraphonPaiError } from '@graphon-pai/core';
import { type LoadedMask, loadMask } from '@graphon-pai/masks';
import { chooseLayer } from './layer-choice';

/** Loads a mask file, turning a missing or unreadable file into a {@link FormatError} naming it. */
export function readMaskOrFail(file: string): LoadedMask {
  if (!fs.existsSync(file)) {
    throw new FormatError('no such file', { source: file, fix: 'pass the path of a mask .safetensors file' });
  }
  try {
    return loadMask(file);
  } catch (error) {
    if (error instanceof GraphonPaiError) {
      if (error instanceof FormatError && error.source === undefined) {
        throw new FormatError(error.message, { source: file, cause: error });
      }
      throw error;
    }
    throw new FormatError(`cannot read mask file (${(error as Error).message})`, {
      source: file,
      fix: 'pass a safetensors mask written by graphon-pai prune or by PyTorch',
      cause: error,
    });
  }
}

/**
 * The layer `layer` of a mask file (or its only layer), with its stored shape when that is not 2-D (a
 * convolution's `[out, in, kh, kw]`).
 */
export function maskLayer(
  file: string,
  layer: string | undefined,
): { name: string; mask: BitMatrix; tensorShape?: readonly number[] } {
  const { mask, tensorShapes } = readMaskOrFail(file);
  const name = chooseLayer(file, [...mask.keys()], layer);
  return { name, mask: mask.get(name) as BitMatrix, tensorShape: tensorShapes.get(name) };
}
