/**
 * Benchmark pages: collects each package's committed `bench/results.json` (written by its `bench` script,
 * which runs the numpy / Python peer in the same run on the same inputs) and renders the tables with the
 * machine and date they were measured on. The JSON shape is each package's own; this renderer shows its
 * scalar metadata and every array of records as a table, and never invents numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fence, freshDir, log, repoRoot, srcDir, writeText } from './paths';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isRecord = (v: Json): v is { [k: string]: Json } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function formatValue(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toPrecision(4).replace(/\.?0+$/, '');
  }
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** `ratio`, `ratios.x`, `ratioTotal`, `timeRatio`; not `calibration` or `iterations`. */
const isRatioKey = (key: string): boolean =>
  key.split('.').some((seg) => /^ratios?([A-Z_]|$)/.test(seg) || /Ratio/.test(seg));

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Flattens nested objects one level deep into dotted keys (`numpy.median_ms`). */
function flatten(rec: { [k: string]: Json }, prefix = '', depth = 0): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(rec)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isRecord(v) && depth < 1) Object.assign(out, flatten(v, key, depth + 1));
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) out[key] = v.join(', ');
    else out[key] = v;
  }
  return out;
}

function table(rows: { [k: string]: Json }[]): string {
  const flat = rows.map((r) => flatten(r));
  const keys: string[] = [];
  for (const r of flat) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const head = `| ${keys.map(cell).join(' | ')} |\n| ${keys.map(() => '---').join(' | ')} |`;
  const body = flat
    .map((r) => `| ${keys.map((k) => cell(formatValue(r[k] ?? null))).join(' | ')} |`)
    .join('\n');
  return `${head}\n${body}`;
}

const DATE_KEYS = ['date', 'timestamp', 'generatedAt', 'generated_at', 'when', 'time'];
const MACHINE_KEYS = ['machine', 'host', 'hardware', 'environment', 'env', 'system', 'platform'];

function pick(doc: { [k: string]: Json }, keys: string[]): Json | undefined {
  for (const k of keys) if (doc[k] !== undefined) return doc[k];
  return undefined;
}

function describe(v: Json | undefined): string {
  if (v === undefined) return 'not recorded';
  if (isRecord(v)) {
    return Object.entries(flatten(v))
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join('; ');
  }
  return formatValue(v);
}

export interface BenchResult {
  readonly sidebar: { text: string; link: string }[];
  readonly packages: string[];
}

export function generateBenchmarks(): BenchResult {
  const outDir = join(srcDir, 'benchmarks');
  freshDir(outDir);
  const found: { pkg: string; name: string; file: string; doc: Json }[] = [];
  for (const group of ['packages', 'apps']) {
    const base = join(repoRoot, group);
    for (const pkg of readdirSync(base).sort()) {
      const file = join(base, pkg, 'bench', 'results.json');
      if (!existsSync(file)) continue;
      let doc: Json;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
      } catch (e) {
        throw new Error(`${relative(repoRoot, file)} is not valid JSON: ${(e as Error).message}`);
      }
      const name = JSON.parse(readFileSync(join(base, pkg, 'package.json'), 'utf8')).name as string;
      found.push({ pkg, name, file, doc });
    }
  }

  const index: string[] = [
    '# Benchmarks',
    'Each package with a natural peer benchmarks itself against it **in the same run, on the same inputs**: ' +
      'numpy / scipy for the same arithmetic, and the public Python tools where one exists. Results are ' +
      'reported as **ratios ours / peer** (below 1 means graphon-pai is faster), because the machines these ' +
      'numbers come from are shared and noisy; absolute times are shown for context only.',
    'Run them yourself with `pnpm bench` (all packages, one at a time) or `pnpm --filter @graphon-pai/<pkg> bench`. ' +
      'Each run rewrites the package\u2019s `bench/results.json`, which this page renders at build time.',
    '## Packages with committed results',
  ];
  if (found.length === 0) {
    index.push('No package has committed a `bench/results.json` in this build of the site.');
  } else {
    index.push(
      '| package | measured on | machine |\n| --- | --- | --- |\n' +
        found
          .map((f) => {
            const doc = isRecord(f.doc) ? f.doc : {};
            return `| [\`${f.name}\`](./${f.pkg}) | ${cell(describe(pick(doc, DATE_KEYS)))} | ${cell(describe(pick(doc, MACHINE_KEYS)))} |`;
          })
          .join('\n'),
    );
  }
  // Headline ratios: every scalar whose key says "ratio", from the run metadata and each table's rows.
  const headline: string[] = [];
  for (const f of found) {
    if (!isRecord(f.doc)) continue;
    for (const [k, v] of Object.entries(f.doc)) {
      if (Array.isArray(v) && v.every(isRecord)) {
        for (const row of v as { [k: string]: Json }[]) {
          const flat = flatten(row);
          const label = Object.entries(flat)
            .filter(([key, x]) => !isRatioKey(key) && (typeof x === 'string' || Number.isInteger(x)))
            .slice(0, 3)
            .map(([key, x]) => `${key}=${formatValue(x)}`)
            .join(', ');
          for (const [key, x] of Object.entries(flat)) {
            if (isRatioKey(key) && typeof x === 'number')
              headline.push(
                `| \`${f.name}\` | ${cell(`${k}: ${key}${label ? ` (${label})` : ''}`)} | ${formatValue(x)} |`,
              );
          }
        }
      } else if (isRecord(v) || typeof v === 'number') {
        const flat = isRecord(v) ? flatten(v, k) : { [k]: v };
        for (const [key, x] of Object.entries(flat)) {
          if (isRatioKey(key) && typeof x === 'number')
            headline.push(`| \`${f.name}\` | ${cell(key)} | ${formatValue(x)} |`);
        }
      }
    }
  }
  if (headline.length > 0) {
    index.push(
      '## All measured ratios (ours / peer)',
      'Below 1 means graphon-pai was faster than the peer on the same inputs in the same run. Each package page has the absolute times, the problem sizes and the agreement checks.',
      `| package | measurement | ratio |\n| --- | --- | --- |\n${headline.join('\n')}`,
    );
  }
  writeText(join(outDir, 'index.md'), index.join('\n\n'));

  for (const f of found) {
    const parts: string[] = [`# Benchmarks: \`${f.name}\``];
    const src = relative(repoRoot, f.file);
    const top = isRecord(f.doc) ? f.doc : {};
    parts.push(
      `Measured on **${cell(describe(pick(top, DATE_KEYS)))}**, machine: **${cell(describe(pick(top, MACHINE_KEYS)))}**. ` +
        `Rendered from [\`${src}\`](https://github.com/graphon-pai/graphon-pai/blob/main/${src}).`,
    );
    if (isRecord(f.doc)) {
      const meta: { [k: string]: Json } = {};
      const tables: [string, { [k: string]: Json }[]][] = [];
      const other: [string, Json][] = [];
      for (const [k, v] of Object.entries(f.doc)) {
        if (Array.isArray(v) && v.length > 0 && v.every(isRecord))
          tables.push([k, v as { [k: string]: Json }[]]);
        else if (
          !Array.isArray(v) &&
          (!isRecord(v) ||
            Object.values(v).every(
              (x) => !isRecord(x) || Object.values(x).every((y) => typeof y !== 'object'),
            ))
        )
          meta[k] = v;
        else other.push([k, v]);
      }
      const ratioKey = Object.keys(f.doc).find(
        (k) => isRatioKey(k) && isRecord((f.doc as { [k: string]: Json })[k]),
      );
      if (ratioKey) {
        const ratios = flatten((f.doc as { [k: string]: Json })[ratioKey] as { [k: string]: Json });
        parts.push(
          '## Ratios (ours / peer)',
          'Below 1: graphon-pai took less time than the peer on the same inputs in the same run.',
          `| measurement | ratio |\n| --- | --- |\n${Object.entries(ratios)
            .map(([k, v]) => `| ${cell(k)} | ${cell(formatValue(v))} |`)
            .join('\n')}`,
        );
        delete meta[ratioKey];
      }
      if (Object.keys(meta).length > 0) {
        const flat = flatten(meta);
        parts.push(
          '## Run',
          `| field | value |\n| --- | --- |\n${Object.entries(flat)
            .map(([k, v]) => `| ${cell(k)} | ${cell(formatValue(v))} |`)
            .join('\n')}`,
        );
      }
      for (const [k, rows] of tables) parts.push(`## ${k}`, table(rows));
      for (const [k, v] of other.filter(([key]) => key !== ratioKey))
        parts.push(`## ${k}`, fence(JSON.stringify(v, null, 2), 'json'));
    } else if (Array.isArray(f.doc) && f.doc.every(isRecord)) {
      parts.push('## Results', table(f.doc as { [k: string]: Json }[]));
    } else {
      parts.push('## Results', fence(JSON.stringify(f.doc, null, 2), 'json'));
    }
    writeText(join(outDir, `${f.pkg}.md`), parts.join('\n\n'));
  }
  log(`benchmarks: ${found.map((f) => f.name).join(', ') || '(no results.json yet)'}`);
  return {
    sidebar: [
      { text: 'Overview', link: '/benchmarks/' },
      ...found.map((f) => ({ text: f.name, link: `/benchmarks/${f.pkg}` })),
    ],
    packages: found.map((f) => f.name),
  };
}
