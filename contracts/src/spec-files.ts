import { readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';

/** A top-level spec file: `openapi/<name>.yaml` or `asyncapi/<name>.yaml`. */
export interface SpecFile {
  /** File name without extension, used to name generated outputs (e.g. `order`). */
  name: string;
  /** Absolute path. */
  path: string;
}

export interface ContractSpecs {
  openapi: SpecFile[];
  asyncapi: SpecFile[];
}

const YAML_FILE = /\.ya?ml$/;

/** Lists the spec files of a contracts directory (sub-directories such as components are not specs). */
export async function findSpecs(contractsDir: string): Promise<ContractSpecs> {
  return {
    openapi: await listSpecFiles(join(contractsDir, 'openapi')),
    asyncapi: await listSpecFiles(join(contractsDir, 'asyncapi')),
  };
}

async function listSpecFiles(dir: string): Promise<SpecFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && YAML_FILE.test(entry.name))
    .map((entry) => ({ name: basename(entry.name).replace(YAML_FILE, ''), path: join(dir, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every YAML file under the openapi/ and asyncapi/ folders, components included. */
export async function findYamlFiles(contractsDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of ['openapi', 'asyncapi']) {
    const entries = await readdir(join(contractsDir, folder), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile() && YAML_FILE.test(entry.name)) found.push(join(entry.parentPath, entry.name));
    }
  }
  return found.sort();
}

/** Path relative to the contracts directory with posix separators, for messages and headers. */
export function contractRelative(contractsDir: string, file: string): string {
  const rel = relative(contractsDir, file);
  return rel.startsWith('..') ? file : rel.split(sep).join('/');
}
