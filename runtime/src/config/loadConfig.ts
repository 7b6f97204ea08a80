import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './ConfigError.ts';
import { validateConfig, type ResolvedConfig } from './validateConfig.ts';

const require = createRequire(import.meta.url);

/** Loads, validates and resolves a `harness.config.ts` (or .js/.mjs); a problem is a `ConfigError`. */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  assertExists(file);
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    throw cannotLoad(file, error);
  }
  return validateConfig(defaultExport(file, loaded), file);
}

/** The same, synchronously (Node's require of an ES module): for module-level constants. */
export function loadConfigSync(file: string): ResolvedConfig {
  assertExists(file);
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (error) {
    throw cannotLoad(file, error);
  }
  return validateConfig(defaultExport(file, loaded), file);
}

function assertExists(file: string): void {
  if (!fs.existsSync(file)) throw new ConfigError(file, [{ path: '', message: 'no such file' }]);
}

function defaultExport(file: string, loaded: unknown): unknown {
  const config = (loaded as { default?: unknown } | undefined)?.default;
  if (config === undefined) {
    throw new ConfigError(file, [{ path: '', message: 'expected `export default defineConfig({ ... })`' }]);
  }
  return config;
}

/** A config that does not compile or throws while loading: its message, never its stack. */
function cannotLoad(file: string, error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
  return new ConfigError(file, [{ path: '', message: `cannot load: ${lines.slice(0, 6).join('\n    ')}` }]);
}
