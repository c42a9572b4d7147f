/**
 * `torch.nn.utils.prune` state_dicts: weights and masks under PyTorch's names.
 *
 * After `prune.l1_unstructured(module, 'weight', amount)` (or any `torch.nn.utils.prune` method), a module's
 * state_dict holds, instead of `weight`, the parameter `weight_orig` (the unpruned values) and the buffer
 * `weight_mask` (a floating-point 0/1 tensor of the same shape and dtype):
 *
 *     '0.weight_orig' [300, 784] F32    '0.weight_mask' [300, 784] F32 (0.0 / 1.0)    '0.bias' [300] F32
 *
 * {@link foldPruneStateDict} maps such a tensor list back to parameter names: `X_orig` with `X_mask` becomes
 * the parameter `X` (its weights) and the mask of `X`; every other tensor keeps its name and place. It is
 * pure (names, dtypes and shapes only), so readers can plan what to read before reading data.
 * {@link maskFromTensor} turns a stored mask (float 0/1 as PyTorch writes it, or BOOL/U8) into a
 * {@link BitMatrix} of `rows = shape[0]`, `cols = Π shape[1…]` (the `LayerShape` convention for
 * convolutions), refusing any value other than 0 and 1.
 *
 * Errors (`FormatError`, naming the tensors and the fix): `X_orig` without `X_mask` or the reverse, both `X`
 * and `X_orig`, a mask whose shape differs from its weight's, a mask of rank < 2 (a pruned bias: graphon-pai
 * masks weights only), a mask dtype that is not float, BOOL or U8.
 *
 * The other direction needs no conversion: a graphon-pai mask file holds one BOOL tensor per weight,
 * named like the weight and shaped like it, which `prune.custom_from_mask(module, 'weight', mask)` applies.
 *
 * @example
 * const { parameters, masks } = foldPruneStateDict(readSafetensors('pruned.safetensors').tensors);
 * readPruneStateDictMasks(SafetensorsFile.open('pruned.safetensors'))?.mask; // NetworkMask, or undefined
 * parameters.get('0.weight');                        // the '0.weight_orig' tensor
 * maskFromTensor('0.weight', masks.get('0.weight')!); // BitMatrix 300 × 784
 */
import { BitMatrix } from '../bit-matrix';
import { FormatError } from '../errors';
import type { NetworkMask } from '../layers';
import type { DType, Tensor } from './dtype';
import type { SafetensorsFile } from './safetensors';

const ORIG = '_orig';
const MASK = '_mask';

/** What folding needs of a stored tensor. */
export interface StoredTensorInfo {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export interface FoldedStateDict<T extends StoredTensorInfo> {
  /** Parameter name → tensor, in file order: `X` ← `X_orig` for pruned parameters, others unchanged. */
  readonly parameters: Map<string, T>;
  /** Parameter name → its mask tensor (`X` ← `X_mask`), in file order; empty when nothing was pruned. */
  readonly masks: Map<string, T>;
}

const MASK_DTYPES: ReadonlySet<string> = new Set(['F16', 'BF16', 'F32', 'F64', 'BOOL', 'U8']);

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** True when the names contain at least one `X_orig` / `X_mask` pair. */
export function isPruneStateDict(names: Iterable<string>): boolean {
  const all = new Set(names);
  for (const name of all) {
    if (name.endsWith(ORIG) && all.has(`${name.slice(0, -ORIG.length)}${MASK}`)) return true;
  }
  return false;
}

/** Maps a `torch.nn.utils.prune` state_dict's tensors to parameter names and masks (see the header). */
export function foldPruneStateDict<T extends StoredTensorInfo>(
  tensors: ReadonlyMap<string, T>,
  source?: string,
): FoldedStateDict<T> {
  const parameters = new Map<string, T>();
  const masks = new Map<string, T>();
  const fail = (message: string, fix: string): never => {
    throw new FormatError(message, { source, fix });
  };
  for (const [name, tensor] of tensors) {
    if (name.endsWith(ORIG)) {
      const base = name.slice(0, -ORIG.length);
      const mask = tensors.get(`${base}${MASK}`);
      if (mask === undefined) {
        fail(
          `'${name}' has no '${base}${MASK}' beside it`,
          `save the whole state_dict of the pruned module, or call prune.remove(module, '${base.split('.').pop()}') before saving`,
        );
      }
      if (tensors.has(base)) {
        fail(
          `both '${base}' and '${name}' are stored; which one holds the weights is ambiguous`,
          'save either a pruned state_dict (X_orig + X_mask) or a plain one (X), not both',
        );
      }
      if (!sameShape(mask!.shape, tensor.shape)) {
        fail(
          `'${base}${MASK}' has shape [${mask!.shape.join(', ')}] but '${name}' has [${tensor.shape.join(', ')}]`,
          'save the mask of this very weight (prune.custom_from_mask requires the same shape)',
        );
      }
      parameters.set(base, tensor);
      masks.set(base, mask!);
    } else if (name.endsWith(MASK)) {
      const base = name.slice(0, -MASK.length);
      if (!tensors.has(`${base}${ORIG}`)) {
        // A file of masks alone (`X_mask` keys, no weights) is a mask file, not a pruned state_dict.
        if ([...tensors.keys()].some((n) => n.endsWith(ORIG))) {
          fail(
            `'${name}' has no '${base}${ORIG}' beside it`,
            'save the whole state_dict of the pruned module (weights and masks)',
          );
        }
        parameters.set(name, tensor);
      }
    } else {
      parameters.set(name, tensor);
    }
  }
  for (const [name, mask] of masks) {
    if (!MASK_DTYPES.has(mask.dtype)) {
      fail(
        `mask '${name}${MASK}' has dtype ${mask.dtype}; expected a float, BOOL or U8 tensor of 0/1`,
        'save the state_dict written by torch.nn.utils.prune unchanged',
      );
    }
  }
  return { parameters, masks };
}

/**
 * A stored mask tensor (float 0/1, BOOL or U8; rank ≥ 2) as a {@link BitMatrix} of `shape[0]` rows and
 * `Π shape[1…]` columns. `name` is the parameter the mask belongs to (for messages).
 */
export function maskFromTensor(name: string, tensor: Tensor, source?: string): BitMatrix {
  const { shape, data } = tensor;
  if (shape.length < 2) {
    throw new FormatError(
      `the mask of '${name}' has shape [${shape.join(', ')}]; graphon-pai masks weights of rank 2 or more (out × in, out × in × kh × kw)`,
      {
        source,
        fix: `prune only weights (prune.remove(module, '${name.split('.').pop()}') drops a bias mask)`,
      },
    );
  }
  if (!MASK_DTYPES.has(tensor.dtype)) {
    throw new FormatError(
      `the mask of '${name}' has dtype ${tensor.dtype}; expected float, BOOL or U8 0/1 values`,
      {
        source,
        fix: 'save the mask as (mask != 0) or as the float mask torch.nn.utils.prune keeps',
      },
    );
  }
  const rows = shape[0];
  const cols = rows === 0 ? 0 : data.length / rows;
  const dense = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v === 1) dense[i] = 1;
    else if (v !== 0) {
      throw new FormatError(
        `the mask of '${name}' holds the value ${v} at flat index ${i} (a mask holds only 0 and 1)`,
        { source, fix: 'save the mask torch.nn.utils.prune computed, or (mask != 0)' },
      );
    }
  }
  return BitMatrix.fromDense(rows, cols, dense);
}

/** The masks of a pruned state_dict, by parameter name, with the stored shape of every rank > 2 mask. */
export interface PruneStateDictMasks {
  readonly mask: NetworkMask;
  readonly tensorShapes: Map<string, readonly number[]>;
}

/**
 * The masks of an open safetensors file holding a `torch.nn.utils.prune` state_dict, reading only the
 * `X_mask` tensors; `undefined` when the file is not one (no `X_orig` / `X_mask` pair).
 */
export function readPruneStateDictMasks(file: SafetensorsFile): PruneStateDictMasks | undefined {
  if (!isPruneStateDict(file.names())) return undefined;
  const { masks } = foldPruneStateDict(file.header.entries, file.path);
  const mask: NetworkMask = new Map();
  const tensorShapes = new Map<string, readonly number[]>();
  for (const name of masks.keys()) {
    const tensor = file.read(`${name}${MASK}`);
    mask.set(name, maskFromTensor(name, tensor, file.path));
    if (tensor.shape.length > 2) tensorShapes.set(name, [...tensor.shape]);
  }
  return { mask, tensorShapes };
}
