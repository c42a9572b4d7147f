import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';

// A 256 × 128 layer (rows = output neurons, columns = inputs) that keeps exactly 20 % of its weights,
// chosen uniformly at random with a seeded generator: the same seed gives the same mask everywhere.
const rows = 256;
const cols = 128;
const density = 0.2;
const rng = new Rng(42);
const kept = rng.sampleWithoutReplacement(rows * cols, Math.round(density * rows * cols));
const mask = new BitMatrix(rows, cols);
for (const i of kept) mask.set(Math.floor(i / cols), i % cols);

console.log(mask.nnz()); // 6554
console.log(mask.density().toFixed(4)); // 0.2000
console.log(`${mask.words.byteLength} bytes`); // 4096 bytes

// Row degrees fluctuate around p · cols; as the layer grows the fluctuations vanish relative to cols,
// and the mask converges to the constant graphon W ≡ p.
const degrees = mask.rowDegrees();
console.log(Math.abs(degrees.reduce((a, b) => a + b, 0) / rows / cols - density) < 1e-3); // true
const limit = StepGraphon.constant(density);
console.log(limit.value(0.3, 0.9)); // 0.2
