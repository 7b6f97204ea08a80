import { findConfigFile, loadConfig, type ResolvedConfig } from '@harness/runtime';

/** The config a command works on: `--config` (passed on as HARNESS_CONFIG), else the nearest harness.config.ts. */
export async function commandConfig(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  return loadConfig(findConfigFile(undefined, env));
}
