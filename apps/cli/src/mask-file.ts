/** Reading mask files for the commands: missing or unreadable files and unknown layers are typed errors. */
import * as fs from 'node:fs';
import { type BitMatrix, FormatError, GraphonPaiError, InvalidArgumentError } from '@graphon-pai/core';
import { type LoadedMask, loadMask } from '@graphon-pai/masks';

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

/** `a, b, c` — at most ten names, then how many more. */
function listLayers(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown}, … (${names.length} layers)` : shown;
}

/** The layer `layer` of a mask file (or its only layer). */
export function maskLayer(file: string, layer: string | undefined): { name: string; mask: BitMatrix } {
  const { mask } = readMaskOrFail(file);
  const names = [...mask.keys()];
  const name = layer ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    throw new GraphonPaiError(
      'E_INVALID_ARGUMENT',
      `--layer is required: ${file} has ${names.length} layers (${listLayers(names)})`,
      { fix: `pass --layer ${names[0] ?? '<name>'}` },
    );
  }
  const m = mask.get(name);
  if (!m)
    throw new InvalidArgumentError('--layer', name, `one of the layers of ${file}: ${listLayers(names)}`);
  return { name, mask: m };
}
