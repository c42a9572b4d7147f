/**
 * The law syntax of the CLI for the Factorised Saliency Model's factors and noise, parsed into
 * `@graphon-pai/graphon` distribution specs:
 *
 *     constant | constant:2 | constant:value=2
 *     uniform[:low=0,high=1]   half-normal[:scale=1]   log-normal[:mu=0,sigma=1]
 *     exponential[:rate=1]     weibull[:shape=1,scale=1]
 *     profile:EXPR             a deterministic profile b(x), x ∈ [0, 1] (mathjs, e.g. profile:exp(-3*x))
 *
 * Parameters are validated by the graphon package itself (`distribution`), so the CLI and the library
 * accept exactly the same laws; unknown names and parameter keys fail here with the list of valid ones.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { expressionProfile } from '@graphon-pai/expressions';
import {
  DISTRIBUTION_NAMES,
  type DistributionSpec,
  distribution,
  type NamedDistribution,
} from '@graphon-pai/graphon';

const PARAMETERS: Record<NamedDistribution['type'], readonly string[]> = {
  constant: ['value'],
  uniform: ['low', 'high'],
  'half-normal': ['scale'],
  'log-normal': ['mu', 'sigma'],
  exponential: ['rate'],
  weibull: ['shape', 'scale'],
};

const SYNTAX = `a law: ${DISTRIBUTION_NAMES.join(', ')} (with ':key=value,…' parameters) or 'profile:EXPR'`;

/** Parses one law; `flag` names the option in errors. Throws InvalidArgumentError on anything unusable. */
export function parseLaw(text: string, flag: string): DistributionSpec {
  const value = text.trim();
  if (value.startsWith('profile:')) {
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
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const body = colon < 0 ? '' : value.slice(colon + 1);
  if (!(DISTRIBUTION_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(flag, text, SYNTAX, {
      fix: 'e.g. half-normal:scale=0.05 or profile:exp(-3*x)',
    });
  }
  const type = name as NamedDistribution['type'];
  const spec: Record<string, unknown> = { type };
  const allowed = PARAMETERS[type];
  if (body !== '') {
    for (const part of body.split(',')) {
      const eq = part.indexOf('=');
      // `constant:2` is shorthand for `constant:value=2`.
      const key = eq < 0 && type === 'constant' ? 'value' : part.slice(0, eq).trim();
      const raw = eq < 0 ? part : part.slice(eq + 1);
      const x = Number(raw.trim());
      if (
        (eq < 0 && type !== 'constant') ||
        !allowed.includes(key) ||
        raw.trim() === '' ||
        !Number.isFinite(x)
      ) {
        throw new InvalidArgumentError(
          flag,
          text,
          `'${type}' with numeric parameters ${allowed.map((k) => `${k}=…`).join(', ')}`,
          { fix: `e.g. ${type}:${allowed.map((k) => `${k}=1`).join(',')}` },
        );
      }
      spec[key] = x;
    }
  }
  distribution(spec as NamedDistribution, flag);
  return spec as NamedDistribution;
}
