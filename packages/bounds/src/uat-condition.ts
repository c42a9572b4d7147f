/**
 * The universal-approximation condition on active coordinates (docs: concepts/uat-condition) as a verdict object.
 *
 * Statement (after Pham, Ta & Tran-Thanh, ICML 2026, arXiv 2602.06675): if the limit graphon stays
 * ≥ q > 0 on a rectangle [neurons of measure α] × S, |S| = k, the expected number of hidden neurons
 * connected to all of S is about α·n·q^k; when α·n·q^k → ∞ the pruned layer contains arbitrarily wide
 * dense sub-networks on x_S, hence approximates any continuous function of x_S on compacta (classical UAT
 * for a non-polynomial activation). The width needed grows like q^{−k}, independent of the ambient n_in.
 *
 * At a finite width the asymptotic "→ ∞" becomes a target `minNeurons` (default 32) of fully connected
 * neurons. The verdict lists each condition with its value, threshold and margin:
 *
 * | name                 | holds when                                  | margin               |
 * |----------------------|---------------------------------------------|----------------------|
 * | `active-coordinates` | min_{i∈S} ρ(i) > τ (and S non-empty)        | min ρ − τ            |
 * | `floor-rectangle`    | α · q^k > 0                                 | α · q^k              |
 * | `predicted-count`    | α · n · q^k ≥ minNeurons                    | ratio value/target   |
 * | `observed-count`     | (with a mask) #rows ⊇ S ≥ minNeurons        | ratio value/target   |
 *
 * plus `requiredWidth` = ⌈minNeurons / (α q^k)⌉ and, with a mask, the observed count against the exact
 * expectation n·∫Π w (a binomial z-score, informative only).
 *
 * Complexity: that of `activeCoordinates` + `floorRectangle` (+ `countFullyConnected` with a mask).
 *
 * @example
 * const v = universalApproximationCheck(graphon, { inputs: 784, width: 1024, threshold: 0.05, mask });
 * v.holds; v.conditions.filter((c) => !c.holds);
 */
import { BitMatrix, InvalidArgumentError } from '@graphon-pai/core';
import {
  activeCoordinates,
  countFullyConnected,
  type FloorRectangle,
  floorRectangle,
} from './active-coordinates';
import type { GraphonSource } from './graphon-source';
import { checkNumberIn, checkPositiveInteger } from './matrix';
import type { RowProfileOptions } from './quadrature';

export interface UatOptions extends RowProfileOptions {
  /** Number of inputs (defaults to the mask's or the source mask's columns). */
  inputs?: number;
  /** Hidden width n (defaults to the mask's rows). */
  width?: number;
  /** Column-density threshold τ for active coordinates (default 0.01). */
  threshold?: number;
  /** The coordinate set S (default: all active coordinates). */
  coordinates?: ArrayLike<number>;
  /** Fixed floor q (default: the q maximising α·q^k). */
  q?: number;
  /** Target number of fully connected neurons (default 32). */
  minNeurons?: number;
  /** A concrete first-layer mask (rows = neurons, cols = inputs) to count fully connected neurons in. */
  mask?: BitMatrix;
}

export interface UatCondition {
  readonly name: 'active-coordinates' | 'floor-rectangle' | 'predicted-count' | 'observed-count';
  readonly holds: boolean;
  readonly value: number;
  readonly threshold: number;
  /** value − threshold (densities) or value / threshold (counts); see `marginKind`. */
  readonly margin: number;
  readonly marginKind: 'difference' | 'ratio';
  readonly message: string;
}

export interface UatVerdict {
  readonly holds: boolean;
  readonly conditions: readonly UatCondition[];
  readonly coordinates: Uint32Array;
  readonly k: number;
  readonly width: number;
  readonly rectangle: FloorRectangle;
  /** α · n · q^k. */
  readonly predictedCount: number;
  /** n · ∫ Π_{i∈S} w(u, i) du. */
  readonly expectedCount: number;
  /** ⌈minNeurons / (α q^k)⌉ (Infinity when α q^k = 0). */
  readonly requiredWidth: number;
  readonly observedCount?: number;
  /** (observed − expected) / √(n p (1 − p)), p = expected / n. */
  readonly observedZScore?: number;
}

/** Evaluates the UAT-on-active-coordinates condition; see the file header. */
export function universalApproximationCheck(source: GraphonSource, options: UatOptions = {}): UatVerdict {
  const mask = options.mask;
  if (mask !== undefined && !(mask instanceof BitMatrix))
    throw new InvalidArgumentError('options.mask', mask, 'a BitMatrix');
  const inputs = options.inputs ?? mask?.cols ?? (source instanceof BitMatrix ? source.cols : undefined);
  if (inputs === undefined) {
    throw new InvalidArgumentError('options.inputs', inputs, 'the number of input coordinates', {
      fix: 'pass { inputs: n_in }',
    });
  }
  if (mask && mask.cols !== inputs)
    throw new InvalidArgumentError('options.mask.cols', mask.cols, `inputs (${inputs})`);
  const width = checkPositiveInteger(
    'options.width',
    options.width ?? mask?.rows ?? (source instanceof BitMatrix ? source.rows : undefined),
  );
  const threshold = checkNumberIn('options.threshold', options.threshold ?? 0.01, 0, 1, false, true);
  const minNeurons = checkNumberIn(
    'options.minNeurons',
    options.minNeurons ?? 32,
    0,
    Number.MAX_VALUE,
    true,
    false,
  );
  const active = activeCoordinates(source, { ...options, threshold, inputs });
  const coords = options.coordinates === undefined ? active.indices : options.coordinates;
  const rect = floorRectangle(source, coords, { ...options, inputs });
  const s = rect.coordinates;
  const k = s.length;
  const conditions: UatCondition[] = [];
  let minDensity = Number.POSITIVE_INFINITY;
  for (const i of s) minDensity = Math.min(minDensity, active.density[i]);
  if (k === 0) minDensity = 0;
  conditions.push({
    name: 'active-coordinates',
    holds: k > 0 && minDensity > threshold,
    value: minDensity,
    threshold,
    margin: minDensity - threshold,
    marginKind: 'difference',
    message:
      k === 0
        ? `no coordinate has column density above ${threshold}: the layer sees no input`
        : `the least dense coordinate of S has column density ${fmt(minDensity)} (threshold ${threshold})`,
  });
  const perNeuron = rect.perNeuronLowerBound;
  conditions.push({
    name: 'floor-rectangle',
    holds: perNeuron > 0,
    value: perNeuron,
    threshold: 0,
    margin: perNeuron,
    marginKind: 'difference',
    message: `W ≥ q = ${fmt(rect.q)} on neurons of measure α = ${fmt(rect.alpha)} across all k = ${k} coordinates (α·q^k = ${fmt(perNeuron)})`,
  });
  const predicted = width * perNeuron;
  conditions.push({
    name: 'predicted-count',
    holds: predicted >= minNeurons,
    value: predicted,
    threshold: minNeurons,
    margin: predicted / minNeurons,
    marginKind: 'ratio',
    message: `α·n·q^k = ${fmt(predicted)} predicted fully connected neurons at width n = ${width} (target ${minNeurons})`,
  });
  const expectedCount = width * rect.fullyConnectedFraction;
  let observedCount: number | undefined;
  let observedZScore: number | undefined;
  if (mask) {
    observedCount = countFullyConnected(mask, s);
    const p = rect.fullyConnectedFraction;
    const sd = Math.sqrt(width * p * (1 - p));
    observedZScore =
      sd > 0
        ? (observedCount - expectedCount) / sd
        : observedCount === expectedCount
          ? 0
          : Number.POSITIVE_INFINITY;
    conditions.push({
      name: 'observed-count',
      holds: observedCount >= minNeurons,
      value: observedCount,
      threshold: minNeurons,
      margin: observedCount / minNeurons,
      marginKind: 'ratio',
      message: `${observedCount} neurons of the mask connect to all of S (expected ${fmt(expectedCount)}, target ${minNeurons})`,
    });
  }
  return {
    holds: conditions.every((c) => c.holds),
    conditions,
    coordinates: s,
    k,
    width,
    rectangle: rect,
    predictedCount: predicted,
    expectedCount,
    requiredWidth: perNeuron > 0 ? Math.ceil(minNeurons / perNeuron) : Number.POSITIVE_INFINITY,
    observedCount,
    observedZScore,
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}
