/**
 * `graphon-pai bounds <source>`: the theory's two consequences for a mask or a graphon on a data set
 * (docs: concepts/uat-condition and concepts/graphon-ntk), from `@graphon-pai/bounds`:
 *
 * - **UAT on active coordinates**: active inputs (column density > `--threshold`), the floor rectangle
 *   [neurons of measure α] × S with W ≥ q on the coordinate set S (`--coordinates`), the predicted number of
 *   neurons fully connected to S, α·n·q^k, against the target `--min-neurons`, and for a mask the observed count;
 * - **Graphon-NTK generalisation bound** on a binary task (`--data`, `--classes`, `--samples`): kernel–target
 *   alignment, λ_min, λ_max, condition number, effective rank, top-k eigen energy, and the Arora et al. (2019)
 *   bound √(2 yᵀ(K + λI)⁻¹y / m) + C √(log(m/(λ_min δ)) / m) with the explicit ridge λ (`--ridge`, default 0).
 *
 * Sources: a mask `.safetensors` (`--layer`; its graphon: rows sorted by degree in `--row-blocks` blocks,
 * inputs in order — `@graphon-pai/graphon` `rowBlockGraphon`), a `.npy` matrix of graphon values on a uniform K × L grid (or a
 * `graphon.npy` beside `row_cuts.npy` / `col_cuts.npy`, as `graphon-pai graphon` and `limit` write them),
 * `const:p`, or `formula:EXPR` in u (neuron position) and v (input position).
 *
 * Options and help are in `../command-table/bounds.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import * as fs from 'node:fs';
import {
  type BitMatrix,
  FormatError,
  InvalidArgumentError,
  readNpy,
  readStepGraphonNpy,
  StepGraphon,
} from '@graphon-pai/core';
import {
  type GraphonSource,
  graphonNtkReport,
  type NtkReport,
  type UatReport,
  uatReport,
} from '@graphon-pai/bounds';
import { expressionGraphon } from '@graphon-pai/expressions';
import { rowBlockGraphon } from '@graphon-pai/graphon';
import { parseClasses, parseInteger, parseNumber } from '../options';
import { loadBinaryTask, parseCoordinates } from '../task-input';
import { setupEngine } from '../engine';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { maskLayer } from '../mask-file';
import { Progress } from '../progress';

export interface BoundsOptions extends GlobalOptions {
  layer?: string;
  rowBlocks: string;
  width?: string;
  data: string;
  labels?: string;
  classes?: string;
  samples: string;
  normalize: boolean;
  threshold: string;
  coordinates?: string;
  minNeurons: string;
  q?: string;
  layers: 'both' | 'hidden';
  sigmaW2: string;
  delta: string;
  ridge: string;
  topK: string;
  ntk: boolean;
}

interface ResolvedSource {
  graphon: GraphonSource;
  mask?: BitMatrix;
  /** Inputs the graphon is defined on (null: any, e.g. a formula). */
  inputs: number | null;
  width: number | null;
  description: string;
}

/** Resolves the positional source (see the file header). */
function resolveSource(spec: string, layer: string | undefined, rowBlocks: number): ResolvedSource {
  if (layer !== undefined && !spec.endsWith('.safetensors')) {
    throw new InvalidArgumentError('--layer', layer, 'used only with a mask .safetensors source', {
      fix: 'drop --layer',
    });
  }
  if (spec.startsWith('const:')) {
    const p = Number(spec.slice(6));
    if (spec.length === 6 || !(Number.isFinite(p) && p >= 0 && p <= 1)) {
      throw new InvalidArgumentError('source', spec, "'const:p' with p in [0, 1]", { fix: 'e.g. const:0.1' });
    }
    return {
      graphon: StepGraphon.constant(p),
      inputs: null,
      width: null,
      description: `constant graphon ${p}`,
    };
  }
  if (spec.startsWith('formula:')) {
    const expr = spec.slice(8);
    if (expr.trim() === '') {
      throw new InvalidArgumentError('source', spec, "'formula:EXPR' in u and v", {
        fix: "e.g. 'formula:0.05 + 0.5*(v < 0.3)'",
      });
    }
    return { graphon: expressionGraphon(expr), inputs: null, width: null, description: `formula ${expr}` };
  }
  if (spec.endsWith('.npy')) {
    const g = readStepGraphonNpy(spec);
    const shape = `${g.rowBlocks}×${g.colBlocks}`;
    return { graphon: g, inputs: null, width: null, description: `step graphon ${shape} from ${spec}` };
  }
  if (spec.endsWith('.safetensors')) {
    const { name, mask } = maskLayer(spec, layer);
    const k = Math.min(rowBlocks, mask.rows);
    return {
      graphon: rowBlockGraphon(mask, k),
      mask,
      inputs: mask.cols,
      width: mask.rows,
      description: `mask ${name} (${mask.rows}×${mask.cols}) as a ${k}-row-block graphon, inputs in order`,
    };
  }
  throw new InvalidArgumentError(
    'source',
    spec,
    "a mask .safetensors, a graphon .npy, 'const:p' or 'formula:EXPR'",
    {
      fix: 'e.g. graphon-pai bounds snip.safetensors --layer 0.weight',
    },
  );
}

interface BoundsSummary {
  source: string;
  data: string;
  uat: UatReport;
  ntk: NtkReport | null;
}

/** Runs `graphon-pai bounds` (the command's action). */
export async function runBounds(spec: string, o: BoundsOptions, io: CliIo): Promise<void> {
  // Cheap validation first.
  const rowBlocks = parseInteger(o.rowBlocks, '--row-blocks');
  const samples = parseInteger(o.samples, '--samples', 2);
  const threshold = parseNumber(o.threshold, '--threshold', 'a number in [0, 1)', (x) => x >= 0 && x < 1);
  const minNeurons = parseNumber(o.minNeurons, '--min-neurons', 'a positive number', (x) => x > 0);
  const q =
    o.q === undefined ? undefined : parseNumber(o.q, '--q', 'a number in (0, 1]', (x) => x > 0 && x <= 1);
  const delta = parseNumber(o.delta, '--delta', 'a number in (0, 1)', (x) => x > 0 && x < 1);
  const ridge = parseNumber(o.ridge, '--ridge', 'a number ≥ 0', (x) => x >= 0);
  const sigmaW2 = parseNumber(o.sigmaW2, '--sigma-w2', 'a positive number', (x) => x > 0);
  const topK = parseInteger(o.topK, '--top-k');
  const classes = parseClasses(o.classes);
  const coordinates = parseCoordinates(o.coordinates);
  const source = resolveSource(spec, o.layer, rowBlocks);
  if (o.width !== undefined && source.width !== null) {
    throw new InvalidArgumentError('--width', o.width, 'absent for a mask source (its rows are the width)', {
      fix: 'drop --width',
    });
  }
  const width = source.width ?? (o.width === undefined ? 1024 : parseInteger(o.width, '--width'));
  const inputs =
    source.inputs ??
    (o.data === 'mnist' || !o.data.endsWith('.npy') ? 784 : (readNpyShape(o.data)[1] ?? 784));
  const seed = o.seed ?? 0;
  const progress = new Progress(io, o.ntk ? 3 : 1, 'bounds');
  const uat = uatReport({
    source: source.graphon,
    inputs,
    width,
    mask: source.mask,
    threshold,
    coordinates,
    minNeurons,
    q,
  }).report;
  progress.tick('UAT condition');
  let ntk: NtkReport | null = null;
  let data = 'none (--no-ntk)';
  if (o.ntk) {
    const task = await loadBinaryTask({
      data: o.data,
      labels: o.labels,
      classes,
      samples,
      features: inputs,
      seed,
      normalize: o.normalize,
    });
    data = task.description;
    progress.tick(`data: ${task.x.rows} × ${task.x.cols}`);
    await setupEngine();
    ntk = graphonNtkReport(source.graphon, task, {
      layers: o.layers,
      sigmaW2,
      delta,
      ridge,
      topK,
      ridgeName: '--ridge',
    });
    progress.tick('Graphon-NTK and bound');
  }
  const summary: BoundsSummary = { source: source.description, data, uat, ntk };
  emit(io, o, summary, describeBounds);
}

function readNpyShape(file: string): readonly number[] {
  if (!fs.existsSync(file))
    throw new FormatError('no such file', { source: file, fix: 'check the --data path' });
  return readNpy(file).shape;
}

const g = (x: number | null, digits = 4) =>
  x === null ? '∞' : Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);

function describeBounds(s: BoundsSummary): string {
  const u = s.uat;
  const lines = [
    `source: ${s.source}`,
    `UAT on active coordinates: ${u.holds ? 'holds' : 'does not hold'}`,
    `  ${u.activeCoordinates} of ${u.inputs} inputs active (column density > ${u.threshold}); S = ${u.k} coordinate${u.k === 1 ? '' : 's'}${
      u.k > 0 && u.k <= 12 ? ` {${u.coordinates.join(', ')}}` : ''
    }`,
    `  floor rectangle: W ≥ q = ${g(u.q)} on neurons of measure α = ${g(u.alpha)}; α·q^k = ${g(u.perNeuronLowerBound)}`,
    `  fully connected neurons at width ${u.width}: predicted α·n·q^k = ${g(u.predictedCount)}, expected n·∫Πw = ${g(u.expectedCount)}${
      u.observedCount === null ? '' : `, observed ${u.observedCount}`
    } (target ${u.minNeurons}; required width ${g(u.requiredWidth, 6)})`,
    ...u.conditions.filter((c) => !c.holds).map((c) => `  fails: ${c.name}: ${c.message}`),
  ];
  const n = s.ntk;
  if (n) {
    lines.push(
      `data: ${s.data}`,
      `Graphon-NTK (${n.layers === 'both' ? 'both layers' : 'hidden layer, H^∞'}, σ_w² = ${n.sigmaW2}): tr K/m ${g(n.traceOverM)}, alignment ${g(n.alignment)}, effective rank ${g(n.effectiveRank)}, top-${n.topK} energy ${g(n.topKEnergy)}`,
      `  λ_min ${g(n.lambdaMin)}, λ_max ${g(n.lambdaMax)}, condition number ${g(n.conditionNumber)}`,
      `generalisation bound (Arora et al. 2019, δ = ${n.bound.delta}${n.bound.ridge > 0 ? `, ridge ${n.bound.ridge}` : ''}): ${g(n.bound.bound)} = leading √(2yᵀK⁻¹y/m) ${g(n.bound.leadingTerm)} + confidence ${g(n.bound.confidenceTerm)} (C = ${g(n.bound.confidenceConstant)})${n.bound.vacuous ? ' — vacuous: at least 1, so it says nothing about the 0–1 error' : ''}`,
    );
  }
  return lines.join('\n');
}
