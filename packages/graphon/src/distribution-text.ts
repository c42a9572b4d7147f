/**
 * Named laws written as text, the syntax of the CLI and of configuration files:
 *
 *     NAME                      the law with its default parameters      half-normal
 *     NAME:ARGS  or  NAME(ARGS)  with parameters                          half-normal:scale=0.05
 *
 * ARGS is a comma-separated list of `key=value` pairs and of plain values, which fill the parameters in
 * their order (constant: value; uniform: low, high; half-normal: scale; log-normal: mu, sigma; exponential:
 * rate; weibull: shape, scale), so `constant:2`, `uniform:0,2` and `weibull(shape=2, scale=1)` all read.
 * The `name` of a named {@link Distribution} (`uniform(0, 1)`, `half-normal(scale=2)`) reads back as the
 * same law. Values are checked by {@link distribution} itself, so text and objects accept exactly the same
 * laws; unknown names and keys fail with the valid ones.
 *
 * @example
 * parseNamedDistribution('log-normal:sigma=0.5'); // { type: 'log-normal', sigma: 0.5 }
 * parseNamedDistribution(distribution('uniform').name); // { type: 'uniform', low: 0, high: 1 }
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { DISTRIBUTION_NAMES, distribution, type NamedDistribution } from './distributions';

/** The parameters of each named law, in their positional order. */
export const DISTRIBUTION_PARAMETERS: Readonly<Record<NamedDistribution['type'], readonly string[]>> = {
  constant: ['value'],
  uniform: ['low', 'high'],
  'half-normal': ['scale'],
  'log-normal': ['mu', 'sigma'],
  exponential: ['rate'],
  weibull: ['shape', 'scale'],
};

/** Parses a named law (see the file header); `argument` names the text in errors. */
export function parseNamedDistribution(text: string, argument = 'law'): NamedDistribution {
  const value = String(text).trim();
  const m = /^([a-z-]+)(?::(.*)|\((.*)\))?$/s.exec(value);
  const type = m?.[1] as NamedDistribution['type'] | undefined;
  if (!m || type === undefined || !(DISTRIBUTION_NAMES as readonly string[]).includes(type)) {
    throw new InvalidArgumentError(
      argument,
      text,
      `a law: ${DISTRIBUTION_NAMES.join(', ')} (with ':key=value,…' parameters)`,
      { fix: 'e.g. half-normal:scale=0.05' },
    );
  }
  const allowed = DISTRIBUTION_PARAMETERS[type];
  const spec: Record<string, unknown> = { type };
  const body = (m[2] ?? m[3] ?? '').trim();
  let position = 0;
  for (const part of body === '' ? [] : body.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? allowed[position++] : part.slice(0, eq).trim();
    const raw = (eq < 0 ? part : part.slice(eq + 1)).trim();
    const x = Number(raw);
    if (key === undefined || !allowed.includes(key) || key in spec || raw === '' || !Number.isFinite(x)) {
      throw new InvalidArgumentError(
        argument,
        text,
        `'${type}' with numeric parameters ${allowed.map((k) => `${k}=…`).join(', ')}`,
        { fix: `e.g. ${type}:${allowed.map((k) => `${k}=1`).join(',')}` },
      );
    }
    spec[key] = x;
  }
  distribution(spec as NamedDistribution, argument);
  return spec as NamedDistribution;
}
