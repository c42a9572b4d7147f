/**
 * Masks drawn from the Factorised Saliency Model itself: the finite-width counterpart of {@link fsmLimit}.
 *
 * `A_j ~ F_A` (rows), `B_i ~ F_B` (columns), `ξ_ji ~ F_ξ` i.i.d., scores `s_ji = φ(A_j, B_i, ξ_ji)`, and the
 * mask keeps exactly `k = round(density · rows · cols)` largest scores (scores rounded to float32 as in a
 * `ScoreMap`; ties at the threshold kept in row-major order). Streams: `rng.fork('rows')`, `fork('cols')`,
 * `fork('noise')`. The noise stream is regenerated in three passes (histogram top-k), so memory stays at
 * the bit-packed mask plus the factors: a 16384 × 16384 draw needs 32 MiB.
 *
 * Complexity: 3 · rows · cols noise draws.
 *
 * @example
 * const { mask } = sampleFsmMask({ rowFactor: 'half-normal', colFactor: 'half-normal', noise: 'half-normal' }, 1024, 1024, { density: 0.1, seed: 3 });
 * mask.nnz(); // 104858
 */
import {
  type BitMatrix,
  checkDensity,
  checkPositiveInteger,
  InvalidArgumentError,
  Rng,
  type Seed,
} from '@graphon-pai/core';
import { type FsmModel, resolveFsm } from './fsm';
import { floatKey, topKMask } from './internal/top-k';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { round } = Math;

export interface FsmSample {
  readonly mask: BitMatrix;
  readonly rowFactors: Float64Array;
  readonly colFactors: Float64Array;
}

export function sampleFsmMask(
  model: FsmModel,
  rows: number,
  cols: number,
  options: { density: number; seed: Seed },
): FsmSample {
  for (const [name, v] of [
    ['rows', rows],
    ['cols', cols],
  ] as const)
    checkPositiveInteger(name, v);
  const density = checkDensity(options?.density, 'options.density', { open: true });
  if (options.seed === undefined)
    throw new InvalidArgumentError('options.seed', undefined, 'a seed (number or string)');
  const m = resolveFsm(model);
  const rng = new Rng(options.seed);
  const rowRng = rng.fork('rows');
  const colRng = rng.fork('cols');
  const rowFactors = new Float64Array(rows);
  const colFactors = new Float64Array(cols);
  for (let j = 0; j < rows; j++) rowFactors[j] = m.rowFactor.sample(rowRng);
  for (let i = 0; i < cols; i++) colFactors[i] = m.colFactor.sample(colRng);
  const { noise, link } = m;
  const generate = (visit: (r: number, c: number, key: number) => void) => {
    const noiseRng = rng.fork('noise');
    for (let j = 0; j < rows; j++) {
      const a = rowFactors[j];
      for (let i = 0; i < cols; i++)
        visit(j, i, floatKey(link.score(a, colFactors[i], noise.sample(noiseRng))));
    }
  };
  const mask = topKMask(rows, cols, round(density * rows * cols), generate);
  return { mask, rowFactors, colFactors };
}
