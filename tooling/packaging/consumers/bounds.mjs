// Headline: which inputs a pruned layer still reads (active coordinates of a mask).
import { BitMatrix } from '@graphon-pai/core';
import { activeCoordinates } from '@graphon-pai/bounds';

// 4 outputs × 5 inputs; input j is kept by the outputs r ≥ j, input 4 by none.
const mask = BitMatrix.from(4, 5, (row, col) => col <= row && col < 4);
const active = activeCoordinates(mask, { threshold: 0.3 });
console.log(
  Array.from(active.density)
    .map((d) => d.toFixed(2))
    .join(' '),
); // 1.00 0.75 0.50 0.25 0.00
console.log(Array.from(active.indices).join(' ')); // 0 1 2
