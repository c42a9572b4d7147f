// Headline: the canonical (degree-sorted) step graphon of a mask.
import { BitMatrix } from '@graphon-pai/core';
import { canonicalStepGraphon } from '@graphon-pai/graphon';

// 4 × 4 mask: output neuron r keeps inputs 0..r (a staircase); sorted by degree it is the same staircase.
const mask = BitMatrix.from(4, 4, (row, col) => col <= row);
const g = canonicalStepGraphon(mask, { rowBlocks: 2, colBlocks: 2 });
console.log(g.rowBlocks, g.colBlocks, Array.from(g.values).join(' ')); // 2 2 1 0.75 0.75 0
console.log(g.integral().toFixed(6), (mask.nnz() / 16).toFixed(6)); // 0.625000 0.625000
