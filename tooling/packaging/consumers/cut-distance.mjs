// Headline: the cut norm with certified bounds.
import { cutNorm } from '@graphon-pai/cut-distance';

// ‖A‖_□ = max over row set S and column set T of |Σ_{S×T} A_ij| / (rows·cols)
const r = cutNorm({ rows: 2, cols: 3, data: [1, -1, 0, -1, 1, 0] });
console.log(r.lowerBound.toFixed(6), r.upperBound?.toFixed(6), r.upperBoundKind); // 0.166667 0.166667 exact
