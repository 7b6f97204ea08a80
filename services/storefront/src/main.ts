// Storefront process: env → config → built page → buildApp → listen → graceful shutdown.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, createLogger, loadConfig, type ConfigOf } from '@harness/kit';
import { buildApp } from './app.ts';
import { ensureAssetsBuilt } from './server/assetBuild.ts';
import { loadAssetBundle } from './server/assetBundle.ts';
import { storefrontConfigSchema } from './server/config.ts';
import { defaultDistDir } from './server/viteConfig.ts';

let config: ConfigOf<typeof storefrontConfigSchema>;
try {
  config = loadConfig(storefrontConfigSchema, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`storefront: ${error.message}`);
  process.exit(1);
}
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const distDir = config.STOREFRONT_DIST_DIR ? path.resolve(config.STOREFRONT_DIST_DIR) : defaultDistDir;

let assets;
try {
  if (config.STOREFRONT_BUILD_ON_START) {
    const build = await ensureAssetsBuilt(distDir);
    if (build.built) logger.info({ reason: build.reason, distDir }, 'built the storefront page');
  }
  assets = await loadAssetBundle(distDir);
} catch (error) {
  logger.fatal({ err: error, distDir }, 'storefront page unavailable');
  process.exit(1);
}
const server = buildApp({ config: { gatewayUrl: config.GATEWAY_URL, apiKey: config.API_KEY }, assets, logger });

server.listen(config.PORT, config.HOST, () => {
  const { address, port } = server.address() as AddressInfo;
  logger.info({ host: address, port, gatewayUrl: config.GATEWAY_URL }, 'storefront listening');
});

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'storefront stopping');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
