/**
 * The output rule for folders (see `output-files.ts` for files): a result folder is
 *
 * - **created fresh** when nothing exists at its path (parents are created), or
 * - **reused** when it is empty, or holds the marker file {@link OUTPUT_MARKER} that graphon-pai wrote there
 *   for the same kind of output; then only the files graphon-pai wrote (listed in the marker with their size
 *   and SHA-256) are replaced or, when the new run no longer writes them and they are unchanged, removed.
 *   Every other file stays.
 *
 * Anything else — a file at the path, a folder of the user's (`--out .`, `--out data` holding
 * `important.csv`), a folder of another kind of output, a folder that is an input — is refused with an
 * {@link InvalidArgumentError} naming the caller's option (`option`, default `--out`; the CLI's exit code 2).
 * `force` lets a writer add its outputs to a folder it did not write, replacing only files with the names it
 * writes (never an input); it still deletes nothing else.
 *
 * Files are staged in a sibling folder `.<name>.partial-<pid>` and moved into place only when every file is
 * written, so an interrupted or failing run never leaves a half-written result nor harms what was there.
 * The staging folder is removed on every exit path (including SIGINT / SIGTERM, `staging.ts`), and staging
 * folders of killed runs are removed by the next run into the same place. Node only.
 *
 * @example
 * await withOutputFolder('results', (folder) => folder.write('summary.csv', csv), { kind: 'my-study' });
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import { inputIdentities, type OutputOptions, refuseInput } from './output-files';
import { removeOnExit, removeStaleTemporaries, stagingName } from './staging';

/** Name of the marker file graphon-pai writes into every result folder. */
export const OUTPUT_MARKER = '.graphon-pai-output.json';

/** Largest marker read (a marker lists file names; anything bigger is not ours). */
const MARKER_MAX_BYTES = 16 << 20;

/** A relative path inside the folder: no absolute path, no `..`, no empty or `.` segment. */
function isRelativePath(p: unknown): p is string {
  return (
    typeof p === 'string' &&
    p.length > 0 &&
    !path.isAbsolute(p) &&
    p.split(/[\\/]/).every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

/** What graphon-pai records in {@link OUTPUT_MARKER}: the kind of output and each file it wrote. */
export interface OutputMarker {
  writtenBy: 'graphon-pai';
  kind: string;
  files: Record<string, { size: number; sha256: string }>;
}

type Marker = OutputMarker;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The marker in `raw` (only its known fields), or undefined when `raw` is not a valid marker. */
function parseMarker(raw: unknown): Marker | undefined {
  if (!isObject(raw) || raw.writtenBy !== 'graphon-pai' || typeof raw.kind !== 'string') return undefined;
  if (!isObject(raw.files)) return undefined;
  const files: Marker['files'] = {};
  for (const [name, entry] of Object.entries(raw.files)) {
    if (!isRelativePath(name) || !isObject(entry)) return undefined;
    const { size, sha256 } = entry;
    if (!Number.isInteger(size) || (size as number) < 0 || typeof sha256 !== 'string') return undefined;
    files[name] = { size: size as number, sha256 };
  }
  return { writtenBy: 'graphon-pai', kind: raw.kind, files };
}

/** The marker of `folder`, or undefined when it has none (or one that is not valid). */
export function readOutputMarker(folder: string): Marker | undefined {
  const file = path.join(folder, OUTPUT_MARKER);
  try {
    const stats = fs.lstatSync(file);
    if (!stats.isFile() || stats.size > MARKER_MAX_BYTES) return undefined;
    return parseMarker(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Options of an output folder: the rule's options plus the kind of output it holds. */
export interface OutputFolderOptions extends OutputOptions {
  /** The kind of output (e.g. `graphon`, `limit`, `experiment-report`); a folder is reused for its kind only. */
  kind?: string;
  /** The caller's option that names the folder, for messages (default `--out`, the CLI's flag). */
  option?: string;
}

const DEFAULT_KIND = 'graphon-pai';

/** Extensions of the files graphon-pai reads and writes: a folder named like one is refused (a likely slip). */
const FILE_EXTENSIONS = new Set(['.npy', '.safetensors', '.json', '.csv', '.md', '.svg', '.png', '.txt']);

/** Every file below `folder`, as relative paths with `/` separators. */
function filesBelow(folder: string, sub = ''): string[] {
  return fs
    .readdirSync(path.join(folder, sub), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesBelow(folder, path.posix.join(sub, e.name)) : [path.posix.join(sub, e.name)],
    );
}

/** One output folder being written: `write` files into its staging folder, then `commit` (or `discard`). */
export class OutputFolder {
  readonly target: string;
  readonly staging: string;
  private readonly flag: string;
  private readonly kind: string;
  private readonly force: boolean;
  private readonly inputs: Set<string>;
  private readonly written = new Set<string>();
  private release: (() => void) | undefined;
  private committed = false;

  /** Checks the rule for `target` now (before any work) and creates the staging folder. */
  constructor(target: string, options: OutputFolderOptions = {}) {
    this.target = path.resolve(target);
    this.flag = options.option ?? '--out';
    this.kind = options.kind ?? DEFAULT_KIND;
    this.force = options.force ?? false;
    this.inputs = inputIdentities(options.inputs);
    const parent = path.dirname(this.target);
    this.staging = path.join(parent, stagingName(path.basename(this.target)));
    this.check();
    removeStaleTemporaries(parent, path.basename(this.target));
    removeStaleTemporaries(this.target, OUTPUT_MARKER);
  }

  /** Creates the staging folder (and the target's parents) on the first write. */
  private stage(): void {
    if (this.release) return;
    fs.mkdirSync(path.dirname(this.target), { recursive: true });
    this.release = removeOnExit(this.staging);
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging);
  }

  /** Why the folder at `target` may not be written (throws), or its marker when it is reused. */
  private check(): Marker | undefined {
    const shown = path.relative(process.cwd(), this.target) || '.';
    let stats: fs.Stats;
    try {
      stats = fs.statSync(this.target);
    } catch {
      const extension = path.extname(this.target).toLowerCase();
      if (FILE_EXTENSIONS.has(extension)) {
        throw new InvalidArgumentError(this.flag, shown, `a folder path, not a ${extension} file name`, {
          fix: `this command writes a folder of files; pass e.g. ${shown.slice(0, -extension.length) || 'out'}/`,
        });
      }
      return undefined; // created fresh
    }
    refuseInput(this.flag, shown, this.inputs);
    if (!stats.isDirectory()) {
      throw new InvalidArgumentError(this.flag, shown, 'a folder path, not an existing file', {
        fix: 'pass the path of a new folder (the file is left as it is)',
      });
    }
    const marker = readOutputMarker(this.target);
    if (marker?.kind === this.kind) return marker;
    if (this.force || fs.readdirSync(this.target).length === 0) return undefined;
    const what = marker
      ? `holds another kind of output (${marker.kind})`
      : 'holds files graphon-pai did not write';
    throw new InvalidArgumentError(
      this.flag,
      shown,
      `a new folder or one written by this command; it ${what}`,
      {
        fix: 'pass another path, or --force to add the outputs beside the existing files (nothing else is deleted)',
      },
    );
  }

  /** Writes one file (path relative to the folder; sub-directories are created). */
  write(relative: string, data: string | Uint8Array): void {
    if (!isRelativePath(relative)) {
      throw new InvalidArgumentError('relative', relative, 'a relative path inside the output folder');
    }
    this.stage();
    const file = path.join(this.staging, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, typeof data === 'string' ? new TextEncoder().encode(data) : data);
    this.written.add(relative.split(path.sep).join('/'));
  }

  /** Moves the staged files into place (see the file header). */
  commit(): string {
    if (this.committed) return this.target;
    this.stage();
    const marker = this.check();
    const files = filesBelow(this.staging).sort();
    if (fs.existsSync(this.target)) {
      // Check every destination before moving anything, so a refusal leaves the folder as it was.
      for (const file of files) {
        const destination = path.join(this.target, file);
        refuseInput(this.flag, destination, this.inputs);
        const ours = marker !== undefined && Object.hasOwn(marker.files, file);
        if (!ours && !this.force && fs.existsSync(destination)) {
          throw new InvalidArgumentError(this.flag, destination, 'a file this command wrote, or no file', {
            fix: 'move that file away, pass --force to replace it, or pass another path',
          });
        }
        if (fs.statSync(destination, { throwIfNoEntry: false })?.isDirectory()) {
          throw new InvalidArgumentError(this.flag, destination, 'a file path, not a folder', {
            fix: 'move that folder away or pass another path',
          });
        }
      }
      // The marker lists the old and the new files while they move, so an interruption leaves none unowned.
      writeMarker(this.target, this.kind, { ...marker?.files, ...stats(this.staging, files) });
      for (const file of files) {
        const destination = path.join(this.target, file);
        fs.mkdirSync(path.dirname(destination), { recursive: true });
        fs.renameSync(path.join(this.staging, file), destination);
      }
      for (const [file, recorded] of Object.entries(marker?.files ?? {})) {
        if (files.includes(file)) continue;
        const destination = path.join(this.target, file);
        const now = fs.lstatSync(destination, { throwIfNoEntry: false });
        if (!now?.isFile() || now.size !== recorded.size || this.inputs.has(`${now.dev}:${now.ino}`))
          continue;
        if (digest(destination) === recorded.sha256) fs.unlinkSync(destination);
      }
      fs.rmSync(this.staging, { recursive: true, force: true });
      writeMarker(this.target, this.kind, stats(this.target, files));
    } else {
      writeMarker(this.staging, this.kind, stats(this.staging, files));
      fs.renameSync(this.staging, this.target);
    }
    this.committed = true;
    this.release?.();
    return this.target;
  }

  /** Removes the staged files (call on failure; a no-op after commit). */
  discard(): void {
    if (this.committed || !this.release) return;
    fs.rmSync(this.staging, { recursive: true, force: true });
    this.release();
    this.release = undefined;
  }
}

function digest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Size and SHA-256 of each file (the marker is a pure function of the folder's contents). */
function stats(folder: string, files: readonly string[]): Marker['files'] {
  const out: Marker['files'] = {};
  for (const file of files) {
    const at = path.join(folder, file);
    out[file] = { size: fs.statSync(at).size, sha256: digest(at) };
  }
  return out;
}

function writeMarker(folder: string, kind: string, files: Marker['files']): void {
  const record: Marker = { writtenBy: 'graphon-pai', kind, files };
  writeFileAtomic(
    path.join(folder, OUTPUT_MARKER),
    new TextEncoder().encode(`${JSON.stringify(record, null, 1)}\n`),
  );
}

/**
 * Runs `fill` on a new output folder, committing on success and discarding on any error. `options` names
 * the kind of output, the inputs and `force` (see the file header).
 */
export async function withOutputFolder<T>(
  target: string,
  fill: (folder: OutputFolder) => Promise<T> | T,
  options: OutputFolderOptions = {},
): Promise<T> {
  const folder = new OutputFolder(target, options);
  try {
    const result = await fill(folder);
    folder.commit();
    return result;
  } catch (error) {
    folder.discard();
    throw error;
  }
}

/** Checks the rule for an output folder without writing anything (call it before the work). */
export function checkOutputFolder(target: string, options: OutputFolderOptions = {}): void {
  new OutputFolder(target, options);
}
