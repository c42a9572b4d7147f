/** Numbers in report tables: `digits` significant digits (∞ for null), and mean ± sd over seeds. */
import type { MeanSd } from '../stats';

export const sig = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined
    ? '∞'
    : Number.isFinite(x)
      ? Number(x.toPrecision(digits)).toString()
      : String(x);

/** `mean ± sd` (sd to 2 significant digits), or the mean alone for one seed. */
export const meanSdText = (m: MeanSd, digits = 4): string =>
  m.n > 1 ? `${sig(m.mean, digits)} ± ${sig(m.sd, 2)}` : sig(m.mean, digits);
