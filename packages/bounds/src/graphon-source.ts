/**
 * Graphon sources accepted by every calculator in this package, and formula graphons through mathjs.
 *
 * A source is one of
 * - a {@link StepGraphon} / {@link StepKernel} from `@graphon-pai/core` (exact block arithmetic),
 * - a {@link BitMatrix} mask, read as its step graphon `W_M(u, v) = M[⌈n_out·u⌉, ⌈n_in·v⌉]`
 *   (rows = output neurons, cols = inputs),
 * - any {@link Graphon} (a `value(u, v)` function; integrated by quadrature),
 * - a **formula string** in `u` (output-neuron position) and `v` (input position), e.g.
 *   `"exp(-4*(u-v)^2)"` or `"0.1 + 0.8*(v < 0.25)"`.
 *
 * Formula strings are compiled by `@graphon-pai/graphon`'s `expressionGraphon` (mathjs, compiled once, checked
 * on a 65 × 65 probe grid at creation and at every evaluation: values must be finite and in [0, 1], else an
 * {@link InvalidArgumentError} with the point). A bare comparison such as `"v < 0.25"` is an indicator:
 * true/false evaluate as 1/0. A mathjs evaluation costs a few µs; calculators sample a formula once on their
 * quadrature grid (rows × inputs points) and work on typed arrays after.
 *
 * @example
 * const w = formulaGraphon('exp(-4*(u-v)^2)');
 * w.value(0.5, 0.5); // 1
 */
import { BitMatrix, type Graphon, InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { expressionGraphon } from '@graphon-pai/graphon';

/** Anything the calculators accept as a (bipartite) graphon. */
export type GraphonSource = StepKernel | BitMatrix | Graphon | string;

/** A {@link Graphon} backed by a mathjs expression in `u` and `v`. */
export interface FormulaGraphon extends Graphon {
  readonly closedForm: string;
}

/**
 * A mathjs formula in `u` and `v` as a graphon: `expressionGraphon` of `@graphon-pai/graphon` (kept under
 * this name for this package's users; see the file header).
 */
export function formulaGraphon(expression: string): FormulaGraphon {
  const g = expressionGraphon(expression);
  return { value: g.value, closedForm: expression };
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
