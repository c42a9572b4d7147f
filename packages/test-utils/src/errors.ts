/** Error measures for comparing a result with a reference array. */

/**
 * `max_i |a_i − b_i| / max_i |b_i|` (the reference's largest magnitude sets the scale; 1 when `b` is all
 * zeros): a relative error that small reference entries cannot inflate.
 */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ reference length ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}
