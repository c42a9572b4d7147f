/**
 * Scopes and layer allocations: how a network-wide density becomes exact per-layer kept counts.
 *
 * Scopes and allocations (density `d`, layer sizes `N_l = rows_l · cols_l`, `N = Σ N_l`):
 *
 * - `global`: one scope over all layers, `k = round(d · N)`; layer counts follow from the scores.
 * - `layerwise`: each layer is its own scope, `k_l = round(d · N_l)` (each layer exact; the total is
 *   `Σ k_l`, which may differ from `round(d · N)` by rounding).
 * - `uniform`: density `d` in every layer with the **total** exact: `Σ k_l = round(d · N)`.
 * - `erk` (Erdős–Rényi-kernel; Evci et al., "Rigging the Lottery", ICML 2020, arXiv 1911.11134; ER without
 *   kernel: Mocanu et al. 2018): `d_l = min(1, ε · r_l)` with `r_l = ((Σ dims) / (Π dims))^power`,
 *   dims = `[rows, cols]` for a dense layer or the 4-D `tensorShape` `[out, in, kh, kw]` of a convolution
 *   (`kernel: false` drops `kh, kw`, giving ER). `ε` solves `Σ_l d_l N_l = d · N`; layers with `ε r_l ≥ 1`
 *   are made dense and the remaining budget is redistributed over the others (water-filling; `ε` only
 *   grows as layers saturate, so saturating every violator at once is exact). Layers in `dense` are
 *   forced dense first.
 * - `first-last`: an architecture-agnostic "first and last layer denser" rule, the same water-filling with
 *   `r_l = boost` for the first and the last layer and `r_l = 1` for the others (default `boost = 2`): the
 *   end layers get `min(1, boost · d_mid)`, the middle layers share the rest uniformly.
 * - `induced`: the per-layer proportions of a given mask (e.g. a global run of any criterion): layer `l`
 *   gets the share `nnz_l / nnz` of the budget (exactly the mask's counts when its density is `d`).
 *   This is the "layer-wise shuffle" baseline's allocation.
 * - `explicit`: a density per layer (map by name, or array in layer order); each layer exact,
 *   `k_l = round(d_l · N_l)`.
 *
 * Exact totals. For `uniform`, `erk`, `first-last` and `induced`, real targets `x_l = d_l · N_l` are turned
 * into integers by the largest-remainder rule (floors, then one more for the largest fractional parts, ties
 * to the earlier layer, never above `N_l`), so `Σ k_l = round(d · N)` exactly and `|k_l − x_l| < 1`.
 *
 * Complexity O(L log L) for L layers.
 *
 * @example
 * const shapes = new Map([['fc1', { rows: 300, cols: 784 }], ['fc2', { rows: 10, cols: 300 }]]);
 * allocateCounts(shapes, 0.05, { kind: 'erk' }); // Map { fc1 → …, fc2 → … }, summing to round(0.05 · N)
 */
import { InvalidArgumentError, type LayerShape, layerSize, type NetworkMask } from '@graphon-pai/core';
import { checkDensity } from './density';

export type AllocationKind = 'global' | 'layerwise' | 'uniform' | 'erk' | 'first-last';

export type Allocation =
  | AllocationKind
  | { readonly kind: 'global' }
  | { readonly kind: 'layerwise' }
  | { readonly kind: 'uniform' }
  | {
      readonly kind: 'erk';
      /** Exponent applied to the raw ERK factor (RigL's `erk_power_scale`), default 1. */
      readonly power?: number;
      /** Layers forced dense before the budget is distributed. */
      readonly dense?: readonly string[];
      /** Include kernel dimensions of 4-D layers (ERK, default) or not (ER). */
      readonly kernel?: boolean;
    }
  | { readonly kind: 'first-last'; readonly boost?: number }
  | { readonly kind: 'induced'; readonly mask: NetworkMask }
  | {
      readonly kind: 'explicit';
      readonly densities: ReadonlyMap<string, number> | Readonly<Record<string, number>> | readonly number[];
    };

/** Layer name → shape, in network order. */
export type LayerShapes = ReadonlyMap<string, LayerShape>;

/** Normalises the string shorthands to objects and checks the kind. */
export function normalizeAllocation(allocation: Allocation): Exclude<Allocation, string> {
  const a =
    typeof allocation === 'string' ? ({ kind: allocation } as Exclude<Allocation, string>) : allocation;
  const kinds = ['global', 'layerwise', 'uniform', 'erk', 'first-last', 'induced', 'explicit'];
  if (a === null || typeof a !== 'object' || !kinds.includes((a as { kind: string }).kind)) {
    throw new InvalidArgumentError(
      'allocation',
      allocation,
      `one of ${kinds.map((k) => `'${k}'`).join(', ')}`,
      {
        fix: "pass e.g. 'global', 'layerwise', 'erk' or { kind: 'explicit', densities: {...} }",
      },
    );
  }
  return a;
}

function checkShapes(shapes: LayerShapes): { names: string[]; sizes: number[] } {
  if (!(shapes instanceof Map) || shapes.size === 0) {
    throw new InvalidArgumentError('shapes', shapes, 'a non-empty Map of layer name → {rows, cols}', {
      fix: 'pass the layer shapes of the network (or its ScoreMap)',
    });
  }
  const names = [...shapes.keys()];
  const sizes = names.map((n) => layerSize(shapes.get(n)!, `shapes['${n}']`));
  return { names, sizes };
}

/** The ERK raw factor `(Σ dims / Π dims)^power` of one layer. */
export function erkFactor(shape: LayerShape, power = 1, kernel = true): number {
  const t = shape.tensorShape;
  let dims: number[];
  if (t && t.length === 4) dims = kernel ? [...t] : [t[0], t[1]];
  else if (t && t.length > 0 && t.length !== 2)
    dims = kernel ? [...t] : [t[0], shape.cols / t.slice(2).reduce((a, b) => a * b, 1)];
  else dims = [shape.rows, shape.cols];
  let sum = 0;
  let prod = 1;
  for (const v of dims) {
    sum += v;
    prod *= v;
  }
  return (sum / prod) ** power;
}

/**
 * Water-filling: `d_l = min(1, ε · r_l)` (forced-dense layers = 1) with `Σ d_l N_l = budget`.
 * Returns the densities; throws when the forced-dense layers alone exceed the budget.
 */
function saturatingDensities(
  factors: readonly number[],
  sizes: readonly number[],
  budget: number,
  forcedDense: readonly boolean[] = [],
): number[] {
  const L = factors.length;
  const dense = factors.map((_, l) => forcedDense[l] === true);
  for (;;) {
    let rest = budget;
    let weight = 0;
    for (let l = 0; l < L; l++) {
      if (dense[l]) rest -= sizes[l];
      else weight += factors[l] * sizes[l];
    }
    if (rest < -1e-9 * budget) {
      throw new InvalidArgumentError(
        'allocation.dense',
        dense.map((d, l) => (d ? l : -1)).filter((l) => l >= 0),
        'layers (indices shown) whose total size fits the budget',
        {
          fix: 'raise the density or force fewer layers dense',
        },
      );
    }
    if (weight === 0) return dense.map((d) => (d ? 1 : 0));
    const eps = Math.max(0, rest) / weight;
    let changed = false;
    for (let l = 0; l < L; l++) {
      if (!dense[l] && eps * factors[l] >= 1) {
        dense[l] = true;
        changed = true;
      }
    }
    if (!changed) return factors.map((f, l) => (dense[l] ? 1 : eps * f));
  }
}

/** Largest-remainder rounding of real targets to integers summing to `total` (each in [0, cap_l]). */
function apportion(targets: readonly number[], caps: readonly number[], total: number): number[] {
  const counts = targets.map((x, l) => Math.min(caps[l], Math.max(0, Math.floor(x))));
  let remaining = total - counts.reduce((a, b) => a + b, 0);
  const order = targets
    .map((_, l) => l)
    .sort((a, b) => {
      const fa = targets[a] - Math.floor(targets[a]);
      const fb = targets[b] - Math.floor(targets[b]);
      return fb - fa || a - b;
    });
  // Normally one pass suffices (remaining < L); caps and float error may need more or a removal.
  while (remaining > 0) {
    let moved = false;
    for (const l of order) {
      if (remaining === 0) break;
      if (counts[l] < caps[l]) {
        counts[l]++;
        remaining--;
        moved = true;
      }
    }
    if (!moved) throw new InvalidArgumentError('total', total, 'at most the sum of the layer sizes');
  }
  while (remaining < 0) {
    for (let i = order.length - 1; i >= 0 && remaining < 0; i--) {
      const l = order[i];
      if (counts[l] > 0) {
        counts[l]--;
        remaining++;
      }
    }
  }
  return counts;
}

/**
 * Real per-layer densities of an allocation (before integer rounding). For `global` there are none
 * (they follow from the scores): use `maskFromScores`.
 */
export function layerDensities(
  shapes: LayerShapes,
  density: number,
  allocation: Allocation,
): Map<string, number> {
  checkDensity(density);
  const a = normalizeAllocation(allocation);
  const { names, sizes } = checkShapes(shapes);
  const total = sizes.reduce((x, y) => x + y, 0);
  const budget = density * total;
  let d: number[];
  switch (a.kind) {
    case 'global':
      throw new InvalidArgumentError('allocation', 'global', 'a per-layer allocation', {
        fix: 'global selection has no densities before scoring: use maskFromScores or selectTopK',
      });
    case 'layerwise':
    case 'uniform':
      d = names.map(() => density);
      break;
    case 'erk': {
      const power = a.power ?? 1;
      if (!(Number.isFinite(power) && power >= 0))
        throw new InvalidArgumentError('allocation.power', power, 'a finite number ≥ 0');
      const forced = names.map((n) => (a.dense ?? []).includes(n));
      for (const n of a.dense ?? []) {
        if (!shapes.has(n))
          throw new InvalidArgumentError('allocation.dense', n, `a layer name (${names.join(', ')})`);
      }
      const f = names.map((n) => erkFactor(shapes.get(n)!, power, a.kernel ?? true));
      d = saturatingDensities(f, sizes, budget, forced);
      break;
    }
    case 'first-last': {
      const boost = a.boost ?? 2;
      if (!(Number.isFinite(boost) && boost >= 1))
        throw new InvalidArgumentError('allocation.boost', boost, 'a finite number ≥ 1');
      const f = names.map((_, l) => (l === 0 || l === names.length - 1 ? boost : 1));
      d = saturatingDensities(f, sizes, budget);
      break;
    }
    case 'induced': {
      const m = a.mask;
      if (!(m instanceof Map)) throw new InvalidArgumentError('allocation.mask', m, 'a NetworkMask');
      let kept = 0;
      const nnz = names.map((n) => {
        const layer = m.get(n);
        const s = shapes.get(n)!;
        if (!layer || layer.rows !== s.rows || layer.cols !== s.cols) {
          throw new InvalidArgumentError(
            `allocation.mask['${n}']`,
            layer ? `${layer.rows} × ${layer.cols}` : undefined,
            `a ${s.rows} × ${s.cols} mask`,
            {
              fix: 'induce the allocation from a mask of the same network',
            },
          );
        }
        const c = layer.nnz();
        kept += c;
        return c;
      });
      if (kept === 0)
        throw new InvalidArgumentError(
          'allocation.mask',
          'an empty mask',
          'a mask with at least one kept weight',
        );
      // Proportional shares, capped at dense with the overflow redistributed in proportion.
      d = saturatingDensities(
        nnz.map((c, l) => c / sizes[l]),
        sizes,
        budget,
      );
      break;
    }
    case 'explicit': {
      const src = a.densities;
      d = names.map((n, l) => {
        let v: number | undefined;
        if (Array.isArray(src)) v = (src as readonly number[])[l];
        else if (src instanceof Map) v = src.get(n);
        else v = (src as Record<string, number>)[n];
        if (v === undefined) {
          throw new InvalidArgumentError(
            'allocation.densities',
            n,
            `a density for every layer (${names.join(', ')})`,
          );
        }
        return checkDensity(v, `allocation.densities['${n}']`);
      });
      const extra = Array.isArray(src) ? (src.length !== names.length ? src.length : -1) : -1;
      if (extra >= 0)
        throw new InvalidArgumentError(
          'allocation.densities',
          src,
          `an array of ${names.length} densities (one per layer)`,
        );
      if (!Array.isArray(src)) {
        const keys = src instanceof Map ? [...src.keys()] : Object.keys(src);
        for (const key of keys) {
          if (!shapes.has(key))
            throw new InvalidArgumentError(
              'allocation.densities',
              key,
              `densities only for layers ${names.join(', ')}`,
            );
        }
      }
      break;
    }
  }
  return new Map(names.map((n, l) => [n, d[l]]));
}

/**
 * Exact per-layer kept counts of an allocation. `layerwise` and `explicit`: each layer `round(d_l · N_l)`;
 * `uniform`, `erk`, `first-last`, `induced`: largest remainder with `Σ k_l = round(d · N)`.
 */
export function allocateCounts(
  shapes: LayerShapes,
  density: number,
  allocation: Allocation,
): Map<string, number> {
  const a = normalizeAllocation(allocation);
  const dens = layerDensities(shapes, density, a);
  const names = [...shapes.keys()];
  const sizes = names.map((n) => shapes.get(n)!.rows * shapes.get(n)!.cols);
  if (a.kind === 'layerwise' || a.kind === 'explicit') {
    return new Map(names.map((n, l) => [n, Math.round(dens.get(n)! * sizes[l])]));
  }
  const total = sizes.reduce((x, y) => x + y, 0);
  const k = Math.round(density * total);
  const counts = apportion(
    names.map((n, l) => dens.get(n)! * sizes[l]),
    sizes,
    k,
  );
  return new Map(names.map((n, l) => [n, counts[l]]));
}
