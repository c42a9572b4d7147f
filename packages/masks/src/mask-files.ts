/**
 * Mask files: save and load a `NetworkMask` as safetensors with metadata and provenance, and load masks
 * written by PyTorch.
 *
 * Format (core's mask file): one `BOOL` tensor per layer, keyed by parameter name, in network order, of
 * shape `[rows, cols]` or, given the network's layer shapes (`shapes`), the layer's `tensorShape` (PyTorch's
 * `[out, in, kh, kw]` for a convolution: `mask.view_as(conv.weight)` is not needed on the PyTorch side); `__metadata__` holds `format = "graphon-pai/mask"`, `density` (measured kept fraction),
 * `criterion`, `seed`, `tool_version`, and here also `provenance` (the JSON of `prune()`'s record).
 *
 * PyTorch. `safetensors.torch.save_file({name: mask.bool() or mask.to(torch.uint8)}, path)` files load
 * directly: `BOOL` or `U8` tensors holding 0/1, of rank ≥ 2 (`[out, in, kh, kw]` is read as
 * `out × (in·kh·kw)`; `tensorShapes` returns the stored shape). Metadata of another tool (e.g. `format = "pt"`) is accepted and returned raw.
 * A `torch.nn.utils.prune` state_dict (`X_orig` weights + float 0/1 `X_mask` buffers, saved with
 * `safetensors.torch.save_file(net.state_dict(), path)`) loads as the masks it holds, named `X`.
 * With `expect` (the network's layer shapes), layers are matched by name — a key `X_mask` (the buffer name
 * `torch.nn.utils.prune` uses, e.g. `0.weight_mask`) stands for `X` — checked for shape, and returned in
 * the network's order; missing and unexpected layers are errors naming them, and so is a stored 4-D shape
 * other than the layer's `tensorShape`.
 *
 * @example
 * saveMask('snip.safetensors', result.mask, { provenance: result.provenance });
 * const { mask } = loadMask('torch_mask.safetensors', { expect: network.shapes() });
 * saveMask('conv.safetensors', mask, { shapes: convNet.shapes() });   // [out, in, kh, kw] tensors
 */
import {
  BitMatrix,
  FormatError,
  InvalidArgumentError,
  type LayerShape,
  type MaskMetadata,
  type NetworkMask,
  readMaskFile,
  readPruneStateDictMasks,
  SafetensorsFile,
  type SafetensorsMetadata,
  writeMaskFile,
} from '@graphon-pai/core';
import type { Provenance } from './prune';
import { maskShapes } from './shapes';
import { MASKS_VERSION } from './version';

export interface SaveMaskOptions {
  /** The provenance record of `prune()`; its criterion and seed also go to the standard fields. */
  provenance?: Provenance;
  /** Extra metadata (criterion, seed, extra string pairs) when there is no provenance. */
  metadata?: MaskMetadata;
  /** The network's layer shapes (`network.shapes()`): layers with a `tensorShape` are stored in that shape. */
  shapes?: ReadonlyMap<string, LayerShape>;
}

/** Writes `mask` to `path` (atomically: temporary file, then rename). */
export function saveMask(path: string, mask: NetworkMask, options: SaveMaskOptions = {}): void {
  maskShapes(mask);
  const p = options.provenance;
  const meta: MaskMetadata = { toolVersion: `@graphon-pai/masks@${MASKS_VERSION}`, ...options.metadata };
  if (p) {
    meta.criterion ??= p.criterion;
    meta.seed ??= p.seed;
    meta.extra = { ...meta.extra, provenance: JSON.stringify(p) };
  }
  const tensorShapes = new Map<string, readonly number[]>();
  for (const [name, shape] of options.shapes ?? []) {
    if (shape.tensorShape && mask.has(name)) tensorShapes.set(name, shape.tensorShape);
  }
  writeMaskFile(path, mask, meta, { tensorShapes });
}

export interface LoadMaskOptions {
  /** Expected layers (e.g. `network.shapes()`): names, shapes and order to check and return. */
  expect?: ReadonlyMap<string, LayerShape>;
}

export interface LoadedMask {
  readonly mask: NetworkMask;
  /** The stored shape of layers stored with rank > 2 (e.g. `[out, in, kh, kw]`). */
  readonly tensorShapes: ReadonlyMap<string, readonly number[]>;
  readonly metadata: MaskMetadata;
  /** The provenance record when the file has one (written by `saveMask`). */
  readonly provenance: Provenance | null;
  readonly rawMetadata: SafetensorsMetadata;
}

/** The masks of a `torch.nn.utils.prune` state_dict (`X_orig` + float `X_mask`); undefined for other files. */
function readPrunedStateDict(path: string) {
  let f: SafetensorsFile;
  try {
    f = SafetensorsFile.open(path);
  } catch {
    return undefined; // not a safetensors file: readMaskFile reports it
  }
  try {
    const read = readPruneStateDictMasks(f);
    return read && { ...read, metadata: {} as MaskMetadata, rawMetadata: f.metadata };
  } finally {
    f.close();
  }
}

function readForeign(path: string): {
  mask: NetworkMask;
  tensorShapes: Map<string, readonly number[]>;
  rawMetadata: SafetensorsMetadata;
} {
  const f = SafetensorsFile.open(path);
  try {
    const mask: NetworkMask = new Map();
    const tensorShapes = new Map<string, readonly number[]>();
    for (const [name, e] of f.header.entries) {
      if ((e.dtype !== 'BOOL' && e.dtype !== 'U8') || e.shape.length < 2) {
        throw new FormatError(`tensor '${name}' is ${e.dtype} of shape [${e.shape.join(', ')}]`, {
          source: path,
          fix: 'store masks as bool or uint8 tensors of rank ≥ 2 (e.g. mask.bool() in PyTorch)',
        });
      }
      const t = f.read(name);
      const data = t.data as Uint8Array;
      for (let i = 0; i < data.length; i++) {
        if (data[i] > 1) {
          throw new FormatError(`tensor '${name}' holds the value ${data[i]} (masks are 0/1)`, {
            source: path,
            fix: 'save (mask != 0) as the mask',
          });
        }
      }
      const rows = t.shape[0];
      const cols = t.shape.slice(1).reduce((a, b) => a * b, 1);
      mask.set(name, BitMatrix.fromDense(rows, cols, data));
      if (t.shape.length > 2) tensorShapes.set(name, [...t.shape]);
    }
    return { mask, tensorShapes, rawMetadata: f.metadata };
  } finally {
    f.close();
  }
}

/** Reads a mask file (ours or PyTorch's) and optionally checks it against the network's layers. */
export function loadMask(path: string, options: LoadMaskOptions = {}): LoadedMask {
  if (typeof path !== 'string' || path.length === 0)
    throw new InvalidArgumentError('path', path, 'a file path');
  let mask: NetworkMask;
  let tensorShapes: ReadonlyMap<string, readonly number[]>;
  let metadata: MaskMetadata = {};
  let rawMetadata: SafetensorsMetadata;
  try {
    const pruned = readPrunedStateDict(path);
    const contents = pruned ?? readMaskFile(path);
    mask = contents.mask;
    tensorShapes = contents.tensorShapes;
    metadata = contents.metadata;
    rawMetadata = contents.rawMetadata;
  } catch (e) {
    // Another tool's metadata (e.g. format = "pt"): read the tensors ourselves, keep its metadata raw.
    if (!(e instanceof FormatError && /metadata format/.test(e.message))) throw e;
    ({ mask, tensorShapes, rawMetadata } = readForeign(path));
  }
  let provenance: Provenance | null = null;
  if (rawMetadata.provenance !== undefined) {
    try {
      provenance = JSON.parse(rawMetadata.provenance) as Provenance;
    } catch (cause) {
      throw new FormatError('metadata provenance is not valid JSON', { source: path, cause });
    }
  }
  if (options.expect) ({ mask, tensorShapes } = matchLayers(mask, tensorShapes, options.expect, path));
  return { mask, tensorShapes, metadata, provenance, rawMetadata };
}

function matchLayers(
  mask: NetworkMask,
  stored: ReadonlyMap<string, readonly number[]>,
  expect: ReadonlyMap<string, LayerShape>,
  path: string,
): { mask: NetworkMask; tensorShapes: Map<string, readonly number[]> } {
  const out: NetworkMask = new Map();
  const tensorShapes = new Map<string, readonly number[]>();
  const used = new Set<string>();
  for (const [name, shape] of expect) {
    const key = mask.has(name) ? name : mask.has(`${name}_mask`) ? `${name}_mask` : undefined;
    if (key === undefined) {
      throw new FormatError(
        `no mask for layer '${name}' (file has ${[...mask.keys()].join(', ') || 'no tensors'})`,
        {
          source: path,
          fix: `store a tensor named '${name}' (or '${name}_mask')`,
        },
      );
    }
    const m = mask.get(key)!;
    if (m.rows !== shape.rows || m.cols !== shape.cols) {
      throw new FormatError(
        `mask '${key}' is ${m.rows} × ${m.cols}; layer '${name}' is ${shape.rows} × ${shape.cols}`,
        {
          source: path,
          fix: 'save the mask of this network (rows = output neurons, as in Linear.weight)',
        },
      );
    }
    const t = stored.get(key);
    if (t && shape.tensorShape && t.join(',') !== shape.tensorShape.join(',')) {
      throw new FormatError(
        `mask '${key}' has shape [${t.join(', ')}]; layer '${name}' has [${shape.tensorShape.join(', ')}]`,
        {
          source: path,
          fix: 'save the mask in the layout of the weight it masks ([out, in, kh, kw] for a convolution)',
        },
      );
    }
    out.set(name, m);
    if (t) tensorShapes.set(name, t);
    used.add(key);
  }
  const extra = [...mask.keys()].filter((k) => !used.has(k));
  if (extra.length > 0) {
    throw new FormatError(`masks for unknown layers: ${extra.join(', ')}`, {
      source: path,
      fix: `keep only the network's layers (${[...expect.keys()].join(', ')})`,
    });
  }
  return { mask: out, tensorShapes };
}
