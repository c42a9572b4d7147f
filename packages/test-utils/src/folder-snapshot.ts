/**
 * A folder's files as data, to compare a folder before and after an operation (nothing lost, nothing
 * rewritten) or two folders written different ways (byte for byte): relative path → contents read as latin1
 * (one character per byte), depth first in directory order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `folder` (relative path → bytes as latin1), leaving out files named in `except`. */
export function folderSnapshot(
  folder: string,
  except: readonly string[] = [],
  sub = '',
): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(folder, sub), { withFileTypes: true })) {
    const rel = join(sub, e.name);
    if (e.isDirectory()) for (const [f, t] of folderSnapshot(folder, except, rel)) out.set(f, t);
    else if (!except.includes(e.name)) out.set(rel, readFileSync(join(folder, rel), 'latin1'));
  }
  return out;
}
