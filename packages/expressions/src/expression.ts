/**
 * `mathjs` expressions for graphons, step graphons and FSM profiles, compiled once.
 *
 * A graphon is written in `u` (output-neuron position) and `v` (input position), e.g.
 * `"exp(-4*(u-v)^2)"`; a profile in `x` (aliases `u`, `v`). Expressions are parsed and compiled once by
 * `mathjs` and evaluated with a reused scope object; they are checked on a 65 × 65 probe grid at creation
 * (values must be finite and, for graphons, in [0, 1]) and again at every evaluation.
 *
 * Booleans are indicators: a comparison such as `"v < 0.25"` (a mathjs boolean) evaluates as 1 where it holds
 * and 0 elsewhere, the indicator graphon a researcher means by it; mixed forms (`"0.8*(u < 0.5) + 0.1"`) are
 * numbers in mathjs already. Any other result type (a complex number from `sqrt` of a negative, a matrix, a
 * unit, a string) is a typed error naming the type and the point, not a silent NaN.
 *
 * Evaluating a compiled `mathjs` expression costs about a microsecond: fine for grids and quadrature, too
 * slow for per-weight hot loops — resample onto a step graphon first ({@link stepGraphonFromExpression}).
 *
 * @example
 * const w = expressionGraphon('exp(-4*(u-v)^2)');
 * w.value(0.5, 0.5); // 1
 * const s = stepGraphonFromExpression('u*v', 64, 64); // midpoint values on 64 × 64 blocks
 * const p = expressionProfile('exp(-3*x)'); // { profile: x => e^(-3x), name: 'exp(-3*x)' }, for `distribution`
 */
import { createRequire } from 'node:module';
import { type Graphon, InvalidArgumentError, StepGraphon } from '@graphon-pai/core';
import type * as MathJs from 'mathjs';

const { isNaN: nan } = Number;

let mathjs: typeof MathJs | undefined;

/**
 * mathjs, loaded on the first expression: it takes seconds to load, and importing this package should not
 * cost that. Loaded with this module's own `require` (CommonJS build, jest) or one made by `createRequire`
 * (ESM, sources under tsx), as `@graphon-pai/linalg` loads its native providers; the ESM build defines a
 * real `require` in a tsup banner.
 */
function math(): typeof MathJs {
  if (!mathjs) {
    const load = typeof require === 'function' ? require : createRequire(import.meta.url);
    mathjs = load('mathjs') as typeof MathJs;
  }
  return mathjs;
}

/** Compiles `expression` into a function of the named variables (positional arguments). */
export function compileExpression(
  expression: string,
  variables: readonly string[],
  argument = 'expression',
  /** What a valid result is, for the error on non-real results (a graphon says "values in [0, 1]"). */
  expected = 'an expression with a real number (or true/false) value',
): (...args: number[]) => number {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new InvalidArgumentError(argument, expression, 'a non-empty mathjs expression string');
  }
  let code: { evaluate(scope: Record<string, number>): unknown };
  try {
    // Undefined symbols (a typo, a variable other than the allowed ones) fail in the probe evaluation.
    code = math().compile(expression);
    const probe: Record<string, number> = {};
    for (const v of variables) probe[v] = 0.5;
    code.evaluate(probe);
  } catch (cause) {
    throw new InvalidArgumentError(
      argument,
      expression,
      `an expression mathjs can evaluate in ${variables.join(', ')}`,
      {
        fix: `check the syntax and use only the variables ${variables.join(', ')} (${(cause as Error).message})`,
        cause,
      },
    );
  }
  const scope: Record<string, number> = {};
  const evaluate = (...args: number[]): number => {
    for (let i = 0; i < variables.length; i++) scope[variables[i]] = args[i];
    const y = code.evaluate(scope);
    if (typeof y === 'number') return y;
    if (typeof y === 'boolean') return y ? 1 : 0;
    const at = variables.map((v, i) => `${v} = ${args[i]}`).join(', ');
    throw new InvalidArgumentError(argument, expression, expected, {
      fix: `it evaluates to a ${math().typeOf(y)} (${String(y)}) at ${at}; keep arguments of sqrt, log, ^ in their real domain, e.g. sqrt(max(0, …))`,
    });
  };
  // The probe point again, now for the type of the result (the parse check above only catches errors).
  evaluate(...variables.map(() => 0.5));
  return evaluate;
}

/** A graphon given by an expression in u and v, validated on a probe grid. */
export function expressionGraphon(expression: string): Graphon {
  const f = compileExpression(expression, ['u', 'v'], 'expression', 'a graphon with values in [0, 1]');
  const check = (u: number, v: number, y: number): number => {
    if (!(y >= 0 && y <= 1)) {
      throw new InvalidArgumentError('expression', expression, 'a graphon with values in [0, 1]', {
        fix: nan(y)
          ? `it is undefined (NaN) at (u, v) = (${u}, ${v}); guard the 0/0, log(0) or similar there`
          : `it evaluates to ${y} at (u, v) = (${u}, ${v}); clamp it, e.g. min(1, max(0, …))`,
      });
    }
    return y;
  };
  for (let i = 0; i <= 64; i++) for (let j = 0; j <= 64; j++) check(i / 64, j / 64, f(i / 64, j / 64));
  return { value: (u, v) => check(u, v, f(u, v)), closedForm: expression };
}

/** Midpoint values of an expression graphon on `rowBlocks × colBlocks` equal blocks. */
export function stepGraphonFromExpression(
  expression: string,
  rowBlocks: number,
  colBlocks: number,
): StepGraphon {
  const g = expressionGraphon(expression);
  const values = new Float64Array(rowBlocks * colBlocks);
  for (let a = 0; a < rowBlocks; a++) {
    for (let b = 0; b < colBlocks; b++)
      values[a * colBlocks + b] = g.value((a + 0.5) / rowBlocks, (b + 0.5) / colBlocks);
  }
  return StepGraphon.uniformBlocks(rowBlocks, colBlocks, values);
}

/** A deterministic FSM profile `b(x)`, x ∈ [0, 1], in the shape `@graphon-pai/graphon`'s `distribution` takes. */
export interface ExpressionProfile {
  /** `b(x)`; the expression's variables `x`, `u` and `v` all name the position. */
  readonly profile: (x: number) => number;
  /** The expression, used as the law's name (`profile(exp(-3*x))`). */
  readonly name: string;
}

/**
 * A profile `b(x)` written as an expression in `x` (aliases `u`, `v`), e.g. `"exp(-3*x)"`. The graphon
 * package checks its values (finite, ≥ 0) when it builds the law: `distribution({ ...p, resolution })`.
 */
export function expressionProfile(expression: string, argument = 'profile'): ExpressionProfile {
  const f = compileExpression(expression, ['x', 'u', 'v'], argument);
  return { profile: (x) => f(x, x, x), name: expression };
}
