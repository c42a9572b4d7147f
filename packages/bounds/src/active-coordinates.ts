/**
 * Active input coordinates, the largest floor rectangle, and fully connected neurons (docs: concepts/uat-condition).
 *
 * - **Active coordinates**: inputs whose column density ρ(i) (see `pathDensity`) is strictly above a
 *   threshold τ. Inputs with ρ → 0 are invisible to the network.
 * - **Floor rectangle** on a coordinate set S (|S| = k): with m(u) = min_{i∈S} w(u, i), the rectangle
 *   {u : m(u) ≥ q} × S has neuron measure α(q) = |{u : m(u) ≥ q}|, and W ≥ q on it. Without a given q the
 *   floor maximising α(q)·q^k is chosen among the row minima (ties: larger α). Each neuron in the rectangle
 *   connects to all of S with probability ≥ q^k, so the expected number of hidden neurons fully connected
 *   to S in a width-n layer is ≥ α·n·q^k. The exact expectation under independent edges,
 *   n·∫ Π_{i∈S} w(u, i) du, is reported as well (`fullyConnectedFraction`).
 * - **Fully connected count** in a concrete mask: rows j with M_ji = 1 for every i ∈ S (word-parallel).
 *
 * Measures are exact for step graphons and masks; for a function graphon they use a midpoint grid of
 * `rowNodes` (default 1024) neuron positions, input values at cell midpoints.
 *
 * Complexity: O(K·n_in) for the densities (K row nodes), O(K·k + K²) for the floor search,
 * O(rows · ⌈k/32⌉ words) for the fully connected count.
 *
 * @example
 * const act = activeCoordinates(graphon, { inputs: 784, threshold: 0.05 });
 * const rect = floorRectangle(graphon, act.indices.slice(0, 3), { inputs: 784 });
 * countFullyConnected(mask, act.indices.slice(0, 3));
 */
import { BitMatrix, InvalidArgumentError } from '@graphon-pai/core';
import type { GraphonSource } from './graphon-source';
import { checkNumberIn } from './matrix';
import { pathDensity } from './path-density';
import { type RowProfileOptions, rowProfiles } from './quadrature';

export interface ActiveCoordinateOptions extends RowProfileOptions {
  /** Column-density threshold τ in [0, 1): inputs with ρ(i) > τ are active. */
  threshold: number;
  /** Number of inputs (required unless the source is a BitMatrix). */
  inputs?: number;
}

export interface ActiveCoordinates {
  /** Active inputs, increasing. */
  readonly indices: Uint32Array;
  /** ρ(i) for every input. */
  readonly density: Float64Array;
  readonly threshold: number;
}

/** Inputs whose column density exceeds the threshold. */
export function activeCoordinates(
  source: GraphonSource,
  options: ActiveCoordinateOptions,
): ActiveCoordinates {
  const threshold = checkNumberIn('options.threshold', options?.threshold, 0, 1, false, true);
  const density = pathDensity(source, options.inputs, options);
  const idx: number[] = [];
  for (let i = 0; i < density.length; i++) if (density[i] > threshold) idx.push(i);
  return { indices: Uint32Array.from(idx), density, threshold };
}

export interface FloorRectangleOptions extends RowProfileOptions {
  /** Number of inputs (required unless the source is a BitMatrix). */
  inputs?: number;
  /** A fixed floor q in (0, 1]; omitted = the q maximising α·q^k. */
  q?: number;
}

export interface FloorRectangle {
  readonly coordinates: Uint32Array;
  readonly k: number;
  /** The floor q (0 when no neuron sees all of S). */
  readonly q: number;
  /** Neuron measure α of the rectangle. */
  readonly alpha: number;
  /** α · q^k: lower bound on the fraction of neurons fully connected to S. */
  readonly perNeuronLowerBound: number;
  /** ∫ Π_{i∈S} w(u, i) du: the exact expected fraction under independent edges. */
  readonly fullyConnectedFraction: number;
}

/** The largest floor rectangle on coordinate set S; see the file header. */
export function floorRectangle(
  source: GraphonSource,
  coordinates: ArrayLike<number>,
  options: FloorRectangleOptions = {},
): FloorRectangle {
  const d = source instanceof BitMatrix ? source.cols : options.inputs;
  if (d === undefined) {
    throw new InvalidArgumentError('options.inputs', d, 'the number of input coordinates', {
      fix: 'pass { inputs: n_in }',
    });
  }
  const s = checkCoordinates(coordinates, d);
  const k = s.length;
  const p = rowProfiles(source, d, { rowQuadrature: 'midpoint', rowNodes: 1024, ...options });
  const mins = new Float64Array(p.nodes);
  let full = 0;
  for (let a = 0; a < p.nodes; a++) {
    let mn = 1;
    let prod = 1;
    for (let q = 0; q < k; q++) {
      const w = p.profiles[a * d + s[q]];
      if (w < mn) mn = w;
      prod *= w;
    }
    mins[a] = mn;
    full += p.weights[a] * prod;
  }
  const measureAbove = (q: number): number => {
    let alpha = 0;
    for (let a = 0; a < p.nodes; a++) if (mins[a] >= q) alpha += p.weights[a];
    return alpha;
  };
  let q: number;
  let alpha: number;
  if (options.q !== undefined) {
    q = checkNumberIn('options.q', options.q, 0, 1, true, false);
    alpha = measureAbove(q);
  } else {
    q = 0;
    alpha = 0;
    let best = 0;
    for (const cand of new Set(mins)) {
      if (!(cand > 0)) continue;
      const al = measureAbove(cand);
      const score = al * cand ** k;
      if (score > best || (score === best && al > alpha)) {
        best = score;
        q = cand;
        alpha = al;
      }
    }
  }
  return {
    coordinates: s,
    k,
    q,
    alpha,
    perNeuronLowerBound: alpha * q ** k,
    fullyConnectedFraction: full,
  };
}

/** Number of rows (hidden neurons) of `mask` connected to every input in S. */
export function countFullyConnected(mask: BitMatrix, coordinates: ArrayLike<number>): number {
  if (!(mask instanceof BitMatrix))
    throw new InvalidArgumentError('mask', mask, 'a BitMatrix (rows = neurons, cols = inputs)');
  const s = checkCoordinates(coordinates, mask.cols);
  const want = new Uint32Array(mask.wordsPerRow);
  for (const i of s) want[i >>> 5] |= 1 << (i & 31);
  const used: number[] = [];
  for (let w = 0; w < want.length; w++) if (want[w] !== 0) used.push(w);
  let count = 0;
  const words = mask.words;
  for (let r = 0; r < mask.rows; r++) {
    const base = r * mask.wordsPerRow;
    let ok = true;
    for (const w of used) {
      if ((words[base + w] & want[w]) >>> 0 !== want[w]) {
        ok = false;
        break;
      }
    }
    if (ok) count++;
  }
  return count;
}

export function checkCoordinates(coordinates: ArrayLike<number>, inputs: number): Uint32Array {
  if (!coordinates || typeof coordinates.length !== 'number') {
    throw new InvalidArgumentError('coordinates', coordinates, 'an array of input indices');
  }
  const seen = new Set<number>();
  for (let q = 0; q < coordinates.length; q++) {
    const i = coordinates[q];
    if (!(Number.isInteger(i) && i >= 0 && i < inputs)) {
      throw new InvalidArgumentError(`coordinates[${q}]`, i, `an input index in [0, ${inputs})`);
    }
    seen.add(i);
  }
  return Uint32Array.from(Array.from(seen).sort((x, y) => x - y));
}
