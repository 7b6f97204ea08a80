import { execFileSync } from 'node:child_process';
import { ConfigError } from './config/ConfigError.ts';
import { referenceConfigFile } from './config/configFile.ts';
import { loadConfigSync } from './config/loadConfig.ts';
import type { ResolvedConfig } from './config/validateConfig.ts';
import type { Topology } from './topology.ts';

let reference: Topology | undefined;
let referenceResolved: ResolvedConfig | undefined;

/** The repository's own `harness.config.ts`, loaded on first use (in a Node that loads TypeScript). */
export function referenceConfig(): ResolvedConfig {
  referenceResolved ??= loadConfigSync(referenceConfigFile);
  return referenceResolved;
}

/**
 * The reference system: the topology of the repository's own `harness.config.ts` (loaded on first
 * use). Where the host's module loader cannot require an ES module written in TypeScript
 * (Playwright's), a child Node loads the config and hands the topology (plain data) back.
 */
export function referenceTopology(): Topology {
  if (reference) return reference;
  try {
    reference = loadConfigSync(referenceConfigFile).topology;
  } catch (error) {
    if (error instanceof ConfigError && !/cannot load/.test(error.message)) throw error;
    reference = topologyFromChild(referenceConfigFile);
  }
  return reference;
}

function topologyFromChild(file: string): Topology {
  const loader = new URL('./config/loadConfig.ts', import.meta.url).href;
  const script = `const { loadConfig } = await import(${JSON.stringify(loader)});
const config = await loadConfig(${JSON.stringify(file)});
process.stdout.write(JSON.stringify(config.topology));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(output) as Topology;
}
