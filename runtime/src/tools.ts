import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where ci/setup.sh keeps the tools it builds or fetches (Node, Toxiproxy, k6). */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HARNESS_TOOLS_DIR) return env.HARNESS_TOOLS_DIR;
  const cache = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'harness');
}

/** Directories searched for a tool: the tool cache first, then PATH, then Debian's fixed places. */
export function searchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [path.join(toolsDir(env), 'bin'), ...(env.PATH ?? '').split(path.delimiter)];
  dirs.push('/usr/lib/postgresql/15/bin', '/usr/lib/rabbitmq/bin', '/usr/lib/erlang/bin');
  for (const version of postgresVersions()) dirs.push(`/usr/lib/postgresql/${version}/bin`);
  return dirs.filter((dir) => dir.length > 0);
}

function postgresVersions(): string[] {
  try {
    return fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

/**
 * Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the system's rabbitmq user and
 * its fixed dirs; the harness runs its own node, so it takes the real script.
 */
const PREFERRED_DIRS: Record<string, string[]> = {
  'rabbitmq-server': ['/usr/lib/rabbitmq/bin'],
};

/** The absolute path of an executable, or undefined when none is found. */
export function findTool(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of [...(PREFERRED_DIRS[name] ?? []), ...searchPath(env)]) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export class MissingToolError extends Error {
  readonly tool: string;
  constructor(tool: string, hint: string) {
    super(`${tool} is not installed. ${hint}`);
    this.name = 'MissingToolError';
    this.tool = tool;
  }
}

export const SETUP_HINT = 'Run `npm run setup` (ci/setup.sh) to install it.';

export function requireTool(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findTool(name, env);
  if (!found) throw new MissingToolError(name, SETUP_HINT);
  return found;
}
