import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createLogger, type Logger, type RunnableService } from '@harness/kit';
import { createRequestHandler } from './app.ts';
import { ensureAssetsBuilt } from './server/assetBuild.ts';
import { loadAssetBundle } from './server/assetBundle.ts';
import type { StorefrontServerConfig } from './server/config.ts';
import { defaultDistDir } from './server/viteConfig.ts';

/** What tests supply instead of what the config would make. */
export interface StorefrontServiceOverrides {
  logger?: Logger;
}

export interface StorefrontService extends RunnableService {
  /** The HTTP server; it answers requests once `start()` has loaded the page. */
  app: Server;
  config: StorefrontServerConfig;
  logger: Logger;
}

/**
 * The storefront, wired once: `start()` builds the page when the build is missing or stale (and
 * STOREFRONT_BUILD_ON_START is on), loads it and listens on HOST:PORT; `stop()` stops accepting
 * connections, closes idle ones, and closes the rest after SHUTDOWN_TIMEOUT_MS.
 */
export function createService(
  config: StorefrontServerConfig,
  overrides: StorefrontServiceOverrides = {},
): StorefrontService {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const distDir = config.STOREFRONT_DIST_DIR ? path.resolve(config.STOREFRONT_DIST_DIR) : defaultDistDir;
  const app = createServer();
  let stopped: Promise<void> | undefined;

  const loadPage = async () => {
    try {
      if (config.STOREFRONT_BUILD_ON_START) {
        const build = await ensureAssetsBuilt(distDir);
        if (build.built) logger.info({ reason: build.reason, distDir }, 'built the storefront page');
      }
      return await loadAssetBundle(distDir);
    } catch (error) {
      logger.fatal({ err: error, distDir }, 'storefront page unavailable');
      throw error;
    }
  };

  return {
    app,
    config,
    logger,
    async start() {
      const assets = await loadPage();
      if (stopped) return;
      app.on(
        'request',
        createRequestHandler({
          config: {
            gatewayUrl: config.GATEWAY_URL,
            ...(config.GATEWAY_GRAPHQL_URL ? { graphqlUrl: config.GATEWAY_GRAPHQL_URL } : {}),
            apiKey: config.API_KEY,
          },
          assets,
          logger,
        }),
      );
      await new Promise<void>((resolve, reject) => {
        app.once('error', reject);
        app.listen(config.PORT, config.HOST, () => {
          app.off('error', reject);
          resolve();
        });
      });
      const { address, port } = app.address() as AddressInfo;
      logger.info(
        { host: address, port, gatewayUrl: config.GATEWAY_URL, graphqlUrl: config.GATEWAY_GRAPHQL_URL },
        'storefront listening',
      );
    },
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        if (!app.listening) return resolve();
        app.close((error) => (error ? reject(error) : resolve()));
        app.closeIdleConnections();
        setTimeout(() => app.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS).unref();
      });
      return stopped;
    },
  };
}
