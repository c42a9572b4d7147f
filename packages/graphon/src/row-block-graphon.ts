/**
 * The row-block graphon of a mask with its inputs kept in order: rows (output neurons) sorted by degree,
 * descending and stable, and averaged in K near-equal blocks; columns (inputs) one per input, in input order.
 *
 *     W(u, v) = (1/|I_a|) Σ_{p ∈ I_a} M[rowOrder[p], i]   for u in row block a, v ∈ [i/d, (i+1)/d)
 *
 * Neurons are exchangeable, inputs are not (input i is pixel i): this is how the Graphon-NTK and the
 * universal-approximation check read a mask, since both name concrete input coordinates. With K = rows it
 * is the mask itself, rows in degree order; K is capped at the number of rows.
 *
 * @example
 * const w = rowBlockGraphon(mask, 32); // 32 × mask.cols step graphon
 */
import { type BitMatrix, InvalidArgumentError, type StepGraphon } from '@graphon-pai/core';
import { blockHistogram, canonicalOrder } from './canonical';

export function rowBlockGraphon(mask: BitMatrix, rowBlocks: number): StepGraphon {
  if (!(Number.isInteger(rowBlocks) && rowBlocks >= 1)) {
    throw new InvalidArgumentError('rowBlocks', rowBlocks, 'a positive integer');
  }
  const k = Math.min(rowBlocks, mask.rows);
  const cols = Uint32Array.from({ length: mask.cols }, (_, i) => i);
  return blockHistogram(mask, canonicalOrder(mask).rowOrder, cols, { rowBlocks: k, colBlocks: mask.cols });
}
