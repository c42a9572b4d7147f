/**
 * What `graphon-pai bounds` and the `ntk` / `uat` experiment presets evaluate, on top of `@graphon-pai/bounds`
 * (theory.md §5–6). Every number comes from one library call; this module only prepares inputs:
 *
 * - **The graphon of a mask** (`rowBlockGraphon`): rows (hidden neurons) sorted by degree, descending and
 *   stable, averaged in K near-equal blocks; columns (inputs) kept **in input order**, one column per input.
 *   Input order matters: the Graphon-NTK places input i at v ∈ [i/n_in, (i+1)/n_in), and the UAT condition
 *   names concrete coordinates. With K = the number of rows the graphon is the mask itself.
 * - **A binary task** (`loadBinaryTask`): m samples of two classes, labels y = +1 (first class) / −1 (second),
 *   inputs rescaled to ‖x‖² = n_in (the normalisation under which the `hidden` kernel is Arora et al.'s H^∞,
 *   `@graphon-pai/bounds` README) unless `normalize` is false. MNIST: the first m digits of the two classes in
 *   `mnistSubset({ count: min(8630, 5m + 10), seed })` (class balanced, deterministic).
 * - **UAT verdict** (`evaluateUat`): `universalApproximationCheck` with S = all active coordinates
 *   (`active`), the K densest active ones (`top:K`), or a list.
 * - **Graphon-NTK report** (`evaluateNtk`): `graphonNtk`, `kernelTargetAlignment`, `spectralSummary`
 *   (λ_min, λ_max, condition number, effective rank, top-k energy of K) and `generalisationBound` (with the
 *   explicit `ridge`); a kernel that is not positive definite fails with a fix naming `--ridge`.
 */
import { type BitMatrix, InvalidArgumentError, NumericalError, type StepGraphon } from '@graphon-pai/core';
import {
  activeCoordinates,
  type GraphonSource,
  generalisationBound,
  graphonNtk,
  kernelTargetAlignment,
  spectralSummary,
  universalApproximationCheck,
  type UatVerdict,
} from '@graphon-pai/bounds';
import { blockHistogram, canonicalOrder } from '@graphon-pai/graphon';
import { type Batch, makeBatch, mnistSubset } from '@graphon-pai/nets';
import { readArray, readLabels, syntheticBatch } from './commands/prune';

/** Row-block graphon of a mask with inputs kept in order (see the file header). */
export function rowBlockGraphon(mask: BitMatrix, rowBlocks: number): StepGraphon {
  const k = Math.min(rowBlocks, mask.rows);
  const cols = Uint32Array.from({ length: mask.cols }, (_, i) => i);
  return blockHistogram(mask, canonicalOrder(mask).rowOrder, cols, { rowBlocks: k, colBlocks: mask.cols });
}

export interface BinaryTask {
  /** samples × inputs, row-major float64. */
  x: { rows: number; cols: number; data: Float64Array };
  /** ±1 labels. */
  y: Float64Array;
  /** The two classes: [label of +1, label of −1]. */
  classes: [number, number];
  description: string;
  normalized: boolean;
  /** The same examples unnormalised, labels 0 (first class) / 1 (second class): what criteria score on. */
  raw: Batch;
}

export interface TaskOptions {
  data: string;
  labels?: string;
  classes?: [number, number];
  samples: number;
  features: number;
  seed: number;
  normalize: boolean;
}

/** Parses `--classes a,b` (two distinct non-negative integers). */
export function parseClasses(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (
    !(parts.length === 2 && parts.every((c) => Number.isSafeInteger(c) && c >= 0) && parts[0] !== parts[1])
  ) {
    throw new InvalidArgumentError('--classes', value, "two distinct class labels 'a,b' (a → +1, b → −1)", {
      fix: 'e.g. --classes 3,5',
    });
  }
  return [parts[0], parts[1]];
}

/** The batch behind `--data` (with enough rows to pick m of the two classes). */
async function loadBatch(o: TaskOptions): Promise<{ batch: Batch; what: string }> {
  if (o.data === 'mnist') {
    if (o.features !== 784) {
      throw new InvalidArgumentError(
        '--data',
        'mnist',
        `a data set with ${o.features} inputs (MNIST has 784)`,
        {
          fix: 'use a graphon or mask with 784 inputs, or --data synthetic / --data X.npy',
        },
      );
    }
    const count = Math.min(8630, 5 * o.samples + 10);
    return {
      batch: await mnistSubset({ count, seed: o.seed }),
      what: `MNIST (mnistSubset count ${count}, seed ${o.seed})`,
    };
  }
  if (o.data === 'synthetic' || o.data.startsWith('synthetic:')) {
    return {
      batch: syntheticBatch(o.data, o.samples, o.features, o.seed),
      what: `${o.data} (seed ${o.seed})`,
    };
  }
  if (o.data.endsWith('.npy')) {
    const x = readArray(o.data, '--data');
    if (x.shape.length !== 2 || x.shape[1] !== o.features) {
      throw new InvalidArgumentError(
        '--data',
        o.data,
        `a 2-D array [samples, ${o.features}] (one example per row)`,
        {
          fix: `the graphon has ${o.features} inputs; got shape [${x.shape.join(', ')}]`,
        },
      );
    }
    if (!o.labels) {
      throw new InvalidArgumentError(
        '--labels',
        undefined,
        'a .npy file of class labels when --data is a .npy file',
      );
    }
    const { labels, classes } = readLabels(o.labels);
    if (labels.length !== x.shape[0]) {
      throw new InvalidArgumentError('--labels', o.labels, `${x.shape[0]} labels (one per row of --data)`, {
        fix: `it holds ${labels.length}`,
      });
    }
    if (!labels.every((c) => c >= 0)) {
      throw new InvalidArgumentError('--labels', o.labels, 'non-negative integer class labels');
    }
    const inputs = Float32Array.from(x.data as ArrayLike<number>);
    return { batch: makeBatch(inputs, x.shape[0], o.features, { labels, classes }), what: o.data };
  }
  throw new InvalidArgumentError(
    '--data',
    o.data,
    "'mnist', 'synthetic[:…]' or a path to an X.npy file (with --labels y.npy)",
  );
}

/** Loads a binary task (see the file header). */
export async function loadBinaryTask(o: TaskOptions): Promise<BinaryTask> {
  if (!(Number.isSafeInteger(o.samples) && o.samples >= 2 && o.samples <= 1726)) {
    throw new InvalidArgumentError('--samples', o.samples, 'an integer in [2, 1726]', {
      fix: 'the bound is an m-sample statement; e.g. --samples 500',
    });
  }
  const { batch, what } = await loadBatch(o);
  const labels = batch.labels;
  if (!labels) throw new InvalidArgumentError('--data', o.data, 'a labelled data set');
  let classes = o.classes;
  if (classes === undefined) {
    if (o.data === 'mnist') classes = [3, 5];
    else {
      const present = [...new Set(labels)].sort((a, b) => a - b);
      if (present.length !== 2) {
        throw new InvalidArgumentError(
          '--classes',
          undefined,
          `two of the classes present (${present.join(', ')})`,
          {
            fix: `the data has ${present.length} classes; pick a binary task, e.g. --classes ${present[0]},${present[1]}`,
          },
        );
      }
      classes = [present[1], present[0]];
    }
  }
  const d = batch.features;
  const picked: number[] = [];
  for (let r = 0; r < batch.count && picked.length < o.samples; r++) {
    if (labels[r] === classes[0] || labels[r] === classes[1]) picked.push(r);
  }
  if (picked.length < o.samples) {
    throw new InvalidArgumentError(
      '--samples',
      o.samples,
      `at most ${picked.length} (examples of classes ${classes.join(' and ')})`,
    );
  }
  const m = picked.length;
  const data = new Float64Array(m * d);
  const y = new Float64Array(m);
  const rawInputs = new Float32Array(m * d);
  const rawLabels = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const r = picked[k];
    rawInputs.set(batch.inputs.subarray(r * d, (r + 1) * d), k * d);
    rawLabels[k] = labels[r] === classes[0] ? 0 : 1;
    let s = 0;
    for (let i = 0; i < d; i++) s += batch.inputs[r * d + i] ** 2;
    if (o.normalize && !(s > 0)) {
      throw new InvalidArgumentError(
        '--data',
        `row ${r}`,
        'examples with a non-zero norm (they are rescaled to ‖x‖² = n_in)',
        {
          fix: 'drop all-zero examples, or pass --no-normalize',
        },
      );
    }
    const scale = o.normalize ? Math.sqrt(d / s) : 1;
    for (let i = 0; i < d; i++) data[k * d + i] = batch.inputs[r * d + i] * scale;
    y[k] = labels[r] === classes[0] ? 1 : -1;
  }
  return {
    x: { rows: m, cols: d, data },
    y,
    classes,
    description: `${what}: classes ${classes[0]} (+1) vs ${classes[1]} (−1), m = ${m}${o.normalize ? ', ‖x‖² = n_in' : ''}`,
    normalized: o.normalize,
    raw: makeBatch(rawInputs, m, d, { labels: rawLabels, classes: 2 }),
  };
}

/** `--coordinates`: 'active', 'top:K' or a comma-separated list of input indices. */
export type CoordinateSpec =
  | { kind: 'active' }
  | { kind: 'top'; k: number }
  | { kind: 'list'; indices: number[] };

export function parseCoordinates(value: string | undefined): CoordinateSpec {
  if (value === undefined || value === 'active') return { kind: 'active' };
  const top = /^top:(\d+)$/.exec(value);
  if (top && Number(top[1]) >= 1) return { kind: 'top', k: Number(top[1]) };
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length > 0 && parts.every((i) => Number.isSafeInteger(i) && i >= 0))
    return { kind: 'list', indices: parts };
  throw new InvalidArgumentError(
    '--coordinates',
    value,
    "'active', 'top:K' (the K densest active inputs) or indices 'i,j,…'",
    {
      fix: 'e.g. --coordinates top:4',
    },
  );
}

export interface UatReport {
  holds: boolean;
  threshold: number;
  /** Number of inputs with column density above the threshold. */
  activeCoordinates: number;
  inputs: number;
  k: number;
  coordinates: number[];
  width: number;
  q: number;
  alpha: number;
  perNeuronLowerBound: number;
  fullyConnectedFraction: number;
  predictedCount: number;
  expectedCount: number;
  /** null when α·q^k = 0 (no finite width suffices). */
  requiredWidth: number | null;
  observedCount: number | null;
  observedZScore: number | null;
  minNeurons: number;
  conditions: { name: string; holds: boolean; value: number; threshold: number; message: string }[];
}

export interface UatInput {
  source: GraphonSource;
  inputs: number;
  width: number;
  mask?: BitMatrix;
  threshold: number;
  coordinates: CoordinateSpec;
  minNeurons: number;
  q?: number;
}

/** `universalApproximationCheck` with the coordinate choice resolved (see the file header). */
export function evaluateUat(o: UatInput): {
  report: UatReport;
  verdict: UatVerdict;
  columnDensity: Float64Array;
} {
  const act = activeCoordinates(o.source, { inputs: o.inputs, threshold: o.threshold });
  const density = act.density;
  const active = Array.from(act.indices);
  let coordinates: ArrayLike<number> | undefined;
  if (o.coordinates.kind === 'top') {
    // Densest first; densities equal up to rounding (1e-12) count as ties and keep input order.
    const key = (i: number) => Math.round(density[i] * 1e12);
    coordinates = [...active].sort((a, b) => key(b) - key(a) || a - b).slice(0, o.coordinates.k);
  } else if (o.coordinates.kind === 'list') {
    coordinates = o.coordinates.indices;
  }
  const v = universalApproximationCheck(o.source, {
    inputs: o.inputs,
    width: o.width,
    threshold: o.threshold,
    minNeurons: o.minNeurons,
    q: o.q,
    mask: o.mask,
    coordinates,
  });
  const r = v.rectangle;
  return {
    verdict: v,
    columnDensity: density,
    report: {
      holds: v.holds,
      threshold: o.threshold,
      activeCoordinates: active.length,
      inputs: o.inputs,
      k: v.k,
      coordinates: Array.from(v.coordinates),
      width: v.width,
      q: r.q,
      alpha: r.alpha,
      perNeuronLowerBound: r.perNeuronLowerBound,
      fullyConnectedFraction: r.fullyConnectedFraction,
      predictedCount: v.predictedCount,
      expectedCount: v.expectedCount,
      requiredWidth: Number.isFinite(v.requiredWidth) ? v.requiredWidth : null,
      observedCount: v.observedCount ?? null,
      observedZScore:
        v.observedZScore === undefined || !Number.isFinite(v.observedZScore) ? null : v.observedZScore,
      minNeurons: o.minNeurons,
      conditions: v.conditions.map((c) => ({
        name: c.name,
        holds: c.holds,
        value: c.value,
        threshold: c.threshold,
        message: c.message,
      })),
    },
  };
}

export interface NtkOptions {
  layers: 'both' | 'hidden';
  sigmaW2: number;
  delta: number;
  ridge: number;
  topK: number;
}

export interface NtkReport {
  layers: 'both' | 'hidden';
  sigmaW2: number;
  samples: number;
  /** tr K / m: the kernel's scale (yᵀK⁻¹y scales as its inverse). */
  traceOverM: number;
  alignment: number;
  effectiveRank: number;
  /** Spectrum of K itself (without the ridge). */
  lambdaMin: number;
  lambdaMax: number;
  /** null when λ_min ≤ 0. */
  conditionNumber: number | null;
  topK: number;
  topKEnergy: number;
  bound: {
    delta: number;
    ridge: number;
    quadraticForm: number;
    leadingTerm: number;
    /** λ_min(K + ridge·I), used in the confidence term. */
    lambdaMin: number;
    confidenceTerm: number;
    confidenceConstant: number;
    bound: number;
    reference: string;
  };
}

/** Graphon-NTK, alignment, spectrum and the generalisation bound (see the file header). */
export function evaluateNtk(source: GraphonSource, task: BinaryTask, o: NtkOptions): NtkReport {
  const k = graphonNtk(task.x, source, { layers: o.layers, sigmaW2: o.sigmaW2 });
  const m = k.rows;
  const spectrum = spectralSummary(k, { topK: o.topK });
  const alignment = kernelTargetAlignment(k, task.y);
  const suggested = Math.max((1e-6 * spectrum.trace) / m, Number.MIN_VALUE);
  const notPositiveDefinite = (cause?: unknown) =>
    new NumericalError(
      `the Graphon-NTK on these ${m} samples is not positive definite${o.ridge > 0 ? ` even with --ridge ${o.ridge}` : ''} (λ_min = ${spectrum.lambdaMin.toPrecision(4)}); the bound needs λ_min > 0 and is never computed with a pseudo-inverse`,
      {
        fix: `pass an explicit ridge, e.g. --ridge ${suggested.toPrecision(2)} (1e-6 · mean diagonal; the bound is then for K + λI), or remove duplicate samples`,
        cause,
      },
    );
  // "λ_min ≤ 0 numerically": entries of K carry an error of order √ε·λ_max, not ε·λ_max, because the arc-cosine
  // terms take acos(cos θ) near θ = 0, where δθ ≈ √(2 δ cos θ) (e.g. duplicate samples give θ ≈ 1e-8 instead of 0).
  // A λ_min below that floor is not resolved, and yᵀ(K + λI)⁻¹y would be rounding error amplified.
  if (!(spectrum.lambdaMin + o.ridge > Math.sqrt(Number.EPSILON) * spectrum.lambdaMax))
    throw notPositiveDefinite();
  let b: ReturnType<typeof generalisationBound>;
  try {
    b = generalisationBound(k, task.y, { delta: o.delta, ridge: o.ridge });
  } catch (error) {
    if (error instanceof NumericalError) throw notPositiveDefinite(error);
    throw error;
  }
  return {
    layers: o.layers,
    sigmaW2: o.sigmaW2,
    samples: m,
    traceOverM: spectrum.trace / m,
    alignment,
    effectiveRank: spectrum.effectiveRank,
    lambdaMin: spectrum.lambdaMin,
    lambdaMax: spectrum.lambdaMax,
    conditionNumber: Number.isFinite(spectrum.conditionNumber) ? spectrum.conditionNumber : null,
    topK: spectrum.topK,
    topKEnergy: spectrum.topKEnergy,
    bound: {
      delta: b.delta,
      ridge: b.ridge,
      quadraticForm: b.quadraticForm,
      leadingTerm: b.leadingTerm,
      lambdaMin: b.lambdaMin,
      confidenceTerm: b.confidenceTerm,
      confidenceConstant: b.confidenceConstant,
      bound: b.bound,
      reference: b.reference,
    },
  };
}
