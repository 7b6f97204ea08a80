import type { HarnessConfig } from './types.ts';

export type * from './types.ts';

/**
 * Types a `harness.config.ts` (`export default defineConfig({ ... })`); it returns the config
 * unchanged. The config is validated when a command loads it.
 */
export function defineConfig(config: HarnessConfig): HarnessConfig {
  return config;
}
