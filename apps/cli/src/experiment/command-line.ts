/**
 * The command that reproduces an experiment configuration, shared by every preset: `graphon-pai
 * experiment`, the fixed `leading` flags, then each listed flag whose value differs from the preset's
 * default (lists compared and written comma-joined), in the listed order. Reports record this canonical
 * command rather than the argv, so a merged report equals the single-run one.
 */
export function reproducingCommand(
  config: object,
  defaults: object,
  flags: readonly (readonly [key: string, flag: string])[],
  leading: readonly string[] = [],
): string {
  const text = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));
  const c = config as Record<string, unknown>;
  const d = defaults as Record<string, unknown>;
  const out = [...leading];
  for (const [key, flag] of flags) if (text(c[key]) !== text(d[key])) out.push(`${flag} ${text(c[key])}`);
  return ['graphon-pai experiment', ...out].join(' ');
}
