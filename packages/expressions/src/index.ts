/**
 * @packageDocumentation
 * mathjs expressions as graphons (`expressionGraphon('exp(-4*(u-v)^2)')`), step graphons and FSM profiles
 * (`expressionProfile('exp(-3*x)')`): compiled once, range-checked, booleans as indicators. Kept apart from
 * `@graphon-pai/graphon` so that the numerical packages install without mathjs.
 */
export {
  compileExpression,
  type ExpressionProfile,
  expressionGraphon,
  expressionProfile,
  stepGraphonFromExpression,
} from './expression';
