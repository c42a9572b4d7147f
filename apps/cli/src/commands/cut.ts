/**
 * `graphon-pai cut <a> [b]`: the cut norm ‖a‖_□ of one kernel, or the cut distance δ_□(a, b) of two, with
 * the bounds of `@graphon-pai/cut-distance`: a lower bound witnessed by an explicit cut, and an upper bound
 * whose kind is printed (`exact` and `deterministic` bounds are certified; a `probabilistic` one carries its
 * failure probability and is not called certified).
 *
 * Operands: a mask file `m.safetensors` (the layer chosen with `--layer`, or its only layer), a 2-D `.npy`
 * matrix (read as a step function on the uniform grid), `const:p` (the constant graphon p) or
 * `formula:EXPR` (a graphon in u, v sampled at block midpoints on a `--grid` × `--grid` step graphon).
 *
 * Options and help are in `../command-table/cut.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError, readNpy, StepGraphon } from '@graphon-pai/core';
import {
  type Alignment,
  type CertificateKind,
  type CertificatePrecision,
  type CutNormMethod,
  type CutReport,
  type CutTerm,
  cutReport,
  type DenseMatrix,
} from '@graphon-pai/cut-distance';
import { stepGraphonFromExpression } from '@graphon-pai/expressions';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { maskLayer } from '../mask-file';

/** Parses one operand into a cut term and a short description. */
function parseOperand(
  spec: string,
  layer: string | undefined,
  grid: number,
): { term: CutTerm; kind: string } {
  if (spec.startsWith('const:')) {
    const p = Number(spec.slice(6));
    if (!(Number.isFinite(p) && p >= 0 && p <= 1) || spec.length === 6) {
      throw new InvalidArgumentError('operand', spec, "'const:p' with p in [0, 1]", {
        fix: 'e.g. const:0.1',
      });
    }
    return { term: StepGraphon.constant(p), kind: `constant ${p}` };
  }
  if (spec.startsWith('formula:')) {
    const expr = spec.slice(8);
    return {
      term: stepGraphonFromExpression(expr, grid, grid),
      kind: `formula ${expr} on a ${grid}×${grid} grid`,
    };
  }
  if (spec.endsWith('.npy')) {
    if (!fs.existsSync(spec))
      throw new FormatError('no such file', { source: spec, fix: 'check the operand path' });
    const t = readNpy(spec);
    if (t.shape.length !== 2) {
      throw new FormatError(`holds an array of shape [${t.shape.join(', ')}]; expected a 2-D matrix`, {
        source: spec,
      });
    }
    const values = t.data as ArrayLike<number | bigint>;
    const data = t.data instanceof Float64Array ? t.data : new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!Number.isFinite(v))
        throw new FormatError(`holds ${v} at index ${i}`, { source: spec, fix: 'store finite values only' });
      data[i] = v;
    }
    const m: DenseMatrix = { rows: t.shape[0], cols: t.shape[1], data };
    return { term: m, kind: `matrix ${spec} (${m.rows}×${m.cols})` };
  }
  if (spec.endsWith('.safetensors')) {
    const { name, mask } = maskLayer(spec, layer);
    return { term: mask, kind: `mask ${spec}:${name} (${mask.rows}×${mask.cols})` };
  }
  throw new InvalidArgumentError(
    'operand',
    spec,
    "a mask .safetensors, a .npy matrix, 'const:p' or 'formula:EXPR'",
    {
      fix: 'e.g. graphon-pai cut snip.safetensors const:0.1 --layer 0.weight',
    },
  );
}

export interface CutOptions extends GlobalOptions {
  layer?: string;
  method: CutNormMethod;
  alignment: Alignment;
  certificate?: CertificateKind;
  certificatePrecision?: CertificatePrecision;
  grid: string;
}

/** `cutReport` of `@graphon-pai/cut-distance`, with the operands described. */
type CutSummary = { quantity: CutReport['quantity']; a: string; b: string | null } & CutReport;

/** Runs `graphon-pai cut` (the command's action). */
export function runCut(a: string, b: string | undefined, options: CutOptions, io: CliIo): void {
  const grid = Number(options.grid);
  if (!(Number.isSafeInteger(grid) && grid >= 1 && grid <= 4096)) {
    throw new InvalidArgumentError('--grid', options.grid, 'an integer in [1, 4096]');
  }
  const first = parseOperand(a, options.layer, grid);
  const second = b === undefined ? undefined : parseOperand(b, options.layer, grid);
  const { quantity, ...report } = cutReport(first.term, second?.term, {
    method: options.method,
    alignment: options.alignment,
    seed: options.seed ?? 0,
    certificate: options.certificate,
    certificatePrecision: options.certificatePrecision,
  });
  const summary: CutSummary = { quantity, a: first.kind, b: second?.kind ?? null, ...report };
  emit(io, options, summary, (s) => {
    const what = s.b === null ? `‖${s.a}‖_□` : `δ_□(${s.a}, ${s.b})`;
    const upper =
      s.upperBound === null
        ? 'no upper bound'
        : `upper bound ${s.upperBound.toPrecision(6)} (${s.upperBoundKind}${
            s.certificatePrecision !== undefined ? `, ${s.certificatePrecision} Cholesky` : ''
          }), ${
            s.failureProbability !== undefined
              ? `wrong with probability ≤ ${s.failureProbability.toExponential(1)}, not certified`
              : 'certified'
          }`;
    return [
      `${s.quantity}: ${what}`,
      upper,
      `${s.b === null ? 'lower bound' : 'aligned lower bound'} ${s.alignedLowerBound.toPrecision(6)} (value of a witnessed cut)`,
      `method ${s.method}${s.alignment ? `, alignment ${s.alignment}` : ''}`,
    ].join('\n');
  });
}
