import { addressOf, type InfraDescription, type RunSecrets } from '@harness/runtime';

/** The order service's default PAYMENT_BREAKER_HALF_OPEN_MS (services/order/src/config.ts). */
const ORDER_DEFAULT_HALF_OPEN_MS = 5_000;

/** Where the e2e workers find the system: set by the global setup, read by the fixtures. */
export const SYSTEM_ENV_VAR = 'HARNESS_E2E_SYSTEM';

/** What the tests need to know about the running reference system, as plain JSON. */
export interface SystemUnderTest {
  /** `attached` to a system `harness up` runs, or `started` by this Playwright run. */
  source: 'attached' | 'started';
  /** The storefront's own 127.0.0.1 URL (the gateway's CORS allows exactly this origin). */
  storefrontUrl: string;
  /** The gateway's public API, for arranging state the way another shopper would. */
  apiUrl: string;
  apiKey: string;
  /** The order service itself (its /admin/resilience log), and the token its admin routes take. */
  orderUrl: string;
  serviceToken: string;
  toxiproxyUrl: string;
  /** Superuser URL of the run's PostgreSQL; the services' databases are `svc_<service>`. */
  postgresUrl: string;
  /** How long the order service keeps its payment breaker open before a half-open probe. */
  paymentBreakerHalfOpenMs: number;
}

export function describeSystem(
  infra: InfraDescription,
  secrets: RunSecrets,
  source: SystemUnderTest['source'],
  env: NodeJS.ProcessEnv = process.env,
): SystemUnderTest {
  return {
    source,
    storefrontUrl: addressOf(infra, 'storefront').url,
    apiUrl: `${addressOf(infra, 'gateway').url}/api/v1`,
    apiKey: secrets.demoApiKey,
    orderUrl: addressOf(infra, 'order').url,
    serviceToken: secrets.serviceToken,
    toxiproxyUrl: infra.toxiproxy.url,
    postgresUrl: infra.postgres.url,
    paymentBreakerHalfOpenMs: Number(env.PAYMENT_BREAKER_HALF_OPEN_MS ?? ORDER_DEFAULT_HALF_OPEN_MS),
  };
}

/** The system the global setup attached to or started (fails outside a Playwright run). */
export function systemFromEnv(env: NodeJS.ProcessEnv = process.env): SystemUnderTest {
  const raw = env[SYSTEM_ENV_VAR];
  if (!raw)
    throw new Error(`${SYSTEM_ENV_VAR} is not set: run the suite with \`npx harness e2e\` (its global setup sets it)`);
  return JSON.parse(raw) as SystemUnderTest;
}
