// Storefront process: env → config → built page → buildApp → listen → graceful shutdown.
import { createLogger, loadConfig } from '@harness/kit';
import { buildApp } from './app.ts';
import { ensureAssetsBuilt } from './server/assetBuild.ts';
import { loadAssetBundle } from './server/assetBundle.ts';
import { storefrontConfigSchema } from './server/config.ts';
import { defaultDistDir } from './server/viteConfig.ts';

const config = loadConfig(storefrontConfigSchema, process.env);
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });

if (config.STOREFRONT_BUILD_ON_START) {
  const build = await ensureAssetsBuilt(defaultDistDir);
  if (build.built) logger.info({ reason: build.reason, distDir: defaultDistDir }, 'built the storefront page');
}
const assets = await loadAssetBundle(defaultDistDir);
const server = buildApp({ config: { gatewayUrl: config.GATEWAY_URL, apiKey: config.API_KEY }, assets, logger });

server.listen(config.PORT, config.HOST, () => {
  logger.info({ host: config.HOST, port: config.PORT, gatewayUrl: config.GATEWAY_URL }, 'storefront listening');
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
