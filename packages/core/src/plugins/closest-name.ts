/**
 * "Did you mean …?" suggestions: the candidate with the smallest Levenshtein distance, if it is close
 * enough (distance ≤ max(2, ⌊len/3⌋)); ties go to the first candidate. O(|a|·|b|) per candidate.
 */
export function closestName(query: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(query, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(query.length / 3)) ? best : undefined;
}

/** Edit distance (insertions, deletions, substitutions) with one row of memory. */
export function levenshtein(a: string, b: string): number {
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}
