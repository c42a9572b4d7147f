/**
 * `graphon-pai limit`: closed forms, equality with the library call, `--json` shape, bad input.
 * Models are chosen so each solve takes well under a second (small grids, one-dimensional integrals).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy, Rng, readNpy, writeSafetensors } from '@graphon-pai/core';
import { fitFsm, fsmLimit } from '@graphon-pai/graphon';
import {
  argv,
  cli,
  expectHelpShows,
  expectRefused,
  expectRefusedWithoutOutput,
  runBin,
  tempFolder,
} from './helpers';

jest.setTimeout(60_000);

const dir = tempFolder('gp-limit-');

const values = (file: string) => Array.from(readNpy(file).data as Float64Array);

/** The fields of every limit summary (`--fit` adds `fit`, a law spec `model`). */
const LIMIT_FIELDS = [
  'achievedDensity',
  'closedForm',
  'colBlocks',
  'density',
  'files',
  'gridDensity',
  'out',
  'rowBlocks',
  'tau',
  'theta',
];

/** `graphon-pai limit <args> --out <out> --no-figure --json`, in process. */
const limitJson = (out: string, ...args: string[]) =>
  cli('limit', ...args, '--out', out, '--no-figure', '--json');

/** Independent bisection for a decreasing function f with f(lo) > 0 > f(hi). */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('graphon-pai limit (spec)', () => {
  it('constant factors, uniform noise: τ = 1 − p and W ≡ p (closed form)', async () => {
    const out = join(dir, 'const');
    const r = await limitJson(out, '--noise', 'uniform', '--density', '0.1', '--grid', '3x2');
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('limit '))).toEqual([]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.tau).toBeCloseTo(0.9, 9);
    expect(s.achievedDensity).toBeCloseTo(0.1, 9);
    const g = readNpy(join(out, 'graphon.npy'));
    expect(g.shape).toEqual([3, 2]);
    for (const w of values(join(out, 'graphon.npy'))) expect(w).toBeCloseTo(0.1, 9);
    expect(values(join(out, 'row_cuts.npy'))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(values(join(out, 'col_cuts.npy'))).toEqual([0, 0.5, 1]);
    expect(readdirSync(out).sort()).toEqual([
      '.graphon-pai-output.json',
      'col_cuts.npy',
      'graphon.npy',
      'limit.json',
      'row_cuts.npy',
    ]);
  });

  it('uniform neuron factor, uniform noise: τ and row-block averages match the closed form', async () => {
    // A = 1 − u, W(u, v) = max(0, 1 − τ/(1 − u)); ∫∫ W = (1 − τ) + τ ln τ = p.
    const p = 0.1;
    const tau = bisect((t) => 1 - t + t * Math.log(t) - p, 1e-12, 1);
    // ∫_{u0}^{u1} max(0, 1 − τ/(1 − u)) du with t = 1 − u over [max(τ, 1 − u1), 1 − u0].
    const blockMass = (u0: number, u1: number) => {
      const a = Math.max(tau, 1 - u1);
      const b = 1 - u0;
      return b <= a ? 0 : b - a - tau * Math.log(b / a);
    };
    const out = join(dir, 'uniform');
    const r = await limitJson(
      out,
      ...argv`--row-factor uniform --noise uniform:low=0,high=1 --density ${String(p)} --grid 4x3`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Math.abs(s.tau - tau)).toBeLessThan(1e-8);
    const w = values(join(out, 'graphon.npy'));
    for (let a = 0; a < 4; a++) {
      const expected = blockMass(a / 4, (a + 1) / 4) * 4;
      for (let b = 0; b < 3; b++) expect(Math.abs(w[a * 3 + b] - expected)).toBeLessThan(1e-7);
    }
    expect(s.gridDensity).toBeCloseTo(p, 7);
  });

  it('a profile input factor b(v) = exp(−3v) with uniform noise: τ and column-block averages match the closed form', async () => {
    // W(u, v) = max(0, 1 − τ e^{3v}); ∫_a^b W dv = (V − a) − τ (e^{3V} − e^{3a}) / 3 with V = clamp(−ln τ / 3, a, b).
    const mass = (t: number, a: number, b: number) => {
      const v = Math.min(b, Math.max(a, -Math.log(t) / 3));
      return v - a - (t * (Math.exp(3 * v) - Math.exp(3 * a))) / 3;
    };
    const tau = bisect((t) => mass(t, 0, 1) - 0.3, 1e-9, 1);
    const out = join(dir, 'profile');
    const r = await limitJson(
      out,
      ...argv`--col-factor profile:exp(-3*x) --noise uniform --density 0.3 --grid 1x4`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    // The profile is the interpolated law of 8192 midpoint values: agreement to ~1e-6, not to rounding.
    expect(Math.abs(s.tau - tau)).toBeLessThan(1e-6);
    const w = values(join(out, 'graphon.npy'));
    for (let b = 0; b < 4; b++) expect(Math.abs(w[b] - 4 * mass(tau, b / 4, (b + 1) / 4))).toBeLessThan(1e-6);
    expect(w[3]).toBe(0);
  });

  it('the written grid, τ and θ equal fsmLimit(...).toStepGraphon on the same model', async () => {
    const out = join(dir, 'library');
    const r = await limitJson(
      out,
      ...argv`--row-factor half-normal:scale=2 --col-factor constant:3 --noise exponential:rate=2
      --density 0.2 --grid 5x2`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const limit = fsmLimit(
      {
        rowFactor: { type: 'half-normal', scale: 2 },
        colFactor: { type: 'constant', value: 3 },
        noise: { type: 'exponential', rate: 2 },
      },
      0.2,
    );
    expect(s.tau).toBe(limit.tau);
    expect(s.theta).toBe(limit.theta);
    expect(s.achievedDensity).toBe(limit.achievedDensity);
    expect(values(join(out, 'graphon.npy'))).toEqual(Array.from(limit.toStepGraphon(5, 2).values));
    expect(Object.keys(s).sort()).toEqual([...LIMIT_FIELDS, 'model'].sort());
    expect(s.model).toEqual({
      rowFactor: 'half-normal(scale=2)',
      colFactor: 'constant(3)',
      noise: 'exponential(rate=2)',
      link: 'multiplicative',
    });
    expect(JSON.parse(readFileSync(join(out, 'limit.json'), 'utf8'))).toEqual(s);
  });

  it('human output names τ and the achieved density; --help lists the laws', async () => {
    const r = await cli(
      ...argv`limit --noise uniform --density 0.25 --grid 2 --out ${join(dir, 'human')} --no-figure`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^FSM limit \(multiplicative\): A ~ constant\(1\), B ~ constant\(1\), ξ ~ uniform\(0, 1\)\nτ = 0\.75000000/,
    );
    expect(r.stdout).toMatch(/density 0\.25 achieved 0\.25/);
    await expectHelpShows('limit', ['--row-factor <law>', 'profile:EXPR']);
  });

  it.each([
    [['--density', '1.5'], /--density must be a number in \(0, 1\)/],
    [[], /--density must be a number in \(0, 1\)/],
    [
      ['--density', '0.1', '--noise', 'gaussian'],
      /--noise must be a law: constant, uniform, half-normal, .* or 'profile:EXPR'/,
    ],
    [
      ['--density', '0.1', '--row-factor', 'half-normal:scale=-1'],
      /--row-factor\.scale must be a positive finite number/,
    ],
    [
      ['--density', '0.1', '--row-factor', 'half-normal:sigma=1'],
      /--row-factor must be 'half-normal' with numeric parameters scale=…/,
    ],
    [['--density', '0.1', '--col-factor', 'profile:exp(-3*'], /--col-factor/],
    [
      ['--density', '0.1', '--noise', 'uniform:low=-1,high=1'],
      /--noise must be a law on \[0, ∞\) for the multiplicative link/,
    ],
    [['--density', '0.1', '--grid', '0x3'], /--grid must be 'K' or 'KxL'/],
    [['--density', '0.1', '--link', 'max'], /--link/],
  ])('bad input %j exits 2 with one line and writes no folder', async (args, message) => {
    const out = join(dir, 'bad');
    const r = await cli('limit', ...args, '--out', out, '--no-figure');
    expectRefused(r, message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.bad'))).toEqual([]);
  });
});

describe('graphon-pai limit --fit', () => {
  const rows = 40;
  const cols = 30;
  let npyFile: string;
  let stFile: string;
  let exactFile: string;
  let scores: Float32Array;
  beforeAll(() => {
    // s_ji = A_j · B_i · ξ_ji with log-normal factors and half-normal noise; column 29 all zero (an unseen input).
    const rng = new Rng(5);
    const a = Float64Array.from({ length: rows }, () => Math.exp(0.5 * rng.normal()));
    const b = Float64Array.from({ length: cols }, (_, i) => (i === cols - 1 ? 0 : Math.exp(rng.normal())));
    scores = Float32Array.from(
      { length: rows * cols },
      (_, q) => a[Math.floor(q / cols)] * b[q % cols] * Math.abs(rng.normal()),
    );
    npyFile = join(dir, 'scores.npy');
    writeFileSync(npyFile, encodeNpy({ dtype: 'F32', shape: [rows, cols], data: scores }));
    stFile = join(dir, 'scores.safetensors');
    writeSafetensors(
      stFile,
      new Map([
        ['0.weight', { dtype: 'F32' as const, shape: [rows, cols], data: scores }],
        ['1.weight', { dtype: 'F32' as const, shape: [2, 3], data: new Float32Array(6).fill(1) }],
      ]),
    );
    // A noiseless rank-one matrix: the fit must reproduce it exactly.
    exactFile = join(dir, 'exact.npy');
    writeFileSync(
      exactFile,
      encodeNpy({
        dtype: 'F64',
        shape: [rows, cols],
        data: Float64Array.from(
          { length: rows * cols },
          (_, q) => a[Math.floor(q / cols)] * (b[q % cols] + 0.5),
        ),
      }),
    );
  });

  it('equals fitFsm(...).limit(p).toStepGraphon on the same scores (.npy and safetensors agree)', async () => {
    const out = join(dir, 'fit');
    const r = await limitJson(out, '--fit', npyFile, '--density', '0.2', '--grid', '8x6');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const fit = fitFsm(scores, { rows, cols });
    const limit = fit.limit(0.2);
    expect(s.tau).toBe(limit.tau);
    expect(s.theta).toBe(limit.theta);
    expect(s.achievedDensity).toBe(limit.achievedDensity);
    expect(values(join(out, 'graphon.npy'))).toEqual(Array.from(limit.toStepGraphon(8, 6).values));
    expect(values(join(out, 'row_factors.npy'))).toEqual(Array.from(fit.rowFactors));
    expect(values(join(out, 'col_factors.npy'))).toEqual(Array.from(fit.colFactors));
    expect(s.fit).toMatchObject({
      rows,
      cols,
      zeroRows: 0,
      zeroCols: 1,
      logSigma: fit.logSigma,
      sweeps: fit.sweeps,
      converged: true,
    });
    expect(s.fit.colFactors.zeros).toBe(1);
    expect(s.fit.colFactors.mean).toBeCloseTo(1, 12); // the fit's gauge: mean input factor 1
    expect(Object.keys(s).sort()).toEqual([...LIMIT_FIELDS, 'fit'].sort());
    // The same tensor read from a safetensors file gives the same prediction.
    const st = await limitJson(
      join(dir, 'fit-st'),
      ...argv`--fit ${stFile} --layer 0.weight --density 0.2 --grid 8x6`,
    );
    expect(st.code).toBe(0);
    expect(values(join(dir, 'fit-st', 'graphon.npy'))).toEqual(values(join(out, 'graphon.npy')));
    expect(JSON.parse(st.stdout).fit.tensor).toBe('0.weight');
  });

  it('a noiseless rank-one matrix is fitted exactly: A_j·B_i = s_ji, σ = 0; the log-normal noise option is accepted', async () => {
    const out = join(dir, 'exact');
    const r = await limitJson(out, ...argv`--fit ${exactFile} --density 0.3 --fit-noise log-normal --grid 4`);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.fit.logSigma).toBeLessThan(1e-9);
    const a = values(join(out, 'row_factors.npy'));
    const b = values(join(out, 'col_factors.npy'));
    const original = Array.from(readNpy(exactFile).data as Float64Array);
    for (let q = 0; q < rows * cols; q++) {
      const x = a[Math.floor(q / cols)] * b[q % cols];
      expect(Math.abs(x - original[q]) / original[q]).toBeLessThan(1e-9);
    }
    expect(s.achievedDensity).toBeCloseTo(0.3, 8);
  });

  it('prints the fitted factor summary', async () => {
    const r = await cli(
      ...argv`limit --fit ${npyFile} --density 0.2 --out ${join(dir, 'fit-human')} --no-figure`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FSM fit to .*scores\.npy \(40×30\): \|s\| = A·B·ξ/);
    expect(r.stdout).toMatch(/input factors B: .*1 zero/);
    expect(r.stdout).toMatch(/predicted limit: τ = /);
    expect(r.stdout).toMatch(/40×30 block averages/); // the default grid is capped by the score shape
  });

  it.each([
    [['--fit', 'missing.npy', '--density', '0.1'], /missing\.npy: no such file\. Fix: check the --fit path/],
    [['--fit', 'SCORES', '--density', '0.1', '--noise', 'uniform'], /--noise must be absent with --fit/],
    [['--fit', 'SCORES', '--density', '0.1', '--grid', '50x4'], /--grid must be at most 40x30 blocks/],
    [['--fit', 'ST', '--density', '0.1'], /--layer is required: .* has 2 tensors \(0\.weight, 1\.weight\)/],
    [
      ['--fit', 'SCORES', '--density', '0.1', '--layer', 'x'],
      /--layer must be used only with a \.safetensors --fit file/,
    ],
    [['--fit', 'SCORES'], /--density must be a number in \(0, 1\)/],
  ])('bad input %j exits 2 and writes no folder', async (args, message) => {
    const out = join(dir, 'bad-fit');
    const argv = args.map((x) =>
      x === 'SCORES' ? npyFile : x === 'ST' ? stFile : x === 'missing.npy' ? join(dir, x) : x,
    );
    const r = await cli('limit', ...argv, '--out', out, '--no-figure');
    expectRefusedWithoutOutput(r, out, message);
  });
});

describe('graphon-pai limit figure (binary from source: vega is ESM-only)', () => {
  it('writes the heatmap as SVG and PNG', () => {
    const out = join(dir, 'figure');
    const r = runBin(
      [
        'limit',
        '--row-factor',
        'uniform',
        '--noise',
        'uniform',
        '--density',
        '0.3',
        '--grid',
        '6x4',
        '--out',
        out,
      ],
      dir,
    );
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'heatmap.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(readFileSync(join(out, 'heatmap.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
