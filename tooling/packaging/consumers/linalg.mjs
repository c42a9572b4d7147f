// Headline: dense products and factorisations on typed arrays (row-major).
import { cholesky, choleskySolve, matmul, symmetricEigen } from '@graphon-pai/linalg';

const a = new Float64Array([1, 2, 3, 4, 5, 6]); // 2 × 3
const b = new Float64Array([1, 0, 0, 1, 1, 1]); // 3 × 2
console.log(Array.from(matmul(a, b, 2, 3, 2)).join(' ')); // 4 5 10 11
const spd = new Float64Array([4, 2, 2, 3]);
const l = cholesky(spd, 2);
console.log(
  Array.from(l)
    .map((x) => x.toFixed(6))
    .join(' '),
); // 2.000000 0.000000 1.000000 1.414214
console.log(
  Array.from(choleskySolve(l, 2, new Float64Array([6, 5]), 1))
    .map((x) => x.toFixed(6))
    .join(' '),
); // 1.000000 1.000000
const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
console.log(
  Array.from(values)
    .map((x) => x.toFixed(6))
    .join(' '),
); // 3.000000 1.000000
