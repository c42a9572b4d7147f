/** Layer shapes of a score map or mask, validated (every layer non-empty, lengths consistent). */
import {
  InvalidArgumentError,
  type LayerShape,
  type NetworkMask,
  type ScoreMap,
  scoreMapSize,
} from '@graphon-pai/core';

/** Throws unless `scores` is a non-empty ScoreMap with consistent lengths; returns its total weight count. */
export function checkScores(scores: ScoreMap): number {
  if (!(scores instanceof Map) || scores.size === 0) {
    throw new InvalidArgumentError(
      'scores',
      scores,
      'a non-empty ScoreMap (Map of layer name → {shape, scores})',
      {
        fix: 'score the network first, e.g. with a criterion from @graphon-pai/saliency',
      },
    );
  }
  return scoreMapSize(scores);
}

export function scoreShapes(scores: ScoreMap): Map<string, LayerShape> {
  checkScores(scores);
  return new Map([...scores].map(([name, l]) => [name, l.shape]));
}

export function maskShapes(mask: NetworkMask, argument = 'mask'): Map<string, LayerShape> {
  if (!(mask instanceof Map) || mask.size === 0) {
    throw new InvalidArgumentError(argument, mask, 'a non-empty NetworkMask (Map of layer name → BitMatrix)');
  }
  const out = new Map<string, LayerShape>();
  for (const [name, m] of mask) {
    if (!(m && typeof m.rows === 'number' && m.words instanceof Uint32Array)) {
      throw new InvalidArgumentError(`${argument}['${name}']`, m, 'a BitMatrix');
    }
    if (m.rows === 0 || m.cols === 0) {
      throw new InvalidArgumentError(`${argument}['${name}']`, `${m.rows} × ${m.cols}`, 'a non-empty layer', {
        fix: 'remove empty layers from the mask',
      });
    }
    out.set(name, { rows: m.rows, cols: m.cols });
  }
  return out;
}
