import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GeneratedFile } from './format-output.ts';

export interface SyncResult {
  /** Files created, changed or removed (empty in check mode). */
  written: string[];
  /** Files that were missing, different, or left over from a spec that no longer exists. */
  stale: string[];
}

/**
 * Brings the managed folders in line with `files`: writes what differs and removes files that the
 * generator no longer produces. In check mode nothing is touched and the differences are reported.
 */
export async function syncFiles(
  files: readonly GeneratedFile[],
  managedDirs: readonly string[],
  check: boolean,
): Promise<SyncResult> {
  const stale: string[] = [];
  const wanted = new Set(files.map((file) => file.path));
  for (const file of files) {
    const current = await readFile(file.path, 'utf8').catch(() => undefined);
    if (current !== file.content) stale.push(file.path);
  }
  const leftovers: string[] = [];
  for (const dir of managedDirs) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !wanted.has(path)) leftovers.push(path);
    }
  }
  stale.push(...leftovers);
  stale.sort();
  if (check) return { written: [], stale };
  for (const file of files) {
    if (!stale.includes(file.path)) continue;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content);
  }
  for (const path of leftovers) await rm(path);
  return { written: stale, stale };
}
