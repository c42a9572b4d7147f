/**
 * The analytic one-hidden-layer ReLU **Graphon-NTK** Gram matrix of inputs X under a graphon-masked first
 * layer (our reconstruction of Pham, Ta & Tran-Thanh, ICML 2026, arXiv 2602.06675; docs: concepts/graphon-ntk).
 *
 *     Σ_u(x, x') = σ_w² · (1/n_in) Σ_i W(u, v_i) x_i x'_i
 *     K_W(x, x') = ∫_0^1 [ κ0(θ_u) Σ_u(x, x') + κ1(x, x'; u) ] du           (layers = 'both', default)
 *     K_W(x, x') = ∫_0^1 κ0(θ_u) Σ_u(x, x') du                               (layers = 'hidden')
 *     κ0 = (π − θ_u)/(2π),  κ1 = √(Σ_u(x,x) Σ_u(x',x')) (sin θ_u + (π − θ_u) cos θ_u)/(2π),
 *     cos θ_u = Σ_u(x, x') / √(Σ_u(x,x) Σ_u(x',x'))
 *
 * Conventions (normalisation matters for the bound; all stated):
 * - NTK parametrisation `f(x) = (1/√n) Σ_j a_j relu((σ_w/√n_in) Σ_i M_ji ω_ji x_i)`, ω, a ~ N(0, 1), mask
 *   rows drawn from W at neuron position u; the 1/n_in is the **input dimension**, not the kept count
 *   (no density rescaling), so W ≡ c gives the dense NTK with σ_w² replaced by c·σ_w² (tested).
 * - X is samples × inputs (row-major); input i sits at v_i ∈ cell [i/n_in, (i+1)/n_in); a step graphon
 *   contributes its exact cell average, a function graphon its cell-midpoint value (see `rowProfiles`).
 * - Neurons whose Σ_u(x,x) = 0 (empty rows, zero inputs) contribute 0.
 * - A BitMatrix first-layer mask gives its own step graphon: K is then the expectation over the Gaussian
 *   weights of the empirical NTK of that concrete mask (the finite-width target of `empiricalNtk`).
 *
 * Algorithm. The graphon is reduced to K row nodes with weights ω_a and column profiles w_a (exact for step
 * graphons and masks, Gauss–Legendre in u otherwise). Inputs with identical profile columns form G groups
 * (G = number of distinct column blocks for a step graphon), so
 *
 *     Σ_a = (σ_w²/n_in) Σ_g W_ag · X_g X_gᵀ
 *
 * costs one m × n_in × m Gram split by groups plus a K × G × m² combination, both GEMMs of
 * `@graphon-pai/linalg` (OpenBLAS / onnxruntime / JS), tiled over row blocks of the upper triangle so memory
 * stays ≈ 64 MB. When groups do not pay (G·K ≳ n_in·K, e.g. a function graphon), the direct route forms
 * X diag(√w_a) and one syrk-shaped GEMM per node. The arc-cosine pass is one fused float64 loop over the
 * upper triangle (one `acos` and one `sqrt` per entry and node).
 *
 * Complexity: grouped m²(n_in + K·G)/2 multiply-adds + K·m²/2 arc-cosines; direct K·m²·n_in/2.
 *
 * @example
 * const x = { rows: 3, cols: 4, data: Float64Array.from([1, 0, 2, 1, 0, 1, 1, 0, 2, 2, 0, 1]) };
 * graphonNtk(x, StepGraphon.uniformBlocks(2, 2, [0.9, 0.1, 0.5, 0.5]));
 * graphonNtk(x, expressionGraphon('exp(-4*(u-v)^2)'), { rowNodes: 32 }); // @graphon-pai/expressions
 * @see Jacot, Gabriel & Hongler, "Neural Tangent Kernel", NeurIPS 2018 (arXiv 1806.07572);
 *      Cho & Saul, NeurIPS 2009 (arc-cosine kernels); Arora et al. 2019 (arXiv 1901.08584).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import type { GraphonSource } from './graphon-source';
import { arcCosineNtkTerm } from './internal/arc-cosine';
import { checkMatrix, checkNumberIn, type KernelMatrix, type Matrix } from './matrix';
import { type RowProfileOptions, type RowProfiles, rowProfiles } from './quadrature';

export interface GraphonNtkOptions extends RowProfileOptions {
  /** First-layer weight variance σ_w² (default 1). */
  sigmaW2?: number;
  /** 'both' (default): both layers trained; 'hidden': first layer only (the κ0 term). */
  layers?: 'both' | 'hidden';
  /** 'auto' (default) picks by cost; 'grouped' / 'direct' force one route (for tests and benchmarks). */
  method?: 'auto' | 'grouped' | 'direct';
}

/** Graphon-NTK Gram matrix of the rows of `x`; see the file header. */
export function graphonNtk(x: Matrix, graphon: GraphonSource, options: GraphonNtkOptions = {}): KernelMatrix {
  const data = checkMatrix('x', x);
  const profiles = rowProfiles(graphon, x.cols, options);
  return graphonNtkFromProfiles(data, x.rows, x.cols, profiles, options);
}

/** {@link graphonNtk} on precomputed row profiles (reuse them across many input sets). */
export function graphonNtkFromProfiles(
  data: Float64Array,
  rows: number,
  cols: number,
  profiles: RowProfiles,
  options: GraphonNtkOptions = {},
): KernelMatrix {
  const sigmaW2 = checkNumberIn('options.sigmaW2', options.sigmaW2 ?? 1, 0, Number.MAX_VALUE, false, false);
  const layers = options.layers ?? 'both';
  if (layers !== 'both' && layers !== 'hidden') {
    throw new InvalidArgumentError('options.layers', layers, "'both' or 'hidden'");
  }
  checkMatrix('x', { rows, cols, data });
  for (let i = 0; i < profiles.profiles.length; i++) {
    if (!(profiles.profiles[i] >= 0)) {
      throw new InvalidArgumentError(
        'graphon',
        profiles.profiles[i],
        'non-negative values (a graphon, not a signed kernel)',
      );
    }
  }
  if (profiles.inputs !== cols) {
    throw new InvalidArgumentError(
      'profiles.inputs',
      profiles.inputs,
      `the number of input columns (${cols})`,
    );
  }
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'grouped' && method !== 'direct') {
    throw new InvalidArgumentError('options.method', method, "'auto', 'grouped' or 'direct'");
  }
  const both = layers === 'both';
  const m = rows;
  const d = cols;
  const kk = profiles.nodes;
  const scale = sigmaW2 / d;
  const groups = groupColumns(profiles);
  const g = groups.count;
  const useGrouped = method === 'grouped' || (method === 'auto' && g * kk + d < 0.75 * kk * d);

  // Σ_a(x, x) and its square root, per node: from the groups' squared norms (exact, no GEMM rounding).
  const sq = new Float64Array(g * m);
  for (let x = 0; x < m; x++) {
    const row = x * d;
    for (let i = 0; i < d; i++) {
      const gi = groups.of[i];
      if (gi >= 0) sq[gi * m + x] += data[row + i] * data[row + i];
    }
  }
  const diag = new Float64Array(kk * m);
  const norm = new Float64Array(kk * m);
  for (let a = 0; a < kk; a++) {
    for (let gi = 0; gi < g; gi++) {
      const w = groups.values[a * g + gi];
      if (w === 0) continue;
      for (let x = 0; x < m; x++) diag[a * m + x] += w * sq[gi * m + x];
    }
    for (let x = 0; x < m; x++) {
      diag[a * m + x] *= scale;
      norm[a * m + x] = Math.sqrt(diag[a * m + x]);
    }
  }

  const out = new Float64Array(m * m);
  if (g > 0) {
    const route: Route = { data, m, d, profiles, scale, diag, norm, both, out };
    if (useGrouped) groupedRoute(route, groups);
    else directRoute(route);
  }
  for (let r = 0; r < m; r++) for (let c = r + 1; c < m; c++) out[c * m + r] = out[r * m + c];
  return { rows: m, cols: m, data: out };
}

interface ColumnGroups {
  count: number;
  /** Group of each input, −1 when its profile column is all zero (the input is invisible). */
  of: Int32Array;
  /** Members of each group, in input order. */
  members: Uint32Array[];
  /** W_ag: K × G row-major. */
  values: Float64Array;
}

function groupColumns(p: RowProfiles): ColumnGroups {
  const kk = p.nodes;
  const d = p.inputs;
  const of = new Int32Array(d).fill(-1);
  const index = new Map<string, number>();
  const members: number[][] = [];
  const column = new Float64Array(kk);
  for (let i = 0; i < d; i++) {
    let nonzero = false;
    for (let a = 0; a < kk; a++) {
      column[a] = p.profiles[a * d + i];
      if (column[a] !== 0) nonzero = true;
    }
    if (!nonzero) continue;
    const key = Array.prototype.join.call(column, ',');
    let gi = index.get(key);
    if (gi === undefined) {
      gi = members.length;
      index.set(key, gi);
      members.push([]);
    }
    members[gi].push(i);
    of[i] = gi;
  }
  const g = members.length;
  const values = new Float64Array(kk * g);
  for (let gi = 0; gi < g; gi++) {
    const i = members[gi][0];
    for (let a = 0; a < kk; a++) values[a * g + gi] = p.profiles[a * d + i];
  }
  return { count: g, of, members: members.map((ms) => Uint32Array.from(ms)), values };
}

/** Working-set budget (float64 entries) for each of the tile buffers: 8 Mi entries = 64 MiB. */
const TILE_BUDGET = 8 * 1024 * 1024;

/** The inputs both routes read and the upper triangle they accumulate into. */
interface Route {
  /** X (m × d, row-major). */
  data: Float64Array;
  m: number;
  d: number;
  profiles: RowProfiles;
  /** σ_w² / d. */
  scale: number;
  /** Σ_a(x, x) and its square root, node-major (kk × m). */
  diag: Float64Array;
  norm: Float64Array;
  both: boolean;
  out: Float64Array;
}

function groupedRoute(route: Route, groups: ColumnGroups): void {
  const { data, m, d, profiles, scale } = route;
  const kk = profiles.nodes;
  const g = groups.count;
  // Contiguous per-group copies of X's columns, so each group Gram is a plain GEMM.
  const xg: Float64Array[] = groups.members.map((cols) => {
    const dg = cols.length;
    const buf = new Float64Array(m * dg);
    for (let x = 0; x < m; x++) {
      const src = x * d;
      const dst = x * dg;
      for (let q = 0; q < dg; q++) buf[dst + q] = data[src + cols[q]];
    }
    return buf;
  });
  const tile = Math.max(1, Math.min(m, Math.floor(TILE_BUDGET / (Math.max(g, kk) * m))));
  const gram = new Float64Array(g * tile * m);
  const sigma = new Float64Array(kk * tile * m);
  for (let i0 = 0; i0 < m; i0 += tile) {
    const t = Math.min(tile, m - i0);
    const w = m - i0;
    const block = t * w;
    for (let gi = 0; gi < g; gi++) {
      const dg = groups.members[gi].length;
      const a = xg[gi].subarray(i0 * dg, (i0 + t) * dg);
      const b = xg[gi].subarray(i0 * dg, m * dg);
      gemm(false, true, t, w, dg, 1, a, b, 0, gram.subarray(gi * block, (gi + 1) * block));
    }
    gemm(
      false,
      false,
      kk,
      block,
      g,
      scale,
      groups.values,
      gram.subarray(0, g * block),
      0,
      sigma.subarray(0, kk * block),
    );
    for (let a = 0; a < kk; a++) {
      accumulate(route, sigma, a * block, w, i0, t, profiles.weights[a], a * m);
    }
  }
}

function directRoute(route: Route): void {
  const { data, m, d, profiles, scale } = route;
  const kk = profiles.nodes;
  const y = new Float64Array(m * d);
  const root = new Float64Array(d);
  const tile = Math.max(1, Math.min(m, Math.floor(TILE_BUDGET / m)));
  const sigma = new Float64Array(tile * m);
  for (let a = 0; a < kk; a++) {
    const omega = profiles.weights[a];
    if (omega === 0) continue;
    let any = false;
    for (let i = 0; i < d; i++) {
      const w = profiles.profiles[a * d + i];
      if (w < 0)
        throw new InvalidArgumentError('graphon', w, 'non-negative values (a graphon, not a signed kernel)');
      root[i] = Math.sqrt(w);
      if (w !== 0) any = true;
    }
    if (!any) continue;
    for (let x = 0; x < m; x++) for (let i = 0; i < d; i++) y[x * d + i] = data[x * d + i] * root[i];
    for (let i0 = 0; i0 < m; i0 += tile) {
      const t = Math.min(tile, m - i0);
      const w = m - i0;
      gemm(
        false,
        true,
        t,
        w,
        d,
        scale,
        y.subarray(i0 * d, (i0 + t) * d),
        y.subarray(i0 * d, m * d),
        0,
        sigma.subarray(0, t * w),
      );
      accumulate(route, sigma, 0, w, i0, t, omega, a * m);
    }
  }
}

/** out[r][c] += ω · term(Σ_a(r, c)) over the tile's upper triangle; Σ rows start at `base`, width w. */
function accumulate(
  route: Route,
  sigma: Float64Array,
  base: number,
  w: number,
  i0: number,
  t: number,
  omega: number,
  nodeBase: number,
): void {
  const { m, diag, norm, both, out } = route;
  if (omega === 0) return;
  for (let rr = 0; rr < t; rr++) {
    const r = i0 + rr;
    const nr = norm[nodeBase + r];
    if (nr === 0) continue;
    const outRow = r * m;
    const sRow = base + rr * w - i0;
    out[outRow + r] += omega * (both ? diag[nodeBase + r] : diag[nodeBase + r] / 2);
    for (let c = r + 1; c < m; c++) {
      const nn = nr * norm[nodeBase + c];
      if (nn === 0) continue;
      out[outRow + c] += omega * arcCosineNtkTerm(sigma[sRow + c], nn, both);
    }
  }
}
