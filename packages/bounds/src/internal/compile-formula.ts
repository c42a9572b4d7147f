/**
 * Compiles the arithmetic subset of a mathjs expression tree into plain JS closures over (u, v).
 *
 * mathjs's own `evaluate` costs 30–90 µs per call here (scope wrapping, typed dispatch), which makes
 * sampling a formula graphon on a 64 × 784 quadrature grid take seconds. For trees built only from numbers,
 * `u`, `v`, `pi`, `e`, + − * / ^ (unary ±), comparisons, `and`/`or`/`not`, `? :` and the functions listed in
 * FUNCTIONS, this returns a closure tree with the same semantics on real numbers:
 * comparisons use mathjs's tolerance (`relTol` 1e-12, `absTol` 1e-15, its defaults), `mod` is floored,
 * booleans become 1/0. Anything else returns `undefined` and the caller falls back to mathjs.
 * Where mathjs would return a complex number (e.g. `sqrt(-1)`), the closure returns NaN; both are
 * rejected by the graphon's [0, 1] check.
 */
import type { MathNode } from 'mathjs';

type Fn = (u: number, v: number) => number;

const REL_TOL = 1e-12;
const ABS_TOL = 1e-15;

function nearlyEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(REL_TOL * Math.max(Math.abs(a), Math.abs(b)), ABS_TOL);
}

const FUNCTIONS: Record<string, { arity: number | 'any'; f: (...x: number[]) => number }> = {
  exp: { arity: 1, f: Math.exp },
  log: { arity: 1, f: Math.log },
  log2: { arity: 1, f: Math.log2 },
  log10: { arity: 1, f: Math.log10 },
  sqrt: { arity: 1, f: Math.sqrt },
  abs: { arity: 1, f: Math.abs },
  sin: { arity: 1, f: Math.sin },
  cos: { arity: 1, f: Math.cos },
  tan: { arity: 1, f: Math.tan },
  tanh: { arity: 1, f: Math.tanh },
  sinh: { arity: 1, f: Math.sinh },
  cosh: { arity: 1, f: Math.cosh },
  atan: { arity: 1, f: Math.atan },
  floor: { arity: 1, f: Math.floor },
  ceil: { arity: 1, f: Math.ceil },
  sign: { arity: 1, f: Math.sign },
  min: { arity: 'any', f: Math.min },
  max: { arity: 'any', f: Math.max },
  pow: { arity: 2, f: Math.pow },
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: (a, b) => (b === 0 ? a : a - b * Math.floor(a / b)),
  smaller: (a, b) => (a < b && !nearlyEqual(a, b) ? 1 : 0),
  larger: (a, b) => (a > b && !nearlyEqual(a, b) ? 1 : 0),
  smallerEq: (a, b) => (a < b || nearlyEqual(a, b) ? 1 : 0),
  largerEq: (a, b) => (a > b || nearlyEqual(a, b) ? 1 : 0),
  equal: (a, b) => (nearlyEqual(a, b) ? 1 : 0),
  unequal: (a, b) => (nearlyEqual(a, b) ? 0 : 1),
  and: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  or: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

// biome-ignore lint/suspicious/noExplicitAny: mathjs node subclasses are discriminated by their `type` string
type AnyNode = MathNode & Record<string, any>;

/** A closure for the supported subset, or undefined (then use mathjs). */
export function compileFormula(node: MathNode): Fn | undefined {
  const n = node as AnyNode;
  switch (n.type) {
    case 'ConstantNode': {
      const c = typeof n.value === 'boolean' ? Number(n.value) : n.value;
      return typeof c === 'number' ? () => c : undefined;
    }
    case 'SymbolNode':
      if (n.name === 'u') return (u) => u;
      if (n.name === 'v') return (_u, v) => v;
      if (n.name === 'pi') return () => Math.PI;
      if (n.name === 'e') return () => Math.E;
      return undefined;
    case 'ParenthesisNode':
      return compileFormula(n.content);
    case 'ConditionalNode': {
      const c = compileFormula(n.condition);
      const t = compileFormula(n.trueExpr);
      const f = compileFormula(n.falseExpr);
      return c && t && f ? (u, v) => (c(u, v) !== 0 ? t(u, v) : f(u, v)) : undefined;
    }
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map(compileFormula);
      if (args.some((a) => a === undefined)) return undefined;
      const fs = args as Fn[];
      if (fs.length === 1) {
        const a = fs[0];
        if (n.fn === 'unaryMinus') return (u, v) => -a(u, v);
        if (n.fn === 'unaryPlus') return a;
        if (n.fn === 'not') return (u, v) => (a(u, v) === 0 ? 1 : 0);
        return undefined;
      }
      const op = BINARY[n.fn as string];
      if (!op || fs.length !== 2) return undefined;
      const [a, b] = fs;
      return (u, v) => op(a(u, v), b(u, v));
    }
    case 'FunctionNode': {
      const spec = FUNCTIONS[n.fn?.name as string];
      if (!spec) return undefined;
      const args = (n.args as MathNode[]).map(compileFormula);
      if (args.some((a) => a === undefined)) return undefined;
      const fs = args as Fn[];
      if (spec.arity !== 'any' && fs.length !== spec.arity) return undefined;
      if (fs.length === 0) return undefined;
      if (fs.length === 1) {
        const a = fs[0];
        const f = spec.f;
        return (u, v) => f(a(u, v));
      }
      if (fs.length === 2) {
        const [a, b] = fs;
        const f = spec.f;
        return (u, v) => f(a(u, v), b(u, v));
      }
      const f = spec.f;
      return (u, v) => f(...fs.map((g) => g(u, v)));
    }
    default:
      return undefined;
  }
}
