/**
 * Turns one consumer source (ESM with `import … from` lines and top-level await, written so that it is
 * also valid TypeScript) into the files the packaging check runs:
 *
 * - `consumer.mjs`  — the source as is (ESM `import`);
 * - `consumer.cjs`  — the same body with every import rewritten to `require(…)`, wrapped in an async
 *                     function (CommonJS has no top-level await);
 * - `consumer.mts`  — the source as is, type-checked against the published `index.d.ts`;
 * - `consumer.cts`  — imports kept, body wrapped, type-checked against the published `index.d.cts`.
 *
 * Only the import forms the consumers use are supported; anything else is an error, so a consumer cannot
 * silently run only half of itself.
 */

const IMPORT_RE = /^import\s+(?<what>[^'"]*?)\s*(?:from\s+)?(?<q>['"])(?<spec>[^'"]+)\k<q>;?\s*$/;

/** Splits the source into import lines (leading, possibly after comments) and the body. */
export function splitImports(source) {
  const lines = source.split('\n');
  const imports = [];
  let i = 0;
  let pending = '';
  for (; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (pending) {
      pending += ` ${trimmed}`;
      if (/['"];?\s*$/.test(trimmed)) {
        imports.push(parseImport(pending));
        pending = '';
      }
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    if (!trimmed.startsWith('import ') && !trimmed.startsWith('import{')) break;
    if (/['"];?\s*$/.test(trimmed)) imports.push(parseImport(trimmed));
    else pending = trimmed;
  }
  if (pending) throw new Error(`unterminated import: ${pending}`);
  return { imports, body: lines.slice(i).join('\n') };
}

function parseImport(line) {
  const m = IMPORT_RE.exec(line.replace(/\s+/g, ' ').trim());
  if (!m) throw new Error(`unsupported import form: ${line}`);
  const what = m.groups.what.trim();
  const spec = m.groups.spec;
  if (what === '') return { kind: 'side-effect', spec, line };
  const ns = /^\*\s+as\s+([A-Za-z_$][\w$]*)$/.exec(what);
  if (ns) return { kind: 'namespace', spec, local: ns[1], line };
  const def = /^([A-Za-z_$][\w$]*)$/.exec(what);
  if (def) return { kind: 'default', spec, local: def[1], line };
  const named = /^(?:type\s+)?\{([^}]*)\}$/.exec(what);
  if (named) {
    const typeOnly = what.startsWith('type ');
    const names = named[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .filter((s) => !typeOnly && !s.startsWith('type '))
      .map((s) => {
        const [imported, local] = s.split(/\s+as\s+/);
        return { imported: imported.trim(), local: (local ?? imported).trim() };
      });
    return { kind: 'named', spec, names, line };
  }
  throw new Error(`unsupported import form (use named, namespace or side-effect imports): ${line}`);
}

function requireLine(imp) {
  if (imp.kind === 'side-effect') return `require(${JSON.stringify(imp.spec)});`;
  if (imp.kind === 'default') return `const ${imp.local} = require(${JSON.stringify(imp.spec)});`;
  if (imp.kind === 'namespace') return `const ${imp.local} = require(${JSON.stringify(imp.spec)});`;
  if (imp.names.length === 0) return '';
  const parts = imp.names.map((n) => (n.imported === n.local ? n.local : `${n.imported}: ${n.local}`));
  return `const { ${parts.join(', ')} } = require(${JSON.stringify(imp.spec)});`;
}

const WRAP_HEAD = '(async () => {';
const WRAP_TAIL = '})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n';

/** The four files of one consumer. */
export function consumerFiles(source) {
  const { imports, body } = splitImports(source);
  const cjsHeader = imports.map(requireLine).filter(Boolean).join('\n');
  const importHeader = imports.map((i) => i.line).join('\n');
  return {
    'consumer.mjs': source,
    'consumer.cjs': `'use strict';\n${cjsHeader}\n${WRAP_HEAD}\n${body}\n${WRAP_TAIL}`,
    'consumer.mts': source,
    'consumer.cts': `${importHeader}\n${WRAP_HEAD}\n${body}\n${WRAP_TAIL}`,
  };
}

/**
 * Expected output lines: every `console.log(…); // value` line of the source gives `value`, in order
 * (the convention of the docs snippets). The consumer's stdout must be exactly these lines, except that a
 * comment starting with `e.g.` (`console.log(provider()); // e.g. onnxruntime`) stands for a line whose
 * value depends on the machine: it is `null` here and matches any one line.
 */
export function expectedOutput(source) {
  const out = [];
  let inLog = false;
  for (const line of source.split('\n')) {
    if (/^\s*console\.log\(/.test(line)) inLog = true;
    if (!inLog) continue;
    // the statement ends on this line: `…); // value` (a formatter may have split the call over lines)
    const m = /\);\s*\/\/\s?(.*)$/.exec(line);
    if (m) {
      const value = m[1].trim();
      out.push(/^e\.g\.(\s|$)/.test(value) ? null : value);
      inLog = false;
    } else if (/\);\s*$/.test(line)) inLog = false;
  }
  return out;
}

/** Whether stdout lines match the expected lines (`null` matches any line). */
export function outputMatches(expected, got) {
  return (
    expected.length > 0 &&
    got.length === expected.length &&
    expected.every((want, i) => want === null || want === got[i])
  );
}

/**
 * The top section of a README: everything before its first `## ` heading (title, description, install,
 * example, documentation links). Code fences are skipped when looking for the heading.
 */
export function readmeTop(readme) {
  let fenced = false;
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i])) fenced = !fenced;
    else if (!fenced && /^## /.test(lines[i])) return lines.slice(0, i).join('\n');
  }
  return readme;
}

/** The first ```ts / ```js block of a README's top section (see {@link readmeTop}), or undefined. */
export function firstReadmeExample(readme) {
  const m = /^```(?:ts|js|typescript|javascript)\s*\n([\s\S]*?)^```\s*$/m.exec(readmeTop(readme));
  return m ? m[1] : undefined;
}

/** The first ```sh / ```bash block of a README's top section, as lines, or undefined. */
export function firstReadmeShell(readme) {
  const m = /^```(?:sh|bash|shell|console)\s*\n([\s\S]*?)^```\s*$/m.exec(readmeTop(readme));
  return m ? m[1].split('\n').filter((l) => l.trim() !== '') : undefined;
}

/**
 * The install command of a README's top section: the first `npm i|install …` (or `pnpm add`, `yarn add`)
 * line of its first shell block, as { global, packages: [{ name, version? }] }, or undefined.
 */
export function readmeInstall(readme) {
  const lines = firstReadmeShell(readme) ?? [];
  for (const line of lines) {
    const cmd = line.replace(/\s#.*$/, '').trim();
    const m = /^(?:npm\s+(?:i|install)|pnpm\s+(?:add|i|install)|yarn\s+(?:global\s+)?add)\s+(.*)$/.exec(cmd);
    if (!m) continue;
    const words = m[1].split(/\s+/).filter(Boolean);
    const global = words.some((w) => w === '-g' || w === '--global') || /^yarn\s+global/.test(cmd);
    const packages = words
      .filter((w) => !w.startsWith('-'))
      .map((w) => {
        const at = w.lastIndexOf('@');
        return at > 0 ? { name: w.slice(0, at), version: w.slice(at + 1) } : { name: w };
      });
    return { global, packages, line: cmd };
  }
  return undefined;
}

/** Package names a source loads with `import … from 'x'` / `import 'x'` (bare specifiers, no builtins). */
export function importedPackages(source) {
  const { imports } = splitImports(source);
  const names = new Set();
  for (const { spec } of imports) {
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return [...names];
}
