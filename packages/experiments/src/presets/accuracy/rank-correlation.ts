/**
 * Spearman's rank correlation: the Pearson correlation of the ranks, ties given their average rank (the
 * convention of `scipy.stats.spearmanr`). NaN when fewer than 3 pairs or when either side is constant.
 *
 *     ρ = Σ (r_i − r̄)(s_i − s̄) / √(Σ (r_i − r̄)² Σ (s_i − s̄)²)
 *
 * `significant` uses the normal approximation under independence: |ρ| > 1.96 / √(N − 1) (two-sided, ≈ 5 %).
 */

/** Average ranks (1-based) of `values`. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k][1]] = rank;
    start = end + 1;
  }
  return ranks;
}

export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error('spearman: x and y differ in length');
  if (x.length < 3) return Number.NaN;
  const r = averageRanks(x);
  const s = averageRanks(y);
  const mean = (r.length + 1) / 2;
  let num = 0;
  let dr = 0;
  let ds = 0;
  for (let i = 0; i < r.length; i++) {
    num += (r[i] - mean) * (s[i] - mean);
    dr += (r[i] - mean) ** 2;
    ds += (s[i] - mean) ** 2;
  }
  return dr === 0 || ds === 0 ? Number.NaN : num / Math.sqrt(dr * ds);
}

/** Whether |ρ| exceeds the two-sided ≈ 5 % critical value 1.96 / √(N − 1). */
export function significant(rho: number, count: number): boolean {
  return Number.isFinite(rho) && Math.abs(rho) > 1.96 / Math.sqrt(count - 1);
}
