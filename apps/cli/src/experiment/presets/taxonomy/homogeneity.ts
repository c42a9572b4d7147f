/**
 * The homogeneity test of the taxonomy (theory.md §4): is a mask's canonical graphon within sampling noise
 * of the constant graphon p?
 *
 * Statistics of a rows × cols mask M at density p:
 *
 * - `cut`: T_□ = ‖H_M − p‖_□, the cut norm (best cut found by multi-start local search, a lower bound; the same
 *   procedure is applied to every replicate, so the test is calibrated) of the canonical K × L block
 *   histogram H_M minus the constant p;
 * - `dispersion`: T_deg = max(sd(row degrees)/√(cols·p(1−p)), sd(col degrees)/√(rows·p(1−p))), the larger of
 *   the row and column degree dispersions relative to the binomial standard deviation (≈ 1 under the null).
 *
 * Null: B independent uniformly random masks of the same shape **and the same kept count** (Bernoulli(p)
 * masks conditioned on their count: every mask here has an exact count, and an unconditioned Bernoulli null
 * would add the fluctuation of the total to both statistics and make the test conservative). Each statistic
 * gets the Monte Carlo p-value (1 + #{T_b ≥ T}) / (B + 1); the reported p-value is the Bonferroni
 * combination min(1, 2 · min(p_□, p_deg)). Verdict: `heterogeneous` when it is below α, else `homogeneous`.
 * The null replicates depend only on (rows, cols, kept, K, L, B, seed), so they are computed once per shape
 * and shared by every criterion.
 */
import type { BitMatrix } from '@graphon-pai/core';
import { StepGraphon } from '@graphon-pai/core';
import { cutNorm, difference } from '@graphon-pai/cut-distance';
import { canonicalStepGraphon } from '@graphon-pai/graphon';
import { uniformRandomMask } from '@graphon-pai/masks';
import { bootstrapPValue } from '../../stats';

export interface HomogeneityStatistics {
  cut: number;
  dispersion: number;
}

export interface HomogeneityTest extends HomogeneityStatistics {
  pCut: number;
  pDispersion: number;
  /** Bonferroni-combined p-value. */
  pValue: number;
  replicates: number;
  verdict: 'homogeneous' | 'heterogeneous';
}

export interface HomogeneityOptions {
  density: number;
  rowBlocks: number;
  colBlocks: number;
  replicates: number;
  alpha: number;
  seed: number;
}

function sd(values: Uint32Array): number {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

export function homogeneityStatistics(mask: BitMatrix, o: Omit<HomogeneityOptions, 'replicates' | 'alpha'>) {
  const p = o.density;
  const h = canonicalStepGraphon(mask, { rowBlocks: o.rowBlocks, colBlocks: o.colBlocks });
  const cut = cutNorm(difference(h, StepGraphon.constant(p)), { method: 'local', seed: o.seed }).lowerBound;
  const binomial = (n: number) => Math.sqrt(n * p * (1 - p)) || 1;
  const dispersion = Math.max(sd(mask.rowDegrees()) / binomial(mask.cols), sd(mask.colDegrees()) / binomial(mask.rows));
  return { cut, dispersion };
}

const nullCache = new Map<string, HomogeneityStatistics[]>();

function nullReplicates(rows: number, cols: number, kept: number, o: HomogeneityOptions): HomogeneityStatistics[] {
  const key = JSON.stringify([rows, cols, kept, o.density, o.rowBlocks, o.colBlocks, o.replicates, o.seed]);
  let cached = nullCache.get(key);
  if (!cached) {
    cached = [];
    for (let b = 0; b < o.replicates; b++) {
      const m = uniformRandomMask(new Map([['layer', { rows, cols }]]), {
        density: kept / (rows * cols),
        seed: `homogeneity-null/${o.seed}/${b}`,
      }).get('layer')!;
      cached.push(homogeneityStatistics(m, o));
    }
    nullCache.set(key, cached);
  }
  return cached;
}

export function homogeneityTest(mask: BitMatrix, o: HomogeneityOptions): HomogeneityTest {
  const observed = homogeneityStatistics(mask, o);
  const replicates = nullReplicates(mask.rows, mask.cols, mask.nnz(), o);
  const pCut = bootstrapPValue(
    observed.cut,
    replicates.map((r) => r.cut),
  );
  const pDispersion = bootstrapPValue(
    observed.dispersion,
    replicates.map((r) => r.dispersion),
  );
  const pValue = Math.min(1, 2 * Math.min(pCut, pDispersion));
  return {
    ...observed,
    pCut,
    pDispersion,
    pValue,
    replicates: replicates.length,
    verdict: pValue < o.alpha ? 'heterogeneous' : 'homogeneous',
  };
}
