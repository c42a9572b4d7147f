import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix, writeNpy } from '@graphon-pai/core';
import { saveMask } from '@graphon-pai/masks';
import { argv, cli, tempFolder } from './helpers';

/** Brute-force ‖A‖_□ = max_{I,J} |Σ_{I×J} A| / (rows·cols) in float64 (small matrices only). */
function bruteCutNorm(a: Float64Array, rows: number, cols: number): number {
  let best = 0;
  for (let rs = 1; rs < 1 << rows; rs++) {
    const colSums = new Float64Array(cols);
    for (let i = 0; i < rows; i++)
      if (rs & (1 << i)) for (let j = 0; j < cols; j++) colSums[j] += a[i * cols + j];
    let pos = 0;
    let neg = 0;
    for (const s of colSums) s > 0 ? (pos += s) : (neg -= s);
    best = Math.max(best, pos, neg);
  }
  return best / (rows * cols);
}

const ROWS = 5;
const COLS = 6;
const bits = Uint8Array.from([
  1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0,
]);

describe('cut', () => {
  const dir = tempFolder('gp-cut-');
  let maskFile: string;
  beforeAll(() => {
    maskFile = join(dir, 'm.safetensors');
    saveMask(
      maskFile,
      new Map([
        ['0.weight', BitMatrix.fromDense(ROWS, COLS, bits)],
        ['2.weight', BitMatrix.fromDense(2, ROWS, Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]))],
      ]),
    );
  });

  it('cut norm of a constant graphon is the constant (exact)', async () => {
    const r = await cli('cut', 'const:0.3', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.quantity).toBe('cut norm');
    expect(s.upperBound).toBeCloseTo(0.3, 12);
    expect(s.alignedLowerBound).toBeCloseTo(0.3, 12);
    expect(s.upperBoundKind).toBe('exact');
  });

  it('identity-aligned distance of a mask layer to const:p equals the brute-force cut norm of W_M − p', async () => {
    const p = 0.4;
    const diff = Float64Array.from(bits, (b) => b - p);
    const expected = bruteCutNorm(diff, ROWS, COLS);
    const r = await cli(
      ...argv`cut ${maskFile} ${`const:${p}`} --layer 0.weight --alignment identity --method exact
      --json`,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      quantity: 'cut distance',
      method: 'exact',
      alignment: 'identity',
      upperBoundKind: 'exact',
    });
    expect(s.upperBound).toBeCloseTo(expected, 12);
    expect(s.alignedLowerBound).toBeCloseTo(expected, 12);
  });

  it('two .npy matrices: the identity-aligned bound equals brute force; optimized alignment is no larger', async () => {
    const a = Float64Array.from({ length: 16 }, (_, i) => Math.sin(i * 1.7) * 0.5 + 0.5);
    const b = Float64Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.9) * 0.5 + 0.5);
    writeNpy(join(dir, 'a.npy'), { dtype: 'F64', shape: [4, 4], data: a });
    writeNpy(join(dir, 'b.npy'), { dtype: 'F64', shape: [4, 4], data: b });
    const expected = bruteCutNorm(
      a.map((v, i) => v - b[i]),
      4,
      4,
    );
    const id = JSON.parse(
      (await cli('cut', join(dir, 'a.npy'), join(dir, 'b.npy'), '--alignment', 'identity', '--json')).stdout,
    );
    expect(id.upperBound).toBeCloseTo(expected, 10);
    expect(id.alignedLowerBound).toBeCloseTo(expected, 10);
    const opt = JSON.parse((await cli('cut', join(dir, 'a.npy'), join(dir, 'b.npy'), '--json')).stdout);
    expect(opt.upperBound).toBeLessThanOrEqual(expected + 1e-12);
  });

  it('a formula and the equal constant are at distance 0; human output names bound kind and method', async () => {
    const r = await cli('cut', 'formula:0.25 + 0*u*v', 'const:0.25', '--grid', '8');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^cut distance: δ_□\(formula 0\.25 \+ 0\*u\*v on a 8×8 grid, constant 0\.25\)$/m,
    );
    expect(r.stdout).toMatch(/upper bound 0\.0+ \(exact\)/);
    expect(r.stdout).toMatch(/aligned lower bound 0\.0+/);
    expect(r.stdout).toMatch(/method exact, alignment /);
  });

  it('--certificate: deterministic bounds are certified, probabilistic ones carry their failure probability', async () => {
    const data = Float64Array.from({ length: 40 * 40 }, (_, i) => Math.sin(i * 2.3) * Math.cos(i * 0.7));
    writeNpy(join(dir, 'sdp.npy'), { dtype: 'F64', shape: [40, 40], data });
    const det = JSON.parse(
      (await cli('cut', join(dir, 'sdp.npy'), '--certificate', 'deterministic', '--json')).stdout,
    );
    expect(det).toMatchObject({
      method: 'sdp',
      upperBoundKind: 'deterministic',
      certified: true,
      certificatePrecision: 'float64',
    });
    expect(det.failureProbability).toBeUndefined();
    expect(det.upperBound).toBeGreaterThanOrEqual(det.alignedLowerBound);
    const f32 = await cli(
      'cut',
      join(dir, 'sdp.npy'),
      '--certificate',
      'deterministic',
      '--certificate-precision',
      'float32',
    );
    expect(f32.stdout).toMatch(/\(deterministic, float32 Cholesky\), certified/);
    const f32Bound = Number(/upper bound (\S+)/.exec(f32.stdout)?.[1]);
    // Both are proved upper bounds; the float32 one pays a larger rounding margin, a few % at most here.
    expect(f32Bound).toBeGreaterThanOrEqual(det.alignedLowerBound);
    expect(Math.abs(f32Bound / det.upperBound - 1)).toBeLessThan(0.1);
    const prob = JSON.parse((await cli('cut', join(dir, 'sdp.npy'), '--json')).stdout);
    expect(prob).toMatchObject({
      upperBoundKind: 'probabilistic',
      certified: false,
      failureProbability: 1e-6,
    });
  });

  it.each([
    [['const:2'], /operand must be 'const:p' with p in \[0, 1\]/],
    [['const:0.1', 'nonsense'], /operand must be a mask \.safetensors/],
    [['/no/such/m.safetensors'], /\/no\/such\/m\.safetensors: no such file/],
    [
      ['MASK', 'const:0.1'],
      /--layer is required: .* has 2 layers \(0\.weight, 2\.weight\)\. Fix: pass --layer 0\.weight/,
    ],
    [['MASK', 'const:0.1', '--layer', 'nope'], /--layer must be one of the layers/],
    [['formula:u +', 'const:0.1'], /u \+/],
    [['const:0.1', '--method', 'magic'], /--method/],
  ])('bad input %j exits 2 with a one-line error', async (args, message) => {
    const r = await cli('cut', ...args.map((x) => (x === 'MASK' ? maskFile : x)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
