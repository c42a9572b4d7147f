/**
 * The keys of the top-level object of a JSON text, in text order, and the first key repeated. `JSON.parse`
 * silently keeps the last of two equal keys (a tensor file whose header names a tensor twice is ambiguous
 * and must be rejected) and object key order puts integer-like keys first (the header order of tensors named
 * "0", "1" would be lost). Linear scan, no recursion; assumes `text` already parsed as JSON (so strings and
 * nesting are well formed).
 */
export function topLevelKeys(text: string): { keys: string[]; duplicate: string | undefined } {
  const seen = new Set<string>();
  const keys: string[] = [];
  let duplicate: string | undefined;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i += 2;
        else if (c === 0x22) break;
        else i++;
      }
      const end = i + 1;
      i = end;
      if (depth === 1) {
        let j = i;
        while (j < n && /\s/.test(text[j])) j++;
        if (text[j] === ':') {
          const key = JSON.parse(text.slice(start, end)) as string;
          if (seen.has(key)) duplicate ??= key;
          else {
            seen.add(key);
            keys.push(key);
          }
        }
      }
      continue;
    }
    if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) depth++;
    else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--;
    i++;
  }
  return { keys, duplicate };
}

/**
 * Counts the keys of the top-level object of a JSON text without parsing it (linear scan, no allocation),
 * so a header can be refused for its number of entries before `JSON.parse` builds them. On malformed text
 * the count is approximate; the parse that follows reports the syntax error.
 */
export function countTopLevelKeys(text: string): number {
  let count = 0;
  let depth = 0;
  let afterString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      afterString = depth === 1;
      continue;
    }
    if (ch === 0x3a /* : */ && afterString) count++;
    if (ch === 0x7b || ch === 0x5b) depth++;
    else if (ch === 0x7d || ch === 0x5d) depth--;
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) afterString = false;
  }
  return count;
}
