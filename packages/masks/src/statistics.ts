/**
 * Mask statistics: per layer and for the whole network, including the topology measures of the
 * node–path-balancing view of PaI.
 *
 * Per layer (rows = output neurons, cols = inputs): kept count, density (kept fraction), summaries of the
 * row degrees (fan-in of each output neuron) and column degrees (fan-out of each input), and the numbers of
 * empty rows and columns.
 *
 * Network view. The layers, in map order, are read as a feed-forward chain: level 0 = the input units of
 * the first layer, level `l` = the output neurons (rows) of layer `l`. Column `c` of layer `l` belongs to
 * unit `⌊c / g_l⌋` of level `l − 1`, where `g_l = cols_l / rows_{l−1}` (1 for dense layers; `kh · kw` for a
 * convolution, or `H · W` after a flatten — PyTorch's flatten order). For the first layer the input units
 * are its `cols` (or the `in` channels of a 4-D `tensorShape`). A mask whose shapes do not chain this way
 * gets per-layer statistics only (`network: null`, with the reason).
 *
 * With `A_l[j, u]` = number of kept entries of row `j` in the column group of unit `u` (= `M_l` for dense
 * layers), following Pham et al. (NPB) and Vysogorets & Kempe:
 *
 * - **effective paths** `P = 1ᵀ A_L ⋯ A_1 1`: the number of input→output paths through kept weights (SynFlow
 *   with all weights and inputs equal to one; for convolutions, paths of one output position without border
 *   effects). Computed as a product of float64 vectors renormalised at every level, so `logEffectivePaths`
 *   (natural log) is accurate for any depth; `effectivePaths` is `Infinity` past 1.8e308.
 * - a unit is an **effective node** when at least one input→output path passes through it: it is reachable
 *   from an input and reaches an output (reachability is tracked exactly, not from the float counts).
 * - a kept weight is an **effective parameter** when it lies on at least one input→output path: its input
 *   unit is reachable from an input and its output neuron reaches an output.
 * - **layer collapse**: `P = 0` (no input→output path). By default this is an error
 *   (`onCollapse: 'error'`); `'warn'` reports it through `onWarning` (default `process.emitWarning`) and
 *   in `warnings`; `'ignore'` only sets `collapsed`.
 * - hidden neurons with no incoming edge (empty row in layer `l`) or no outgoing edge (no kept entry in
 *   their column group of layer `l + 1`) are counted per hidden level.
 *
 * Complexity O(Σ words + Σ nnz) time, O(Σ units) memory.
 *
 * References: Pham, Ta, Liu, Xiang, Le, Wen, Tran-Thanh, "Towards Data-Agnostic Pruning At Initialization:
 * What Makes a Good Sparse Mask?", NeurIPS 2023 (NPB; effective paths and nodes); Vysogorets & Kempe,
 * "Connectivity Matters: Neural Network Pruning Through the Lens of Effective Sparsity", JMLR 2023
 * (arXiv 2107.02306; effective parameters); Tanaka et al., "Pruning neural networks without any data by
 * iteratively conserving synaptic flow", NeurIPS 2020 (layer collapse).
 *
 * @example
 * const stats = maskStatistics(mask);
 * stats.network?.logEffectivePaths;   // natural log of the number of input→output paths
 * stats.network?.effectiveNodes;      // effective hidden neurons
 */
import { type BitMatrix, InvalidArgumentError, type NetworkMask } from '@graphon-pai/core';
import { maskShapes } from './shapes';

export interface DegreeSummary {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  /** Number of zero degrees. */
  readonly zeros: number;
}

export interface LayerStatistics {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly kept: number;
  /** Kept fraction. */
  readonly density: number;
  /** Fan-in of each output neuron (row degrees). */
  readonly rowDegrees: DegreeSummary;
  /** Fan-out of each input (column degrees). */
  readonly colDegrees: DegreeSummary;
  /** Output neurons with no kept weight in this layer. */
  readonly emptyRows: number;
  /** Inputs with no kept weight in this layer. */
  readonly emptyCols: number;
  /** Kept weights on at least one input→output path (null when the layers do not chain). */
  readonly effectiveParams: number | null;
}

export interface NetworkStatistics {
  /** Units per level: level 0 = inputs of the first layer, level l = rows of layer l. */
  readonly units: readonly number[];
  /** Effective nodes per level (same indexing as `units`). */
  readonly effectiveNodesPerLevel: readonly number[];
  /** Effective hidden neurons (levels 1 … L−1). */
  readonly effectiveNodes: number;
  /** Number of input→output paths as a float64 (`Infinity` on overflow, 0 on collapse). */
  readonly effectivePaths: number;
  /** Natural log of the number of paths (`-Infinity` on collapse). */
  readonly logEffectivePaths: number;
  /** Kept weights on some input→output path. */
  readonly effectiveParams: number;
  /** effectiveParams / total weights. */
  readonly effectiveDensity: number;
  /** Hidden neurons with no incoming edge, per hidden level (index 0 = level 1). */
  readonly noIncoming: readonly number[];
  /** Hidden neurons with no outgoing edge, per hidden level. */
  readonly noOutgoing: readonly number[];
  /** True when no input→output path is left. */
  readonly collapsed: boolean;
  /** First layer after which no unit is reachable from the inputs (null when not collapsed that way). */
  readonly collapsedAt: string | null;
}

export interface MaskStatistics {
  readonly layers: readonly LayerStatistics[];
  readonly total: number;
  readonly kept: number;
  readonly density: number;
  /** Whole-network topology, or null when the layer shapes do not form a chain (see `notChainReason`). */
  readonly network: NetworkStatistics | null;
  readonly notChainReason: string | null;
  readonly warnings: readonly string[];
}

export interface MaskStatisticsOptions {
  /** What layer collapse does: throw (default), warn, or nothing. */
  onCollapse?: 'error' | 'warn' | 'ignore';
  /** Receives warnings in `'warn'` mode (default: `process.emitWarning`). */
  onWarning?: (message: string) => void;
  /** Number of input units of the first layer (default: its cols, or `tensorShape[1]` for 4-D). */
  inputUnits?: number;
}

function summarize(d: Uint32Array): DegreeSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v === 0) zeros++;
  }
  const mean = sum / d.length;
  let ss = 0;
  for (let i = 0; i < d.length; i++) ss += (d[i] - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(ss / d.length), zeros };
}

/** Unit counts per level and the column-group size of each layer, or a reason why the layers do not chain. */
function chainOf(
  mask: NetworkMask,
  shapesTensor: (name: string) => readonly number[] | undefined,
  inputUnits: number | undefined,
): Chain | string {
  const names = [...mask.keys()];
  const units: number[] = [];
  const groups: number[] = [];
  const first = mask.get(names[0])!;
  const t = shapesTensor(names[0]);
  const in0 = inputUnits ?? (t && t.length === 4 ? t[1] : first.cols);
  if (!(Number.isInteger(in0) && in0 > 0 && first.cols % in0 === 0)) {
    return `the first layer's ${first.cols} columns are not a multiple of ${in0} input units`;
  }
  units.push(in0);
  for (let l = 0; l < names.length; l++) {
    const m = mask.get(names[l])!;
    const prev = units[l];
    if (m.cols % prev !== 0) {
      return `layer '${names[l]}' has ${m.cols} columns, not a multiple of the ${prev} units of the level before`;
    }
    groups.push(m.cols / prev);
    units.push(m.rows);
  }
  return { units, groups };
}

/**
 * Forward pass over layer `m`: next[j] = Σ_c m[j,c]·vec[⌊c/g⌋] (with reachability). `forward` and `backward`
 * walk the set bits with the same loop on purpose: hot loops, kept inline rather than behind a callback
 * (a call per set bit made the same scan 1.5-2.5× slower in `BitMatrix.colDegrees`, see core's bit-matrix.ts).
 */
function forward(
  m: BitMatrix,
  g: number,
  vec: Float64Array,
  reach: Uint8Array,
  next: Float64Array,
  nextReach: Uint8Array,
): void {
  const { words, wordsPerRow } = m;
  for (let j = 0; j < m.rows; j++) {
    let s = 0;
    let r = 0;
    const wbase = j * wordsPerRow;
    for (let k = 0; k < wordsPerRow; k++) {
      let w = words[wbase + k];
      while (w !== 0) {
        const low = w & -w;
        const u = Math.floor(((k << 5) + 31 - Math.clz32(low)) / g);
        s += vec[u];
        r |= reach[u];
        w ^= low;
      }
    }
    next[j] = s;
    nextReach[j] = r;
  }
}

/** Backward pass: prev[u] = Σ_{j,c: ⌊c/g⌋=u} m[j,c]·vec[j] (with reachability). */
function backward(
  m: BitMatrix,
  g: number,
  vec: Float64Array,
  reach: Uint8Array,
  prev: Float64Array,
  prevReach: Uint8Array,
): void {
  prev.fill(0);
  prevReach.fill(0);
  const { words, wordsPerRow } = m;
  for (let j = 0; j < m.rows; j++) {
    const v = vec[j];
    const rj = reach[j];
    const wbase = j * wordsPerRow;
    for (let k = 0; k < wordsPerRow; k++) {
      let w = words[wbase + k];
      while (w !== 0) {
        const low = w & -w;
        const u = Math.floor(((k << 5) + 31 - Math.clz32(low)) / g);
        prev[u] += v;
        prevReach[u] |= rj;
        w ^= low;
      }
    }
  }
}

function normalize(v: Float64Array): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
  if (max === 0) return 0;
  const e = Math.floor(Math.log2(max));
  const scale = 2 ** -e;
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  return e * Math.LN2;
}

/** A mask's layers as a chain of levels: units per level and columns per unit of each layer. */
type Chain = { units: number[]; groups: number[] };

/**
 * Forward path counts from the inputs (renormalised per level, log scale kept) with exact reachability,
 * and backward reachability to the outputs.
 */
function reachability(
  mask: NetworkMask,
  names: readonly string[],
  { units, groups }: Chain,
): { fReach: Uint8Array[]; bReach: Uint8Array[]; logPaths: number; collapsedAt: string | null } {
  const L = names.length;
  const fwd: Float64Array[] = [new Float64Array(units[0]).fill(1)];
  const fReach: Uint8Array[] = [new Uint8Array(units[0]).fill(1)];
  let logScale = 0;
  let collapsedAt: string | null = null;
  for (let l = 0; l < L; l++) {
    const next = new Float64Array(units[l + 1]);
    const nextReach = new Uint8Array(units[l + 1]);
    forward(mask.get(names[l])!, groups[l], fwd[l], fReach[l], next, nextReach);
    logScale += normalize(next);
    fwd.push(next);
    fReach.push(nextReach);
    if (collapsedAt === null && !nextReach.includes(1)) collapsedAt = names[l];
  }
  let last = 0;
  for (const v of fwd[L]) last += v;
  const logPaths = last > 0 ? Math.log(last) + logScale : -Infinity;
  const bwd: Float64Array[] = new Array(L + 1);
  const bReach: Uint8Array[] = new Array(L + 1);
  bwd[L] = new Float64Array(units[L]).fill(1);
  bReach[L] = new Uint8Array(units[L]).fill(1);
  for (let l = L - 1; l >= 0; l--) {
    bwd[l] = new Float64Array(units[l]);
    bReach[l] = new Uint8Array(units[l]);
    backward(mask.get(names[l])!, groups[l], bwd[l + 1], bReach[l + 1], bwd[l], bReach[l]);
    normalize(bwd[l]);
  }
  return { fReach, bReach, logPaths, collapsedAt };
}

/** Kept weights of each layer whose input unit is reachable from the inputs and whose row reaches the outputs. */
function effectiveParamsPerLayer(
  mask: NetworkMask,
  names: readonly string[],
  groups: readonly number[],
  fReach: Uint8Array[],
  bReach: Uint8Array[],
): number[] {
  return names.map((name, l) => {
    const g = groups[l];
    const inReach = fReach[l];
    const outReach = bReach[l + 1];
    let c = 0;
    mask.get(name)!.forEachSet((j, col) => {
      if (outReach[j] && inReach[Math.floor(col / g)]) c++;
    });
    return c;
  });
}

/** Hidden units with no kept incoming weight and with no kept outgoing weight, per hidden level. */
function deadUnits(
  mask: NetworkMask,
  names: readonly string[],
  { units, groups }: Chain,
): { noIncoming: number[]; noOutgoing: number[] } {
  const noIncoming: number[] = [];
  const noOutgoing: number[] = [];
  for (let l = 0; l + 1 < names.length; l++) {
    const rows = mask.get(names[l])!.rowDegrees();
    let inc = 0;
    for (const d of rows) if (d === 0) inc++;
    noIncoming.push(inc);
    const colsNext = mask.get(names[l + 1])!.colDegrees();
    const g = groups[l + 1];
    let out = 0;
    for (let u = 0; u < units[l + 1]; u++) {
      let any = 0;
      for (let c = u * g; c < (u + 1) * g; c++) any |= colsNext[c];
      if (any === 0) out++;
    }
    noOutgoing.push(out);
  }
  return { noIncoming, noOutgoing };
}

/** The network-level statistics of a chain-shaped mask (see the file header) and each layer's effective count. */
function networkStatistics(
  mask: NetworkMask,
  names: readonly string[],
  chain: Chain,
): { network: NetworkStatistics; effParams: number[] } {
  const { units, groups } = chain;
  const L = names.length;
  const { fReach, bReach, logPaths, collapsedAt } = reachability(mask, names, chain);
  const effectiveNodesPerLevel = units.map((n, lv) => {
    let c = 0;
    for (let u = 0; u < n; u++) if (fReach[lv][u] && bReach[lv][u]) c++;
    return c;
  });
  const effParams = effectiveParamsPerLayer(mask, names, groups, fReach, bReach);
  let effectiveParams = 0;
  for (const c of effParams) effectiveParams += c;
  const { noIncoming, noOutgoing } = deadUnits(mask, names, chain);
  let totalWeights = 0;
  for (const m of mask.values()) totalWeights += m.size;
  const collapsed = logPaths === -Infinity;
  const network: NetworkStatistics = {
    units,
    effectiveNodesPerLevel,
    effectiveNodes: effectiveNodesPerLevel.slice(1, L).reduce((a, b) => a + b, 0),
    effectivePaths: collapsed ? 0 : Math.exp(logPaths),
    logEffectivePaths: logPaths,
    effectiveParams,
    effectiveDensity: effectiveParams / totalWeights,
    noIncoming,
    noOutgoing,
    collapsed,
    collapsedAt: collapsed ? (collapsedAt ?? names[L - 1]) : null,
  };
  return { network, effParams };
}

/** Layer collapse: throws (`'error'`), reports through `onWarning` and `warnings` (`'warn'`), or nothing. */
function reportCollapse(
  where: string | null,
  onCollapse: 'error' | 'warn' | 'ignore',
  onWarning: ((message: string) => void) | undefined,
  warnings: string[],
): void {
  const message = `layer collapse: the mask leaves no input→output path (no unit reachable after layer '${where}')`;
  if (onCollapse === 'error') {
    throw new InvalidArgumentError(
      `mask['${where}']`,
      'layer collapse',
      'a layer that leaves at least one input→output path',
      {
        fix: "lower the sparsity, use an allocation that keeps every layer (e.g. 'erk') or an iterative schedule, or pass onCollapse: 'warn'",
      },
    );
  }
  if (onCollapse === 'warn') {
    warnings.push(message);
    const warn =
      onWarning ??
      ((msg: string) => {
        if (typeof process !== 'undefined' && process.emitWarning)
          process.emitWarning(msg, 'LayerCollapseWarning');
      });
    warn(message);
  }
}

/** Size, kept count, density and degree summaries of one layer. */
function layerStatistics(name: string, m: BitMatrix, effectiveParams: number | null): LayerStatistics {
  const k = m.nnz();
  const rowS = summarize(m.rowDegrees());
  const colS = summarize(m.colDegrees());
  return {
    name,
    rows: m.rows,
    cols: m.cols,
    size: m.size,
    kept: k,
    density: k / m.size,
    rowDegrees: rowS,
    colDegrees: colS,
    emptyRows: rowS.zeros,
    emptyCols: colS.zeros,
    effectiveParams,
  };
}

/** Statistics of a network mask (see the file header for definitions). */
export function maskStatistics(
  mask: NetworkMask,
  options: MaskStatisticsOptions & { tensorShapes?: ReadonlyMap<string, readonly number[]> } = {},
): MaskStatistics {
  maskShapes(mask);
  const onCollapse = options.onCollapse ?? 'error';
  if (!['error', 'warn', 'ignore'].includes(onCollapse)) {
    throw new InvalidArgumentError('onCollapse', onCollapse, "'error', 'warn' or 'ignore'");
  }
  const names = [...mask.keys()];
  const chain = chainOf(mask, (n) => options.tensorShapes?.get(n), options.inputUnits);
  const warnings: string[] = [];
  let network: NetworkStatistics | null = null;
  let effParams: number[] | null = null;
  if (typeof chain !== 'string') {
    ({ network, effParams } = networkStatistics(mask, names, chain));
    if (network.collapsed) reportCollapse(network.collapsedAt, onCollapse, options.onWarning, warnings);
  }
  const layers = names.map((name, l) =>
    layerStatistics(name, mask.get(name)!, effParams ? effParams[l] : null),
  );
  let total = 0;
  let kept = 0;
  for (const layer of layers) {
    total += layer.size;
    kept += layer.kept;
  }
  return {
    layers,
    total,
    kept,
    density: kept / total,
    network,
    notChainReason: typeof chain === 'string' ? chain : null,
    warnings,
  };
}
