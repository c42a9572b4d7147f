import { SelectionWorkspace, selectBySampling, type EngineLayer } from '../src/internal/radix-select';
const L = 10,
  rows = 2500,
  cols = 4000;
const layers: EngineLayer[] = [];
let s = 12345;
for (let l = 0; l < L; l++) {
  const f = new Float32Array(rows * cols);
  for (let i = 0; i < f.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    f[i] = ((s >>> 8) / 16777216) * 2 - 1;
  }
  layers.push({
    bits: new Int32Array(f.buffer),
    rows,
    cols,
    within: null,
    out: new Uint32Array(rows * Math.ceil(cols / 32)),
  });
}
const k = Math.round(0.1 * L * rows * cols);
const ws = new SelectionWorkspace();
for (let rep = 0; rep < 4; rep++) {
  const t0 = performance.now();
  const ok = selectBySampling(layers, L * rows * cols, k, process.argv[2] === 'g', ws);
  const t1 = performance.now();
  let nnz = 0;
  for (const l of layers)
    for (const w of l.out) {
      let x = w;
      while (x) {
        x &= x - 1;
        nnz++;
      }
    }
  console.log('sampling', ok, (t1 - t0).toFixed(0), nnz === k);
}
