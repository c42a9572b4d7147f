/**
 * Exact-count uniform sampling of bit-matrix entries by selection sampling (Knuth, TAOCP vol. 2, §3.4.2,
 * Algorithm S): scanning entries in row-major order, entry `t` is kept with probability `need / left`, where
 * `need` ones are still to place among the `left` entries not yet scanned. A scan of N entries with `need = k`
 * keeps exactly k of them, every k-subset equally likely; O(N) time and one uniform draw per entry scanned
 * (none once `need` reaches 0, none either when every remaining entry must be kept).
 *
 * The scan state is passed in, so one scan can run over several matrices in turn (a network-wide scope) and
 * draw a single stream.
 *
 * @example
 * const m = new BitMatrix(64, 784);
 * selectionSample(m, { need: 5018, left: m.size }, new Rng(1));   // exactly 5018 ones
 */
import type { BitMatrix } from './bit-matrix';
import type { Rng } from './rng';

/** State of one selection-sampling scan: `need` ones still to place among `left` entries. */
export interface SelectionScan {
  need: number;
  left: number;
}

/** Runs the scan over the rows [rowFrom, rowTo) of `m` (all of it by default), setting the kept entries. */
export function selectionSample(m: BitMatrix, scan: SelectionScan, rng: Rng, rowFrom = 0, rowTo = m.rows): void {
  const { words, wordsPerRow, cols } = m;
  for (let r = rowFrom; r < rowTo && scan.need > 0; r++) {
    const wbase = r * wordsPerRow;
    for (let c = 0; c < cols; c++) {
      if (scan.need === 0) return;
      if (scan.need === scan.left || rng.uniform() * scan.left < scan.need) {
        words[wbase + (c >>> 5)] |= 1 << (c & 31);
        scan.need--;
      }
      scan.left--;
    }
  }
}
