/**
 * `graphon-pai bounds`: hand-counted UAT numbers, equality of every reported number with direct
 * `@graphon-pai/bounds` calls on independently prepared inputs, `--json` shape, the singular-kernel error
 * naming `--ridge`, bad input and `--help`. Sizes are tiny (≤ 40 neurons, ≤ 40 samples of 30 inputs).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  denseReluNtk,
  generalisationBound,
  graphonNtk,
  kernelTargetAlignment,
  spectralSummary,
  universalApproximationCheck,
} from '@graphon-pai/bounds';
import { BitMatrix, encodeNpy, Rng } from '@graphon-pai/core';
import { blockHistogram, canonicalOrder } from '@graphon-pai/graphon';
import { saveMask } from '@graphon-pai/masks';
import { syntheticTask } from '@graphon-pai/nets';
import { argv, cli, expectHelpShows, expectRefused, tempFolder } from './helpers';

jest.setTimeout(60_000);

const ROWS = 40;
const COLS = 30;
const dir = tempFolder('gp-bounds-');
let maskFile: string;
let mask: BitMatrix;

beforeAll(() => {
  // Rows 0–9 keep inputs 0, 1, 2 (and 3 for even rows); the other rows keep 4 random inputs among 3…29.
  const rng = new Rng(11);
  const dense = new Uint8Array(ROWS * COLS);
  for (let j = 0; j < ROWS; j++) {
    if (j < 10) {
      for (const i of [0, 1, 2]) dense[j * COLS + i] = 1;
      if (j % 2 === 0) dense[j * COLS + 3] = 1;
    } else {
      for (const q of rng.sampleWithoutReplacement(COLS - 3, 4)) dense[j * COLS + 3 + q] = 1;
    }
  }
  mask = BitMatrix.fromDense(ROWS, COLS, dense);
  maskFile = join(dir, 'mask.safetensors');
  saveMask(maskFile, new Map([['0.weight', mask]]));
});

/** The synthetic binary task the CLI should build (rows rescaled to ‖x‖² = features), prepared from nets directly. */
function task(count: number, seed: number, features = COLS) {
  const { batch } = syntheticTask({ count, features, informative: 5, classes: 2, seed });
  const data = new Float64Array(count * features);
  const y = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let i = 0; i < features; i++) s += batch.inputs[r * features + i] ** 2;
    for (let i = 0; i < features; i++)
      data[r * features + i] = batch.inputs[r * features + i] * Math.sqrt(features / s);
    y[r] = batch.labels![r] === 1 ? 1 : -1;
  }
  return { x: { rows: count, cols: features, data }, y };
}

describe('graphon-pai bounds', () => {
  it('UAT on a hand-built mask: 10 neurons see inputs {0, 1, 2}, so q = 1, α = 10/40 and 10 are observed', async () => {
    const r = await cli(
      ...argv`bounds ${maskFile} --row-blocks ${String(ROWS)} --coordinates 0,1,2 --min-neurons 8
      --no-ntk --json`,
    );
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('bounds '))).toEqual([]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.uat).toMatchObject({
      holds: true,
      k: 3,
      coordinates: [0, 1, 2],
      width: ROWS,
      q: 1,
      alpha: 10 / ROWS,
      predictedCount: 10,
      observedCount: 10,
      requiredWidth: 32,
      minNeurons: 8,
    });
    expect(s.ntk).toBeNull();
  });

  it('every number equals the library calls on the same inputs (mask graphon with 8 row blocks, synthetic task)', async () => {
    const r = await cli(
      ...argv`bounds ${maskFile} --row-blocks 8 --data synthetic:informative=5 --samples 40 --seed 3
      --coordinates top:2 --threshold 0.05 --ridge 0.001 --json`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const graphon = blockHistogram(
      mask,
      canonicalOrder(mask).rowOrder,
      Uint32Array.from({ length: COLS }, (_, i) => i),
      {
        rowBlocks: 8,
        colBlocks: COLS,
      },
    );
    // The two densest active inputs: inputs 0–2 all have column density 10/40 (ties → lower index).
    const v = universalApproximationCheck(graphon, {
      inputs: COLS,
      width: ROWS,
      threshold: 0.05,
      mask,
      coordinates: [0, 1],
    });
    expect(s.uat.coordinates).toEqual([0, 1]);
    expect(s.uat.q).toBe(v.rectangle.q);
    expect(s.uat.alpha).toBe(v.rectangle.alpha);
    expect(s.uat.predictedCount).toBe(v.predictedCount);
    expect(s.uat.expectedCount).toBe(v.expectedCount);
    expect(s.uat.observedCount).toBe(v.observedCount);
    expect(s.uat.holds).toBe(v.holds);
    const { x, y } = task(40, 3);
    const k = graphonNtk(x, graphon);
    const b = generalisationBound(k, y, { ridge: 0.001 });
    const spectrum = spectralSummary(k);
    expect(s.ntk.alignment).toBe(kernelTargetAlignment(k, y));
    expect(s.ntk.effectiveRank).toBe(spectrum.effectiveRank);
    expect(s.ntk.lambdaMin).toBe(spectrum.lambdaMin);
    expect(s.ntk.conditionNumber).toBe(spectrum.conditionNumber);
    expect(s.ntk.topKEnergy).toBe(spectrum.topKEnergy);
    expect(s.ntk.bound).toMatchObject({
      ridge: 0.001,
      quadraticForm: b.quadraticForm,
      leadingTerm: b.leadingTerm,
      confidenceTerm: b.confidenceTerm,
      bound: b.bound,
    });
    expect(Object.keys(s).sort()).toEqual(['data', 'ntk', 'source', 'uat']);
    expect(Object.keys(s.ntk).sort()).toEqual(
      [
        'alignment',
        'bound',
        'conditionNumber',
        'effectiveRank',
        'lambdaMax',
        'lambdaMin',
        'layers',
        'samples',
        'sigmaW2',
        'topK',
        'topKEnergy',
        'traceOverM',
      ].sort(),
    );
  });

  it('with one row block per neuron the kernel is the mask own Graphon-NTK', async () => {
    const r = await cli(
      ...argv`bounds ${maskFile} --row-blocks ${String(ROWS)} --data synthetic:informative=5
      --samples 30 --layers hidden --json`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const { x, y } = task(30, 0);
    const k = graphonNtk(x, mask, { layers: 'hidden' });
    expect(s.ntk.alignment).toBeCloseTo(kernelTargetAlignment(k, y), 12);
    expect(s.ntk.bound.quadraticForm / generalisationBound(k, y).quadraticForm).toBeCloseTo(1, 9);
  });

  it('a constant graphon c gives the dense NTK with σ_w² → c·σ_w² (closed form of the library)', async () => {
    const r = await cli(
      ...argv`bounds const:0.25 --data synthetic:informative=5 --samples 20 --json --width 64`,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    // 784 inputs for a graphon source with synthetic data.
    const { x, y } = task(20, 0, 784);
    const k = denseReluNtk(x, { sigmaW2: 0.25 });
    expect(s.ntk.alignment).toBeCloseTo(kernelTargetAlignment(k, y), 10);
    expect(s.ntk.bound.leadingTerm).toBeCloseTo(generalisationBound(k, y).leadingTerm, 8);
    expect(s.uat).toMatchObject({ activeCoordinates: 784, width: 64, alpha: 1 });
    expect(s.uat.q).toBeCloseTo(0.25, 12);
    expect(s.source).toBe('constant graphon 0.25');
  });

  it('MNIST default task: digits 3 (+1) vs 5 (−1); human output', async () => {
    const r = await cli(...argv`bounds ${'formula:0.05 + 0.5*(v < 0.3)'} --samples 12 --coordinates top:3`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^source: formula 0\.05 \+ 0\.5\*\(v < 0\.3\)\nUAT on active coordinates: (holds|does not hold)/,
    );
    expect(r.stdout).toMatch(/784 of 784 inputs active/);
    expect(r.stdout).toMatch(/data: MNIST .*classes 3 \(\+1\) vs 5 \(−1\), m = 12, ‖x‖² = n_in/);
    expect(r.stdout).toMatch(/generalisation bound \(Arora et al\. 2019, δ = 0\.05\): [\d.]+ = leading/);
    // m = 12 samples: the confidence term alone exceeds 1, and the text says the bound is vacuous.
    expect(r.stdout).toMatch(/\(C = [\d.]+\) — vacuous: at least 1, so it says nothing about the 0–1 error/);
  });

  it.each([
    ['duplicate samples', [] as string[], (x: Float32Array) => x.copyWithin(COLS, 0, COLS)],
    [
      'an all-zero sample, raw inputs',
      ['--no-normalize'],
      (x: Float32Array) => x.fill(0, 2 * COLS, 3 * COLS),
    ],
  ])(
    'a singular kernel (%s) exits 2 naming --ridge; with --ridge the bound is computed',
    async (_, flags, spoil) => {
      const rng = new Rng(4);
      const x = Float32Array.from({ length: 6 * COLS }, () => rng.normal());
      spoil(x);
      const xs = join(dir, 'x.npy');
      const ys = join(dir, 'y.npy');
      writeFileSync(xs, encodeNpy({ dtype: 'F32', shape: [6, COLS], data: x }));
      writeFileSync(ys, encodeNpy({ dtype: 'I32', shape: [6], data: Int32Array.of(0, 0, 1, 1, 0, 1) }));
      const bad = await cli('bounds', maskFile, '--data', xs, '--labels', ys, '--samples', '6', ...flags);
      expectRefused(bad, /not positive definite .*Fix: pass an explicit ridge, e\.g\. --ridge \S+/);
      const ok = await cli(
        ...argv`bounds ${maskFile} --data ${xs} --labels ${ys} --samples 6 --ridge 1e-3 --json`,
        ...flags,
      );
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).ntk.bound.ridge).toBe(1e-3);
    },
  );

  it('--help lists the options', async () => {
    await expectHelpShows('bounds', [
      '--ridge <λ>',
      '--coordinates <S>',
      '--data <source>',
      '--classes <a,b>',
      '--samples <m>',
    ]);
  });

  it.each([
    [['SOURCE', '--classes', '3'], /--classes must be two distinct class labels/],
    [['SOURCE', '--samples', '1', '--data', 'synthetic'], /--samples must be an integer ≥ 2/],
    [['SOURCE', '--ridge', '-1'], /--ridge must be a number ≥ 0/],
    [['SOURCE', '--coordinates', 'top:x'], /--coordinates must be 'active', 'top:K'/],
    [['SOURCE', '--width', '10'], /--width must be absent for a mask source/],
    [['SOURCE'], /--data must be a data set with 30 inputs \(MNIST has 784\)/],
    [['banana'], /source must be a mask \.safetensors, a graphon \.npy, 'const:p' or 'formula:EXPR'/],
    [['const:2'], /source must be 'const:p' with p in \[0, 1\]/],
    [['formula:u+v', '--layer', 'x'], /--layer must be used only with a mask \.safetensors source/],
    [['formula:2+u', '--no-ntk'], /expression must be a graphon with values in \[0, 1\]; got "2\+u"/],
    [['SOURCE', '--data', 'synthetic', '--classes', '7,8'], /--samples must be at most 0/],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const r = await cli('bounds', ...args.map((a) => (a === 'SOURCE' ? maskFile : a)));
    expectRefused(r, message);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
