/**
 * Graphon sources accepted by every calculator in this package.
 *
 * A source is one of
 * - a {@link StepGraphon} / {@link StepKernel} from `@graphon-pai/core` (exact block arithmetic),
 * - a {@link BitMatrix} mask, read as its step graphon `W_M(u, v) = M[⌈n_out·u⌉, ⌈n_in·v⌉]`
 *   (rows = output neurons, cols = inputs),
 * - any {@link Graphon} (a `value(u, v)` function; integrated by quadrature). A formula such as
 *   `"exp(-4*(u-v)^2)"` is one once compiled by `expressionGraphon` of `@graphon-pai/expressions`.
 *
 * Calculators sample a function graphon once on their quadrature grid (rows × inputs points) and work on
 * typed arrays after, so a slow `value` (a compiled expression costs about a microsecond) is paid once.
 *
 * @example
 * resolveGraphon({ value: (u, v) => Math.exp(-4 * (u - v) ** 2) }); // passed through after the check
 */
import { BitMatrix, type Graphon, InvalidArgumentError, StepKernel } from '@graphon-pai/core';

/** Anything the calculators accept as a (bipartite) graphon. */
export type GraphonSource = StepKernel | BitMatrix | Graphon;

/** Checks a source and passes it through. */
export function resolveGraphon(source: GraphonSource, name = 'graphon'): StepKernel | BitMatrix | Graphon {
  if (source instanceof StepKernel || source instanceof BitMatrix) return source;
  if (source && typeof (source as Graphon).value === 'function') return source as Graphon;
  throw new InvalidArgumentError(name, source, 'a StepGraphon, a BitMatrix mask or a Graphon (value(u, v))', {
    fix:
      typeof source === 'string'
        ? `compile the formula first: expressionGraphon(${JSON.stringify(source)}) from @graphon-pai/expressions`
        : 'pass a step graphon, a mask or an object with value(u, v) in [0, 1]',
  });
}
