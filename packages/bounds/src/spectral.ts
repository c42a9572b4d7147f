/**
 * Kernel diagnostics: kernel–target alignment, effective rank, and a spectral summary (λ_min, condition
 * number, top-k eigenvalue energy).
 *
 *     alignment A(K, y) = yᵀ K y / (‖K‖_F ‖y‖²)                  (Cristianini et al., NeurIPS 2001, one-sided form)
 *     effective rank    = (tr K)² / ‖K‖_F²  = (Σ λ)² / Σ λ²       (1 ≤ r_eff ≤ m for K ⪰ 0)
 *     top-k energy      = Σ_{j<k} λ_j / Σ_j λ_j                     (fraction of the trace in the k largest eigenvalues)
 *     condition number  = λ_max / λ_min                             (Infinity when λ_min ≤ 0)
 *
 * Alignment, effective rank and top-k energy are scale-free; yᵀK⁻¹y (`generalisationBound`) is not. They
 * also read different ends of the spectrum: alignment is dominated by the top eigenvectors, yᵀK⁻¹y by the
 * smallest eigenvalues, so a kernel can gain alignment and lose on yᵀK⁻¹y at once (README, "Findings").
 *
 * Spectra come from `symmetricEigen` of `@graphon-pai/linalg` (LAPACK `dsyevd` when present) and are
 * tested against numpy's `eigvalsh`. `alignment` and `effectiveRank` need no decomposition (O(m²));
 * `spectralSummary` costs one full symmetric eigen-decomposition (O(m³)).
 *
 * @example
 * kernelTargetAlignment(k, y);          // in [-1, 1]
 * spectralSummary(k, { topK: 5 });      // { lambdaMin, lambdaMax, conditionNumber, effectiveRank, topKEnergy, ... }
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { symmetricEigen } from '@graphon-pai/linalg';
import { checkMatrix, checkPositiveInteger, checkSymmetric, checkVector, type Matrix } from './matrix';

/** yᵀKy / (‖K‖_F ‖y‖²). */
export function kernelTargetAlignment(kernel: Matrix, labels: ArrayLike<number>): number {
  const k = checkMatrix('kernel', kernel, { square: true });
  const m = kernel.rows;
  const y = checkVector('labels', labels, m);
  let quad = 0;
  let fro = 0;
  for (let i = 0; i < m; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) {
      const v = k[i * m + j];
      row += v * y[j];
      fro += v * v;
    }
    quad += y[i] * row;
  }
  let yy = 0;
  for (let i = 0; i < m; i++) yy += y[i] * y[i];
  if (fro === 0 || yy === 0) {
    throw new InvalidArgumentError(
      fro === 0 ? 'kernel' : 'labels',
      'all zeros',
      'a non-zero matrix / vector',
      {
        fix: 'alignment is undefined for a zero kernel or zero labels',
      },
    );
  }
  return quad / (Math.sqrt(fro) * yy);
}

/** (tr K)² / ‖K‖_F². */
export function effectiveRank(kernel: Matrix): number {
  const k = checkMatrix('kernel', kernel, { square: true });
  const m = kernel.rows;
  let tr = 0;
  let fro = 0;
  for (let i = 0; i < m; i++) tr += k[i * m + i];
  for (let i = 0; i < k.length; i++) fro += k[i] * k[i];
  if (fro === 0) throw new InvalidArgumentError('kernel', 'all zeros', 'a non-zero kernel matrix');
  return (tr * tr) / fro;
}

export interface SpectralSummary {
  /** All eigenvalues, descending. */
  readonly eigenvalues: Float64Array;
  readonly lambdaMax: number;
  readonly lambdaMin: number;
  /** λ_max / λ_min, Infinity when λ_min ≤ 0. */
  readonly conditionNumber: number;
  readonly trace: number;
  readonly effectiveRank: number;
  readonly topK: number;
  /** Σ of the topK largest eigenvalues / trace. */
  readonly topKEnergy: number;
}

/** Eigenvalues and derived spectral statistics of a symmetric kernel matrix. */
export function spectralSummary(kernel: Matrix, options: { topK?: number } = {}): SpectralSummary {
  const k = checkMatrix('kernel', kernel, { square: true });
  const m = kernel.rows;
  checkSymmetric('kernel', k, m);
  const topK = Math.min(checkPositiveInteger('options.topK', options.topK ?? 10), m);
  const values = symmetricEigen(k, m).values;
  let trace = 0;
  let sq = 0;
  for (let i = 0; i < m; i++) {
    trace += k[i * m + i];
  }
  for (let i = 0; i < m; i++) sq += values[i] * values[i];
  let top = 0;
  for (let i = 0; i < topK; i++) top += values[i];
  const lambdaMax = values[0];
  const lambdaMin = values[m - 1];
  return {
    eigenvalues: values,
    lambdaMax,
    lambdaMin,
    conditionNumber: lambdaMin > 0 ? lambdaMax / lambdaMin : Number.POSITIVE_INFINITY,
    trace,
    effectiveRank: sq > 0 ? (trace * trace) / sq : 0,
    topK,
    topKEnergy: trace !== 0 ? top / trace : 0,
  };
}
