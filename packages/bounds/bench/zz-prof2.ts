import { gemm, setProvider } from '@graphon-pai/linalg';

for (const p of ['onnxruntime', 'openblas'] as const) {
  setProvider(p);
  const A = new Float64Array(64 * 127).fill(0.5),
    Bm = new Float64Array(127 * 33 * 2000).fill(0.25),
    C = new Float64Array(64 * 33 * 2000);
  gemm(false, false, 64, 33 * 2000, 127, 1, A, Bm, 0, C);
  let t1 = performance.now();
  for (let i = 0; i < 5; i++) gemm(false, false, 64, 33 * 2000, 127, 1, A, Bm, 0, C);
  const tc = (performance.now() - t1) / 5;
  const a = new Float64Array(33 * 6),
    b = new Float64Array(2000 * 6),
    c = new Float64Array(33 * 2000);
  t1 = performance.now();
  for (let i = 0; i < 500; i++) gemm(false, true, 33, 2000, 6, 1, a, b, 0, c);
  const ts = (performance.now() - t1) / 500;
  const X = new Float64Array(2000 * 784).fill(0.1),
    G = new Float64Array(2000 * 2000);
  t1 = performance.now();
  gemm(false, true, 2000, 2000, 784, 1, X, X, 0, G);
  const tg = performance.now() - t1;
  console.log(
    p,
    'combination ms',
    tc.toFixed(1),
    'GFLOP/s',
    ((2 * 64 * 66000 * 127) / tc / 1e6).toFixed(1),
    'small ms',
    ts.toFixed(3),
    'full gram ms',
    tg.toFixed(0),
  );
}
