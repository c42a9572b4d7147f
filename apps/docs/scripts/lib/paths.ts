/** Paths shared by the generator steps. Generated files go to git-ignored places only (see .gitignore). */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const docsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = resolve(docsRoot, '..', '..');
export const srcDir = join(docsRoot, 'src');
export const generatedDir = join(docsRoot, '.vitepress', 'generated');
export const figuresDir = join(srcDir, 'public', 'figures');
export const dataDir = join(srcDir, 'public', 'data');

/** Removes and recreates a generated directory, so a stale page can never survive a rebuild. */
export function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

export function writeText(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

export function log(message: string): void {
  process.stderr.write(`[docs] ${message}\n`);
}

/** A fenced code block whose content cannot close the fence early. */
export function fence(text: string, lang = 'text'): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\s+$/, '')}\n${ticks}`;
}

/** CPU seconds used so far by the finished child processes of this process (Linux; NaN elsewhere). */
export function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of this process and its finished children: on a loaded machine a better measure than wall time. */
export function cpuSeconds(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + childCpuSeconds();
}
