import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './ConfigError.ts';

/** The repository's own config, which describes the reference system. */
export const referenceConfigFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../harness.config.ts',
);

export const CONFIG_FILE_NAME = 'harness.config.ts';

/**
 * Which config a command uses: `--config FILE`, else `HARNESS_CONFIG`, else the nearest
 * `harness.config.ts` in the working directory or above it.
 */
export function findConfigFile(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const named = explicit ?? env.HARNESS_CONFIG;
  if (named !== undefined && named !== '') {
    const file = path.resolve(cwd, named);
    if (!fs.existsSync(file)) {
      const from = explicit === undefined ? 'HARNESS_CONFIG' : '--config';
      throw new ConfigError(named, [{ path: '', message: `no such file (named by ${from})` }]);
    }
    return file;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new ConfigError(CONFIG_FILE_NAME, [
    {
      path: '',
      message: `not found in ${cwd} or any folder above it; write one with \`harness init\` or pass --config FILE`,
    },
  ]);
}
