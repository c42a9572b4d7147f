/** Report tables: numbers to `digits` significant digits (∞ for null), mean ± sd over seeds, and Markdown table heads. */
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

/** A Markdown table's head: its header row (`| a | b |`) and the separator row (`|---|---|`) under it. */
export const tableHead = (header: string): string[] => [
  header,
  `|${'---|'.repeat(header.split(' | ').length)}`,
];
