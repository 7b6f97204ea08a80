import { logLevels, portSetting, type ConfigOf } from '@harness/kit';

/** The storefront's environment (validated by the kit's loadConfig in main.ts). */
export const storefrontConfigSchema = {
  type: 'object',
  properties: {
    SERVICE_NAME: { type: 'string', default: 'storefront' },
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { ...portSetting, default: 8090 },
    /** Origin of the gateway as the browser reaches it (also the CSP connect-src). */
    GATEWAY_URL: { type: 'string', format: 'uri', pattern: '^https?://' },
    /**
     * Origin of the gateway's GraphQL endpoint as the browser reaches it (link L10's proxy when the
     * harness runs it); absent: GATEWAY_URL. Also in the CSP connect-src.
     */
    GATEWAY_GRAPHQL_URL: { type: 'string', format: 'uri', pattern: '^https?://' },
    /** Public API key handed to the page in /config.json. */
    API_KEY: { type: 'string', minLength: 1 },
    LOG_LEVEL: { type: 'string', enum: logLevels, default: 'info' },
    /** Run `vite build` at startup when the build is missing or older than the sources. */
    STOREFRONT_BUILD_ON_START: { type: 'boolean', default: true },
    /** Where the built page is read from (and built into); services/storefront/dist by default. */
    STOREFRONT_DIST_DIR: { type: 'string', minLength: 1 },
    /** How long a SIGTERM waits for open requests before closing their connections. */
    SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 0, default: 5000 },
  },
  required: ['GATEWAY_URL', 'API_KEY'],
} as const;

export type StorefrontServerConfig = ConfigOf<typeof storefrontConfigSchema>;
