/**
 * Result folders written all-or-nothing: files are staged in a sibling directory
 * `.<name>.partial-<pid>` and the directory is renamed into place only when every file is written, so an
 * interrupted or failing run never leaves a half-written report. An existing folder at the target is
 * replaced only after the new one is complete (it is first moved aside, then removed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@graphon-pai/core';

export class OutputFolder {
  readonly target: string;
  readonly staging: string;
  private committed = false;

  constructor(target: string) {
    this.target = path.resolve(target);
    this.staging = path.join(path.dirname(this.target), `.${path.basename(this.target)}.partial-${process.pid}`);
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging, { recursive: true });
  }

  /** Writes one file (path relative to the folder; sub-directories are created). */
  write(relative: string, data: string | Uint8Array): void {
    const file = path.join(this.staging, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  /** Moves the staged folder into place, replacing a previous one. */
  commit(): string {
    if (this.committed) return this.target;
    const aside = `${this.staging}.old`;
    const hadPrevious = fs.existsSync(this.target);
    if (hadPrevious) fs.renameSync(this.target, aside);
    fs.renameSync(this.staging, this.target);
    if (hadPrevious) fs.rmSync(aside, { recursive: true, force: true });
    this.committed = true;
    return this.target;
  }

  /** Removes the staged files (call on failure; a no-op after commit). */
  discard(): void {
    if (!this.committed) fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

/** Runs `fill` on a new output folder, committing on success and discarding on any error. */
export async function withOutputFolder<T>(target: string, fill: (folder: OutputFolder) => Promise<T> | T): Promise<T> {
  const folder = new OutputFolder(target);
  try {
    const result = await fill(folder);
    folder.commit();
    return result;
  } catch (error) {
    folder.discard();
    throw error;
  }
}
