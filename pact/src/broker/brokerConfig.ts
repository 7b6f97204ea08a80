import type { VerifierOptions } from '@pact-foundation/pact';

export type ConsumerVersionSelector = NonNullable<VerifierOptions['consumerVersionSelectors']>[number];

/**
 * Pact Broker / PactFlow settings from the environment. Without PACT_BROKER_BASE_URL the stage
 * is file-based (the default): pacts from contracts/pacts, nothing published.
 *
 * | variable | meaning |
 * |---|---|
 * | PACT_BROKER_BASE_URL | broker or PactFlow URL; enables the broker |
 * | PACT_BROKER_TOKEN | bearer token (PactFlow), or |
 * | PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD | basic auth (self-hosted broker) |
 * | PACT_VERIFY_SOURCE | `broker` (default with a broker URL) or `files` |
 * | PACT_CONSUMER_VERSION_SELECTORS | JSON array; default main branch, matching branch, deployed or released |
 * | PACT_ENABLE_PENDING | `true` (default) / `false` |
 * | PACT_INCLUDE_WIP_PACTS_SINCE | ISO date, e.g. 2025-01-01; WIP pacts since then |
 * | PACT_PUBLISH_VERIFICATION_RESULTS | `true` to publish provider verification results |
 * | PACT_PUBLISH_PACTS | `true` to publish the consumer pacts after the consumer tests |
 * | PACT_PACTICIPANT_VERSION / PACT_PACTICIPANT_BRANCH | version and branch; default GITHUB_SHA / git HEAD, branch from git |
 * | PACT_BUILD_URL | CI build URL recorded with results |
 */
export interface BrokerConfig {
  url: string;
  auth: { token: string } | { username: string; password: string } | undefined;
  verifyFromBroker: boolean;
  consumerVersionSelectors: ConsumerVersionSelector[];
  enablePending: boolean;
  includeWipPactsSince?: string;
  publishVerificationResults: boolean;
  publishPacts: boolean;
  buildUrl?: string;
}

export const DEFAULT_SELECTORS: ConsumerVersionSelector[] = [
  { mainBranch: true },
  { matchingBranch: true },
  { deployedOrReleased: true },
];

const flag = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined || value === '' ? fallback : ['1', 'true', 'yes'].includes(value.toLowerCase());

export class BrokerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerConfigError';
  }
}

export function brokerConfigFrom(env: NodeJS.ProcessEnv = process.env): BrokerConfig | undefined {
  const url = env['PACT_BROKER_BASE_URL'];
  if (!url) return undefined;
  const token = env['PACT_BROKER_TOKEN'];
  const username = env['PACT_BROKER_USERNAME'];
  const password = env['PACT_BROKER_PASSWORD'];
  let selectors = DEFAULT_SELECTORS;
  const rawSelectors = env['PACT_CONSUMER_VERSION_SELECTORS'];
  if (rawSelectors) {
    try {
      selectors = JSON.parse(rawSelectors) as ConsumerVersionSelector[];
    } catch {
      throw new BrokerConfigError('PACT_CONSUMER_VERSION_SELECTORS is not a JSON array of selectors');
    }
    if (!Array.isArray(selectors)) throw new BrokerConfigError('PACT_CONSUMER_VERSION_SELECTORS must be a JSON array');
  }
  const source = env['PACT_VERIFY_SOURCE'] ?? 'broker';
  if (source !== 'broker' && source !== 'files')
    throw new BrokerConfigError('PACT_VERIFY_SOURCE must be broker or files');
  const wip = env['PACT_INCLUDE_WIP_PACTS_SINCE'];
  const buildUrl = env['PACT_BUILD_URL'];
  return {
    url: url.replace(/\/+$/, ''),
    auth: token ? { token } : username && password ? { username, password } : undefined,
    verifyFromBroker: source === 'broker',
    consumerVersionSelectors: selectors,
    enablePending: flag(env['PACT_ENABLE_PENDING'], true),
    ...(wip ? { includeWipPactsSince: wip } : {}),
    publishVerificationResults: flag(env['PACT_PUBLISH_VERIFICATION_RESULTS'], false),
    publishPacts: flag(env['PACT_PUBLISH_PACTS'], false),
    ...(buildUrl ? { buildUrl } : {}),
  };
}

/** Authorization header for the broker's HTTP API. */
export function brokerAuthHeader(config: BrokerConfig): Record<string, string> {
  if (!config.auth) return {};
  if ('token' in config.auth) return { Authorization: `Bearer ${config.auth.token}` };
  return {
    Authorization: `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`,
  };
}
