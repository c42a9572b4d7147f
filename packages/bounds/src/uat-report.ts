/**
 * The universal-approximation verdict on active coordinates as one report: `universalApproximationCheck` with
 * S chosen as all active coordinates (column density above the threshold), the K densest active ones (ties
 * within 1e-12 keep input order), or a given list; plus the number of active coordinates and each input's
 * column density.
 *
 * @example
 * const { report } = uatReport({ source: rowBlockGraphon(mask, 32), inputs: 784, width: mask.rows, mask,
 *   threshold: 0.01, coordinates: { kind: 'top', k: 4 }, minNeurons: 32 });
 * report.holds;
 */
import type { BitMatrix } from '@graphon-pai/core';
import { activeCoordinates } from './active-coordinates';
import type { GraphonSource } from './graphon-source';
import { type UatVerdict, universalApproximationCheck } from './uat-condition';

/** Which inputs form S: all active ones, the K densest active ones, or a list of input indices. */
export type CoordinateSpec =
  | { kind: 'active' }
  | { kind: 'top'; k: number }
  | { kind: 'list'; indices: number[] };

export interface UatReport {
  holds: boolean;
  threshold: number;
  /** Number of inputs with column density above the threshold. */
  activeCoordinates: number;
  inputs: number;
  k: number;
  coordinates: number[];
  width: number;
  q: number;
  alpha: number;
  perNeuronLowerBound: number;
  fullyConnectedFraction: number;
  predictedCount: number;
  expectedCount: number;
  /** null when α·q^k = 0 (no finite width suffices). */
  requiredWidth: number | null;
  observedCount: number | null;
  observedZScore: number | null;
  minNeurons: number;
  conditions: { name: string; holds: boolean; value: number; threshold: number; message: string }[];
}

export interface UatInput {
  source: GraphonSource;
  inputs: number;
  width: number;
  mask?: BitMatrix;
  threshold: number;
  coordinates: CoordinateSpec;
  minNeurons: number;
  q?: number;
}

/** `universalApproximationCheck` with the coordinate choice resolved (see the file header). */
export function uatReport(o: UatInput): {
  report: UatReport;
  verdict: UatVerdict;
  columnDensity: Float64Array;
} {
  const act = activeCoordinates(o.source, { inputs: o.inputs, threshold: o.threshold });
  const density = act.density;
  const active = Array.from(act.indices);
  let coordinates: ArrayLike<number> | undefined;
  if (o.coordinates.kind === 'top') {
    // Densest first; densities equal up to rounding (1e-12) count as ties and keep input order.
    const key = (i: number) => Math.round(density[i] * 1e12);
    coordinates = [...active].sort((a, b) => key(b) - key(a) || a - b).slice(0, o.coordinates.k);
  } else if (o.coordinates.kind === 'list') {
    coordinates = o.coordinates.indices;
  }
  const v = universalApproximationCheck(o.source, {
    inputs: o.inputs,
    width: o.width,
    threshold: o.threshold,
    minNeurons: o.minNeurons,
    q: o.q,
    mask: o.mask,
    coordinates,
  });
  const r = v.rectangle;
  return {
    verdict: v,
    columnDensity: density,
    report: {
      holds: v.holds,
      threshold: o.threshold,
      activeCoordinates: active.length,
      inputs: o.inputs,
      k: v.k,
      coordinates: Array.from(v.coordinates),
      width: v.width,
      q: r.q,
      alpha: r.alpha,
      perNeuronLowerBound: r.perNeuronLowerBound,
      fullyConnectedFraction: r.fullyConnectedFraction,
      predictedCount: v.predictedCount,
      expectedCount: v.expectedCount,
      requiredWidth: Number.isFinite(v.requiredWidth) ? v.requiredWidth : null,
      observedCount: v.observedCount ?? null,
      observedZScore:
        v.observedZScore === undefined || !Number.isFinite(v.observedZScore) ? null : v.observedZScore,
      minNeurons: o.minNeurons,
      conditions: v.conditions.map((c) => ({
        name: c.name,
        holds: c.holds,
        value: c.value,
        threshold: c.threshold,
        message: c.message,
      })),
    },
  };
}

