/** Slow, obviously-correct references used by the tests (float64, full stable sorts, brute force). */
import { BitMatrix, type LayerShape, type NetworkMask, type ScoreMap } from '@graphon-pai/core';

/** Sort key of a float score under the 'rank' policy: NaN lowest; −0 equals +0. */
function rankValue(x: number): number {
  return Number.isNaN(x) ? -Infinity - 0 : x;
}

/**
 * Reference top-k: a stable descending sort over the global order (layer order, row-major), first k kept.
 * NaN sorts below −∞ (compared with an explicit flag), and entries outside `within` are not candidates.
 */
export function referenceTopK(scores: ScoreMap, k: number, within?: NetworkMask): NetworkMask {
  return referenceRanking(scores, within)(k);
}

/** The stable ranking once; returns a function k → mask (for many k on one input). */
export function referenceRanking(scores: ScoreMap, within?: NetworkMask): (k: number) => NetworkMask {
  const layerOf: string[] = [];
  const idx: number[] = [];
  const val: number[] = [];
  const nan: boolean[] = [];
  for (const [name, { shape, scores: s }] of scores) {
    const w = within?.get(name);
    for (let i = 0; i < s.length; i++) {
      const r = Math.floor(i / shape.cols);
      if (w && !w.get(r, i - r * shape.cols)) continue;
      layerOf.push(name);
      idx.push(i);
      val.push(rankValue(s[i]));
      nan.push(Number.isNaN(s[i]));
    }
  }
  // Entries are pushed in global order, so the position itself is the global index (stable tie-break).
  const order = Array.from({ length: idx.length }, (_, i) => i);
  order.sort((a, b) => {
    if (nan[a] !== nan[b]) return nan[a] ? 1 : -1;
    if (val[a] !== val[b]) return val[b] - val[a] > 0 ? 1 : -1;
    return a - b;
  });
  return (k: number) => {
    const out: NetworkMask = new Map();
    for (const [name, { shape }] of scores) out.set(name, new BitMatrix(shape.rows, shape.cols));
    for (let i = 0; i < k; i++) {
      const e = order[i];
      const m = out.get(layerOf[e])!;
      const r = Math.floor(idx[e] / m.cols);
      m.set(r, idx[e] - r * m.cols);
    }
    return out;
  };
}

export function makeScores(layers: [string, LayerShape, ArrayLike<number>][]): ScoreMap {
  return new Map(layers.map(([name, shape, values]) => [name, { shape, scores: Float32Array.from(values) }]));
}

export function masksEqual(a: NetworkMask, b: NetworkMask): boolean {
  if (a.size !== b.size) return false;
  for (const [name, m] of a) {
    const o = b.get(name);
    if (!o || !m.equals(o)) return false;
  }
  return true;
}

export function totalNnz(mask: NetworkMask): number {
  let n = 0;
  for (const m of mask.values()) n += m.nnz();
  return n;
}
