// The storefront process: env → config → createService (service.ts) → run until SIGTERM/SIGINT.
import { ConfigError, loadConfig, runUntilSignal } from '@harness/kit';
import { storefrontConfigSchema, type StorefrontServerConfig } from './server/config.ts';
import { createService } from './service.ts';

let config: StorefrontServerConfig;
try {
  config = loadConfig(storefrontConfigSchema, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`storefront: ${error.message}`);
  process.exit(1);
}
const service = createService(config);
await runUntilSignal(service, service.logger);
