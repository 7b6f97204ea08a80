import fs from 'node:fs';
import type { ResolvedConfig } from '@harness/runtime';
import {
  pactFilePath,
  providerStatesOf,
  readPactFile,
  verifyProviderLinks,
  type ContractsLayout,
  type PactLink,
  type ProvidedMessage,
  type ProviderStateSetup,
  type ProviderVerification,
} from '@harness/pact';

export interface UrlVerificationOptions {
  config: ResolvedConfig;
  provider: string;
  links: readonly PactLink[];
  layout: ContractsLayout;
  reportDir: string;
  /** Where the running provider answers (undefined: it is not running). */
  url: string | undefined;
}

/**
 * Verifies one provider of a config system, in any language, the way Pact verifies any provider:
 * requests replayed against its running service, each provider state set up by a POST to its
 * state change endpoint, each message of a message pact fetched from its message endpoint. The
 * verifier's own checks stay: an unhandled state or an unverified interaction fails the run.
 */
export async function verifyProviderByUrl(options: UrlVerificationOptions): Promise<ProviderVerification> {
  const { provider, url } = options;
  const settings = options.config.contracts.providers[provider] ?? {};
  const own = options.links.filter((link) => link.provider === provider);
  if (!url) throw new Error(`provider ${provider} is not running, so it cannot be verified`);
  const post = async (path: string, body: unknown): Promise<Response> =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });

  const states = new Set<string>();
  for (const link of own) {
    const file = pactFilePath(options.layout, link);
    if (fs.existsSync(file)) for (const state of providerStatesOf(readPactFile(file))) states.add(state);
  }
  const stateHandlers: Record<string, ProviderStateSetup> = {};
  for (const state of states) {
    stateHandlers[state] = async (params) => {
      if (!settings.states)
        throw new Error(`the pacts use provider states; set contracts.providers.${provider}.states to its endpoint`);
      const response = await post(settings.states, { state, params, action: 'setup' });
      if (!response.ok) throw new Error(`${settings.states} answered ${response.status} for state "${state}"`);
      const text = await response.text();
      const values = text ? (JSON.parse(text) as unknown) : undefined;
      return typeof values === 'object' && values !== null && !Array.isArray(values)
        ? (values as Record<string, unknown>)
        : undefined;
    };
  }

  const publishesMessages = own.some((link) => link.kind === 'amqp');
  const messages = async (description: string): Promise<ProvidedMessage> => {
    if (!settings.messages)
      throw new Error(`${provider} publishes messages; set contracts.providers.${provider}.messages to its endpoint`);
    const response = await post(settings.messages, { description });
    if (!response.ok) throw new Error(`${settings.messages} answered ${response.status} for "${description}"`);
    const header = response.headers.get('pact-message-metadata');
    const metadata = header
      ? (JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>)
      : {};
    return { content: (await response.json()) as unknown, metadata };
  };

  return verifyProviderLinks({
    provider,
    // HTTP and GraphQL pacts are verified against the provider's HTTP server.
    ...(own.some((link) => link.kind !== 'amqp') ? { providerBaseUrl: url } : {}),
    stateHandlers,
    ...(publishesMessages ? { messages } : {}),
    links: own,
    layout: options.layout,
    reportDir: options.reportDir,
  });
}
