/**
 * Graphon sources accepted by every calculator in this package, and formula graphons through mathjs.
 *
 * A source is one of
 * - a {@link StepGraphon} / {@link StepKernel} from `@graphon-pai/core` (exact block arithmetic),
 * - a {@link BitMatrix} mask, read as its step graphon `W_M(u, v) = M[⌈n_out·u⌉, ⌈n_in·v⌉]`
 *   (rows = output neurons, cols = inputs),
 * - any {@link Graphon} (a `value(u, v)` function; integrated by quadrature),
 * - a **formula string** in `u` (output-neuron position) and `v` (input position), evaluated with mathjs,
 *   e.g. `"exp(-4*(u-v)^2)"` or `"0.1 + 0.8*(v < 0.25)"`.
 *
 * Formula graphons are compiled once; every evaluation is checked to be a finite number in [0, 1] (an
 * out-of-range value throws {@link InvalidArgumentError} naming the point). mathjs parses the formula; the
 * arithmetic subset (numbers, u, v, pi, e, + − * / ^ mod, comparisons, and/or/not, `? :`, exp, log, sqrt,
 * abs, min, max, trigonometric and hyperbolic functions, floor, ceil, sign, pow) is then compiled into JS
 * closures with mathjs's semantics (≈ 0.05 µs per point instead of mathjs's 30–90 µs); anything else is
 * evaluated by mathjs itself. Calculators sample a formula on a quadrature grid once and work on typed
 * arrays after.
 *
 * @example
 * const w = formulaGraphon('exp(-4*(u-v)^2)');
 * w.value(0.5, 0.5); // 1
 */
import { BitMatrix, type Graphon, InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { parse } from 'mathjs';
import { compileFormula } from './internal/compile-formula';

/** Anything the calculators accept as a (bipartite) graphon. */
export type GraphonSource = StepKernel | BitMatrix | Graphon | string;

/** A {@link Graphon} backed by a mathjs expression in `u` and `v`. */
export interface FormulaGraphon extends Graphon {
  readonly closedForm: string;
}

/** Compiles a mathjs formula in `u` and `v` into a graphon; see the file header. */
export function formulaGraphon(expression: string): FormulaGraphon {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new InvalidArgumentError(
      'graphon',
      expression,
      'a non-empty formula in u and v, e.g. "exp(-4*(u-v)^2)"',
    );
  }
  let code: { evaluate: (scope: Record<string, number>) => unknown };
  let fast: ((u: number, v: number) => number) | undefined;
  try {
    const tree = parse(expression);
    code = tree.compile();
    fast = compileFormula(tree);
  } catch (error) {
    throw new InvalidArgumentError('graphon', expression, 'a formula mathjs can parse', {
      fix: `correct the syntax (${(error as Error).message})`,
      cause: error,
    });
  }
  const scope = { u: 0, v: 0 };
  const value = (u: number, v: number): number => {
    scope.u = u;
    scope.v = v;
    let raw: unknown;
    if (fast) raw = fast(u, v);
    else
      try {
        raw = code.evaluate(scope);
      } catch (error) {
        throw new InvalidArgumentError('graphon', expression, 'a formula in the variables u and v only', {
          fix: `${(error as Error).message}; use u (neuron position) and v (input position) in [0, 1]`,
          cause: error,
        });
      }
    const x = typeof raw === 'boolean' ? Number(raw) : raw;
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
      throw new InvalidArgumentError(`graphon(${u}, ${v})`, raw, 'a number in [0, 1]', {
        fix: `rescale or clip the formula "${expression}", e.g. min(1, max(0, ...))`,
      });
    }
    return x;
  };
  // Evaluate once so that syntax-valid but unusable formulas fail at construction.
  value(0.5, 0.5);
  return { value, closedForm: expression };
}

/** Normalises a source: strings become formula graphons, everything else is checked and passed through. */
export function resolveGraphon(source: GraphonSource, name = 'graphon'): StepKernel | BitMatrix | Graphon {
  if (typeof source === 'string') return formulaGraphon(source);
  if (source instanceof StepKernel || source instanceof BitMatrix) return source;
  if (source && typeof (source as Graphon).value === 'function') return source as Graphon;
  throw new InvalidArgumentError(
    name,
    source,
    'a StepGraphon, a BitMatrix mask, a Graphon or a formula string in u and v',
  );
}
