import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped contracts folder (this package). */
export const contractsDir = fileURLToPath(new URL('../..', import.meta.url));

/** A throw-away copy of the shipped specs, to break on purpose. */
export interface TempContracts {
  dir: string;
  /** Replaces `search` (which must occur) in a file of the copy. */
  edit(file: string, search: string, replacement: string): Promise<void>;
  write(file: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

export async function copyContracts(): Promise<TempContracts> {
  const dir = await tempDir('contracts-copy');
  await cp(join(contractsDir, 'openapi'), join(dir, 'openapi'), { recursive: true });
  await cp(join(contractsDir, 'asyncapi'), join(dir, 'asyncapi'), { recursive: true });
  await cp(join(contractsDir, 'graphql'), join(dir, 'graphql'), { recursive: true });
  return {
    dir,
    async edit(file, search, replacement) {
      const path = join(dir, file);
      const content = await readFile(path, 'utf8');
      if (!content.includes(search)) throw new Error(`${file} does not contain ${JSON.stringify(search)}`);
      await writeFile(path, content.replace(search, replacement));
    },
    async write(file, content) {
      await writeFile(join(dir, file), content);
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
