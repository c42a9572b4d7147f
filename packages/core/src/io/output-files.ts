/**
 * The output rule for files: a writer writes only the paths it is given, and an existing file at one of
 * them is replaced only when it is
 *
 * - an output of the same kind written by graphon-pai (a mask file by a mask file: recognised by the
 *   `format` entry of its safetensors metadata), or any file when `force` is set, and
 * - never one of the inputs (compared by device and inode, so another spelling, a hard link or a symbolic
 *   link of the input is recognised too), not even with `force`.
 *
 * Every file is written first to a staging file next to it (`.<name>.partial-<pid>`, `staging.ts`), and the
 * staging files are renamed over their targets only once all of them are complete: a failing or interrupted
 * writer leaves every file that existed before it untouched. Refusals are {@link InvalidArgumentError}s
 * naming the option the caller gives with each path (the CLI passes its flags, `--out`, `--scores-out`;
 * their fixes name `--force`, the CLI's spelling of `force`). Node only.
 *
 * @example
 * const outputs = new OutputFiles({ force: false, inputs: [scoresPath] });
 * const mask = outputs.claim('out', 'mask.safetensors', MASK_FILE_KIND); // checks now, before any work
 * await outputs.write(() => writeMaskFile(mask.staging, masks));          // stage, then rename into place
 */
import { lstatSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors';
import { MASK_FILE_FORMAT } from './mask-file';
import { readSafetensorsHeader } from './safetensors';
import { SCORE_FILE_FORMAT } from './score-file';
import { removeOnExit, removeStaleTemporaries, stagingName } from './staging';

/** A kind of output file and how to recognise one written by graphon-pai. */
export interface FileKind {
  /** What the file is, for messages (`mask file`). */
  readonly name: string;
  /** The extensions this kind is written with (the path must end with one of them). */
  readonly extensions: readonly string[];
  /** True when `path` holds a file of this kind written by graphon-pai (never throws). */
  readonly recognise: (path: string) => boolean;
}

/** A safetensors file kind recognised by its `format` metadata entry. */
export function safetensorsKind(name: string, format: string): FileKind {
  return {
    name,
    extensions: ['.safetensors'],
    recognise: (path) => {
      try {
        return readSafetensorsHeader(path).metadata.format === format;
      } catch {
        return false;
      }
    },
  };
}

/** Mask files (`writeMaskFile`). */
export const MASK_FILE_KIND = safetensorsKind('mask file', MASK_FILE_FORMAT);
/** Score files (`writeScoreFile`). */
export const SCORE_FILE_KIND = safetensorsKind('scores file', SCORE_FILE_FORMAT);

/** What the rule needs to know about a writer. */
export interface OutputOptions {
  /** Replace existing files of another kind (never inputs, never unrelated files in a folder). */
  force?: boolean;
  /** The input paths, never overwritten (entries that are not existing paths, such as `mnist`, are ignored). */
  inputs?: readonly (string | undefined)[];
}

/** Device and inode of an existing path (following links), or undefined. */
function identity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** The identities of the inputs that exist. */
export function inputIdentities(inputs: readonly (string | undefined)[] = []): Set<string> {
  const ids = new Set<string>();
  for (const input of inputs) {
    const id = input === undefined ? undefined : identity(input);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** Throws when `path` is one of the inputs. */
export function refuseInput(flag: string, path: string, inputs: ReadonlySet<string>): void {
  const id = identity(path);
  if (id !== undefined && inputs.has(id)) {
    throw new InvalidArgumentError(flag, path, 'a path that is not one of the inputs of this command', {
      fix: 'write the result to another path (an input is never overwritten, not even with --force)',
    });
  }
}

/** A file claimed by {@link OutputFiles.claim}: write it to `staging`; it is renamed onto `target`. */
export interface ClaimedFile {
  readonly flag: string;
  readonly target: string;
  readonly staging: string;
  readonly kind: FileKind;
}

/** The output files of one writer (see the file header). */
export class OutputFiles {
  private readonly claimed: ClaimedFile[] = [];
  private readonly force: boolean;
  private readonly inputs: Set<string>;

  constructor(options: OutputOptions = {}) {
    this.force = options.force ?? false;
    this.inputs = inputIdentities(options.inputs);
  }

  /** Claims `path` for a file of `kind` named by the caller's option `flag`; throws now when the rule forbids it. */
  claim(flag: string, path: string, kind: FileKind): ClaimedFile {
    if (typeof path !== 'string' || path.length === 0) {
      throw new InvalidArgumentError(flag, path, `a ${kind.name} path`);
    }
    if (!kind.extensions.includes(extname(path).toLowerCase())) {
      throw new InvalidArgumentError(flag, path, `a path ending in ${kind.extensions.join(' or ')}`, {
        fix: `a ${kind.name} is written as ${kind.extensions.join(' or ')}; name the file accordingly`,
      });
    }
    const target = resolve(path);
    const other = this.claimed.find((c) => c.target === target);
    if (other) {
      throw new InvalidArgumentError(flag, path, `a path other than the one of ${other.flag}`, {
        fix: 'give every output its own path',
      });
    }
    this.check(flag, path, target, kind);
    const claimed = { flag, target, staging: join(dirname(target), stagingName(basename(target))), kind };
    this.claimed.push(claimed);
    removeStaleTemporaries(dirname(target), basename(target));
    return claimed;
  }

  private check(flag: string, path: string, target: string, kind: FileKind): void {
    const parent = dirname(target);
    let parentIsFolder = false;
    try {
      parentIsFolder = statSync(parent).isDirectory();
    } catch {
      // reported below
    }
    if (!parentIsFolder) {
      throw new InvalidArgumentError(flag, path, 'a path in an existing folder', {
        fix: `create the folder first (mkdir -p ${dirname(path)})`,
      });
    }
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(target);
    } catch {
      return; // a new file
    }
    refuseInput(flag, path, this.inputs);
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
      throw new InvalidArgumentError(flag, path, `a ${kind.name} path, not a folder`, {
        fix: `name a file inside it, e.g. ${path.replace(/\/+$/, '')}/out${kind.extensions[0]}`,
      });
    }
    if (!stats.isFile() && !stats.isSymbolicLink()) {
      throw new InvalidArgumentError(flag, path, 'a regular file path', { fix: 'pass another path' });
    }
    if (this.force || kind.recognise(target)) return;
    throw new InvalidArgumentError(flag, path, `a new path or a ${kind.name} written by graphon-pai`, {
      fix: `the existing file is not a ${kind.name}; pass --force to replace it, or another path`,
    });
  }

  /**
   * Runs `fill` (which writes every claimed file to its `staging` path), then renames the staging files
   * over their targets. On any failure the staging files are removed and every target is left as it was.
   */
  async write<T>(fill: () => Promise<T> | T): Promise<T> {
    const releases = this.claimed.map((c) => removeOnExit(c.staging));
    const discard = (): void => {
      for (const c of this.claimed) rmSync(c.staging, { force: true });
      for (const release of releases) release();
    };
    let result: T;
    try {
      result = await fill();
      // The world may have changed while the writer ran: check every target again before replacing it.
      for (const c of this.claimed) {
        lstatSync(c.staging); // a writer that skipped its file is a bug, not a user error
        this.check(c.flag, c.target, c.target, c.kind);
      }
    } catch (error) {
      discard();
      throw error;
    }
    for (const c of this.claimed) renameSync(c.staging, c.target);
    for (const release of releases) release();
    return result;
  }
}
