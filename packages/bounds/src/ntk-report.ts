/**
 * One report of what the theory ties to generalisation for a graphon on a binary task: the Graphon-NTK
 * (`graphonNtk`), the kernel–target alignment yᵀKy / (‖K‖_F ‖y‖²), the spectrum of K (λ_min, λ_max, condition
 * number, effective rank (tr K)²/‖K‖_F², top-k energy), its scale tr K / m, and the Arora et al. (2019)
 * generalisation bound with an explicit ridge (`generalisationBound`).
 *
 * "λ_min ≤ 0 numerically" is refused before the bound: entries of K carry an error of order √ε·λ_max, not
 * ε·λ_max, because the arc-cosine terms take acos(cos θ) near θ = 0, where δθ ≈ √(2 δ cos θ) (duplicate samples
 * give θ ≈ 1e-8 instead of 0). A λ_min + ridge below √ε·λ_max is not resolved, and yᵀ(K + λI)⁻¹y would be
 * rounding error amplified: the error's fix suggests a ridge of 1e-6 · the mean diagonal.
 *
 * @example
 * const r = graphonNtkReport(rowBlockGraphon(mask, 32), task, { layers: 'both', sigmaW2: 1, delta: 0.05, ridge: 0, topK: 10 });
 * r.bound.bound; r.alignment;
 */
import { NumericalError } from '@graphon-pai/core';
import { generalisationBound } from './generalisation-bound';
import { graphonNtk } from './graphon-ntk';
import type { GraphonSource } from './graphon-source';
import { kernelTargetAlignment, spectralSummary } from './spectral';

export interface NtkReportOptions {
  /** Trained layers: both, or the hidden layer only (Arora et al.'s H^∞). */
  layers: 'both' | 'hidden';
  /** σ_w², the first layer's weight variance. */
  sigmaW2: number;
  /** Failure probability δ of the bound. */
  delta: number;
  /** Explicit ridge λ: the bound is for K + λI (0 for none). */
  ridge: number;
  /** k of the top-k eigen energy. */
  topK: number;
  /** How the fix of a not-positive-definite kernel names the ridge (default `ridge`; the CLI says `--ridge`). */
  ridgeName?: string;
}

/** Samples (rows of x) and their ±1 labels. */
export interface NtkTask {
  x: { rows: number; cols: number; data: Float64Array };
  y: Float64Array;
}

export interface NtkReport {
  layers: 'both' | 'hidden';
  sigmaW2: number;
  samples: number;
  /** tr K / m: the kernel's scale (yᵀK⁻¹y scales as its inverse). */
  traceOverM: number;
  alignment: number;
  effectiveRank: number;
  /** Spectrum of K itself (without the ridge). */
  lambdaMin: number;
  lambdaMax: number;
  /** null when λ_min ≤ 0. */
  conditionNumber: number | null;
  topK: number;
  topKEnergy: number;
  bound: {
    delta: number;
    ridge: number;
    quadraticForm: number;
    leadingTerm: number;
    /** λ_min(K + ridge·I), used in the confidence term. */
    lambdaMin: number;
    confidenceTerm: number;
    confidenceConstant: number;
    bound: number;
    /** True when the bound is at least 1: it then says nothing about the 0–1 error. */
    vacuous: boolean;
    reference: string;
  };
}

/** Graphon-NTK, alignment, spectrum and the generalisation bound (see the file header). */
export function graphonNtkReport(source: GraphonSource, task: NtkTask, o: NtkReportOptions): NtkReport {
  const k = graphonNtk(task.x, source, { layers: o.layers, sigmaW2: o.sigmaW2 });
  const m = k.rows;
  const spectrum = spectralSummary(k, { topK: o.topK });
  const alignment = kernelTargetAlignment(k, task.y);
  const suggested = Math.max((1e-6 * spectrum.trace) / m, Number.MIN_VALUE);
  const notPositiveDefinite = (cause?: unknown) =>
    new NumericalError(
      `the Graphon-NTK on these ${m} samples is not positive definite${o.ridge > 0 ? ` even with --ridge ${o.ridge}` : ''} (λ_min = ${spectrum.lambdaMin.toPrecision(4)}); the bound needs λ_min > 0 and is never computed with a pseudo-inverse`,
      {
        fix: `pass an explicit ridge, e.g. ${o.ridgeName ?? 'ridge'} ${suggested.toPrecision(2)} (1e-6 · mean diagonal; the bound is then for K + λI), or remove duplicate samples`,
        cause,
      },
    );
  // λ_min below √ε·λ_max is not resolved (see the file header).
  if (!(spectrum.lambdaMin + o.ridge > Math.sqrt(Number.EPSILON) * spectrum.lambdaMax))
    throw notPositiveDefinite();
  let b: ReturnType<typeof generalisationBound>;
  try {
    b = generalisationBound(k, task.y, { delta: o.delta, ridge: o.ridge });
  } catch (error) {
    if (error instanceof NumericalError) throw notPositiveDefinite(error);
    throw error;
  }
  return {
    layers: o.layers,
    sigmaW2: o.sigmaW2,
    samples: m,
    traceOverM: spectrum.trace / m,
    alignment,
    effectiveRank: spectrum.effectiveRank,
    lambdaMin: spectrum.lambdaMin,
    lambdaMax: spectrum.lambdaMax,
    conditionNumber: Number.isFinite(spectrum.conditionNumber) ? spectrum.conditionNumber : null,
    topK: spectrum.topK,
    topKEnergy: spectrum.topKEnergy,
    bound: {
      delta: b.delta,
      ridge: b.ridge,
      quadraticForm: b.quadraticForm,
      leadingTerm: b.leadingTerm,
      lambdaMin: b.lambdaMin,
      confidenceTerm: b.confidenceTerm,
      confidenceConstant: b.confidenceConstant,
      bound: b.bound,
      vacuous: b.bound >= 1,
      reference: b.reference,
    },
  };
}
