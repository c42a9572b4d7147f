/**
 * The law syntax of the CLI for the Factorised Saliency Model's factors and noise: a named law as
 * `@graphon-pai/graphon`'s `parseNamedDistribution` reads it, or a deterministic profile of a mathjs
 * expression in x ∈ [0, 1] (`@graphon-pai/expressions`):
 *
 *     constant | constant:2 | uniform:low=0,high=1 | half-normal:scale=0.05 | log-normal:mu=0,sigma=1
 *     exponential:rate=1 | weibull:shape=1,scale=1 | profile:EXPR (e.g. profile:exp(-3*x))
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { expressionProfile } from '@graphon-pai/expressions';
import {
  DISTRIBUTION_NAMES,
  type DistributionSpec,
  distribution,
  parseNamedDistribution,
} from '@graphon-pai/graphon';

/** Parses one law; `flag` names the option in errors. Throws InvalidArgumentError on anything unusable. */
export function parseLaw(text: string, flag: string): DistributionSpec {
  const value = text.trim();
  if (!value.startsWith('profile:')) {
    if (!(DISTRIBUTION_NAMES as readonly string[]).includes(value.split(/[:(]/)[0])) {
      throw new InvalidArgumentError(
        flag,
        text,
        `a law: ${DISTRIBUTION_NAMES.join(', ')} or 'profile:EXPR'`,
        {
          fix: 'e.g. half-normal:scale=0.05 or profile:exp(-3*x)',
        },
      );
    }
    return parseNamedDistribution(value, flag);
  }
  const profile = value.slice('profile:'.length).trim();
  if (profile === '') {
    throw new InvalidArgumentError(flag, text, "'profile:EXPR' with an expression in x", {
      fix: 'e.g. profile:exp(-3*x)',
    });
  }
  const spec = expressionProfile(profile, `${flag}.profile`);
  distribution(spec, flag);
  return spec;
}
