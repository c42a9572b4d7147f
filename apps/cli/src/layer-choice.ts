/**
 * `--layer`: the layer (tensor) of a file a command works on — the one named, or the file's only one. A file
 * of several without `--layer`, or a name the file does not hold, is an error listing (at most ten of) the
 * names and the fix.
 */
import { GraphonPaiError, InvalidArgumentError } from '@graphon-pai/core';

/** The chosen name among `names` (the tensors of `file`, called `noun` in messages). */
export function chooseLayer(
  file: string,
  names: readonly string[],
  layer: string | undefined,
  noun = 'layers',
): string {
  const shown =
    names.length > 10 ? `${names.slice(0, 10).join(', ')}, … (${names.length} ${noun})` : names.join(', ');
  if (layer === undefined) {
    if (names.length === 1) return names[0];
    throw new GraphonPaiError(
      'E_INVALID_ARGUMENT',
      `--layer is required: ${file} has ${names.length} ${noun} (${shown})`,
      {
        fix: `pass --layer ${names[0] ?? '<name>'}`,
      },
    );
  }
  if (!names.includes(layer))
    throw new InvalidArgumentError('--layer', layer, `one of the ${noun} of ${file}: ${shown}`);
  return layer;
}
