/**
 * A short, bounded rendering of an untrusted JSON value for error messages. `JSON.stringify` recurses
 * (a header value nested 100,000 deep overflows the stack) and may print megabytes; this prints at most
 * two levels, four items per level and 40 characters per scalar.
 */
export function jsonExcerpt(value: unknown, depth = 2): string {
  if (Array.isArray(value)) {
    if (depth === 0) return value.length === 0 ? '[]' : '[…]';
    const items = value.slice(0, 4).map((v) => jsonExcerpt(v, depth - 1));
    return `[${items.join(', ')}${value.length > 4 ? `, … (${value.length} items)` : ''}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (depth === 0 || keys.length === 0) return keys.length === 0 ? '{}' : '{…}';
    const items = keys
      .slice(0, 4)
      .map((k) => `${jsonExcerpt(k, 0)}: ${jsonExcerpt((value as Record<string, unknown>)[k], depth - 1)}`);
    return `{${items.join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
