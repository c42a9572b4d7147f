/**
 * The homogeneity test of the PaI taxonomy: is a mask's canonical graphon within sampling noise of the
 * constant graphon p? Random and magnitude pruning give homogeneous masks, data-driven criteria heterogeneous
 * ones (Pham, Ta, Tran-Thanh, ICML 2026, arXiv 2602.06675).
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
 * The null replicates depend only on (rows, cols, kept, p, K, L, B, seed), so they are computed once per
 * such key and process and shared by every mask tested with it (a memo of at most 64 keys). Replicate b is
 * the exact-count uniform mask drawn by selection sampling from `Rng('homogeneity-null/<seed>/<b>')
 * .fork('global')` (the stream `@graphon-pai/masks`' `uniformRandomMask` draws for a one-layer global scope).
 * `statistics` replaces the two statistics by others read on the same masks (e.g. on a convolution mask's
 * channel graph); its `name` joins the memo key.
 *
 * @example
 * const t = homogeneityTest(mask, { density: 0.1, rowBlocks: 32, colBlocks: 28, replicates: 99, alpha: 0.05, seed: 0 });
 * t.verdict; // 'homogeneous' | 'heterogeneous', with t.pValue
 */
import { BitMatrix, InvalidArgumentError, Rng, StepGraphon, selectionSample } from '@graphon-pai/core';
import { canonicalStepGraphon } from '@graphon-pai/graphon';
import { difference } from './cut-input';
import { cutNorm } from './cut-norm';

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
  /** The density p of the constant graphon the mask is compared with (its kept fraction). */
  density: number;
  /** Resolution K × L of the canonical block histogram. */
  rowBlocks: number;
  colBlocks: number;
  /** B, the number of null replicates. */
  replicates: number;
  /** Level of the verdict. */
  alpha: number;
  /** Seed of the null masks and of the cut searches. */
  seed: number;
  /**
   * Other statistics of a mask (both larger = less homogeneous), e.g. read on a convolution mask's channel
   * graph; `name` identifies them in the memo of null replicates. Default: {@link homogeneityStatistics}.
   */
  statistics?: { name: string; of(mask: BitMatrix): HomogeneityStatistics };
}

/**
 * The Monte Carlo p-value `(1 + #{T_b ≥ T}) / (B + 1)` of a one-sided test (Davison & Hinkley 1997, eq. 4.11),
 * never 0.
 */
export function bootstrapPValue(observed: number, replicates: readonly number[]): number {
  let atLeast = 0;
  for (const t of replicates) if (t >= observed) atLeast++;
  return (1 + atLeast) / (replicates.length + 1);
}

function checkOptions(mask: BitMatrix, o: HomogeneityOptions): void {
  if (!(mask instanceof BitMatrix)) throw new InvalidArgumentError('mask', mask, 'a BitMatrix');
  if (!(o.density > 0 && o.density <= 1)) {
    throw new InvalidArgumentError('density', o.density, 'a kept fraction in (0, 1]');
  }
  const int = (name: string, v: number, max: number) => {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) {
      throw new InvalidArgumentError(name, v, `an integer in [1, ${max}]`);
    }
  };
  int('rowBlocks', o.rowBlocks, mask.rows);
  int('colBlocks', o.colBlocks, mask.cols);
  int('replicates', o.replicates, 1_000_000);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new InvalidArgumentError('alpha', o.alpha, 'a number in (0, 1)');
  const least = minimumReplicates(o.alpha);
  if (o.replicates < least) {
    throw new InvalidArgumentError('replicates', o.replicates, `at least ${least} at level ${o.alpha}`, {
      fix: 'the smallest p-value is 2 / (B + 1), so fewer replicates could never reject homogeneity',
    });
  }
}

/** The fewest replicates B at which the test can reject at level `alpha`: 2 / (B + 1) < alpha. */
export function minimumReplicates(alpha: number): number {
  let b = Math.max(1, Math.floor(2 / alpha) - 1);
  while (2 / (b + 1) >= alpha) b++; // exact in the same float arithmetic the verdict uses
  return b;
}

function sd(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  const mean = s / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/** The kept counts of a graph's rows and columns, and how many cells each row (column) count is over. */
export interface KeptCounts {
  rows: ArrayLike<number>;
  cols: ArrayLike<number>;
  cellsPerRow: number;
  cellsPerCol: number;
}

/**
 * The two statistics of any bipartite graph at density p from its canonical step graphon `h` and its kept
 * counts: ‖h − p‖_□ (seeded local search, a lower bound) and the larger of the row and column count
 * dispersions relative to the binomial standard deviation √(cells · p(1−p)).
 */
export function homogeneityStatisticsOf(
  h: StepGraphon,
  counts: KeptCounts,
  density: number,
  seed: number,
): HomogeneityStatistics {
  const p = density;
  const cut = cutNorm(difference(h, StepGraphon.constant(p)), { method: 'local', seed }).lowerBound;
  const binomial = (n: number) => Math.sqrt(n * p * (1 - p)) || 1;
  const dispersion = Math.max(
    sd(counts.rows) / binomial(counts.cellsPerRow),
    sd(counts.cols) / binomial(counts.cellsPerCol),
  );
  return { cut, dispersion };
}

/** The two statistics of a mask (see the file header). */
export function homogeneityStatistics(
  mask: BitMatrix,
  o: Omit<HomogeneityOptions, 'replicates' | 'alpha'>,
): HomogeneityStatistics {
  const h = canonicalStepGraphon(mask, { rowBlocks: o.rowBlocks, colBlocks: o.colBlocks });
  const counts = {
    rows: mask.rowDegrees(),
    cols: mask.colDegrees(),
    cellsPerRow: mask.cols,
    cellsPerCol: mask.rows,
  };
  return homogeneityStatisticsOf(h, counts, o.density, o.seed);
}

const nullCache = new Map<string, HomogeneityStatistics[]>();

function nullReplicates(
  rows: number,
  cols: number,
  kept: number,
  o: HomogeneityOptions,
): HomogeneityStatistics[] {
  const key = JSON.stringify([
    rows,
    cols,
    kept,
    o.density,
    o.rowBlocks,
    o.colBlocks,
    o.replicates,
    o.seed,
    o.statistics?.name ?? null,
  ]);
  const statistics = o.statistics?.of ?? ((m: BitMatrix) => homogeneityStatistics(m, o));
  let cached = nullCache.get(key);
  if (!cached) {
    cached = [];
    for (let b = 0; b < o.replicates; b++) {
      const m = new BitMatrix(rows, cols);
      selectionSample(
        m,
        { need: kept, left: m.size },
        new Rng(`homogeneity-null/${o.seed}/${b}`).fork('global'),
      );
      cached.push(statistics(m));
    }
    if (nullCache.size >= 64) nullCache.delete(nullCache.keys().next().value as string);
    nullCache.set(key, cached);
  }
  return cached;
}

/** Tests whether `mask` is homogeneous at density `o.density` (see the file header). */
export function homogeneityTest(mask: BitMatrix, o: HomogeneityOptions): HomogeneityTest {
  checkOptions(mask, o);
  const observed = o.statistics ? o.statistics.of(mask) : homogeneityStatistics(mask, o);
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
