import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { brokerConfigFrom, BrokerConfigError, DEFAULT_SELECTORS } from '../src/broker/brokerConfig.ts';
import { pacticipantVersion } from '../src/broker/pacticipantVersion.ts';
import { publishPacts } from '../src/broker/publishPacts.ts';
import { pactFilePath, pactLink } from '../src/links.ts';
import { repoLayout } from '../src/layout.ts';

describe('Pact Broker settings', () => {
  it('keeps the file-based flow without a broker URL', () => {
    expect(brokerConfigFrom({})).toBeUndefined();
  });

  it('reads the broker, its credentials, selectors, pending and WIP pacts from the environment', () => {
    const config = brokerConfigFrom({
      PACT_BROKER_BASE_URL: 'https://example.pactflow.io/',
      PACT_BROKER_TOKEN: 'tok',
      PACT_CONSUMER_VERSION_SELECTORS: '[{"branch":"main"}]',
      PACT_INCLUDE_WIP_PACTS_SINCE: '2025-01-01',
      PACT_PUBLISH_VERIFICATION_RESULTS: 'true',
    });
    expect(config).toMatchObject({
      url: 'https://example.pactflow.io',
      auth: { token: 'tok' },
      verifyFromBroker: true,
      consumerVersionSelectors: [{ branch: 'main' }],
      enablePending: true,
      includeWipPactsSince: '2025-01-01',
      publishVerificationResults: true,
      publishPacts: false,
    });
    expect(
      brokerConfigFrom({
        PACT_BROKER_BASE_URL: 'http://b',
        PACT_BROKER_USERNAME: 'u',
        PACT_BROKER_PASSWORD: 'p',
        PACT_ENABLE_PENDING: 'false',
        PACT_VERIFY_SOURCE: 'files',
      }),
    ).toMatchObject({
      auth: { username: 'u', password: 'p' },
      enablePending: false,
      verifyFromBroker: false,
      consumerVersionSelectors: DEFAULT_SELECTORS,
    });
  });

  it('rejects selectors that are not JSON', () => {
    expect(() =>
      brokerConfigFrom({ PACT_BROKER_BASE_URL: 'http://b', PACT_CONSUMER_VERSION_SELECTORS: 'main' }),
    ).toThrow(BrokerConfigError);
  });

  it('versions pacts and results by the CI commit and branch when given', () => {
    expect(pacticipantVersion('/', { GITHUB_SHA: 'abc123', GITHUB_REF_NAME: 'feature/x' })).toEqual({
      version: 'abc123',
      branch: 'feature/x',
    });
  });

  it('publishes the pacts of each consumer in one request with its version, branch and token', async () => {
    const received: Array<{
      url: string;
      headers: IncomingHttpHeaders;
      body: { pacticipantName: string; branch: string; contracts: Array<{ providerName: string; content: string }> };
    }> = [];
    const broker = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(body) });
        response.writeHead(200, { 'content-type': 'application/hal+json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    try {
      const config = brokerConfigFrom({
        PACT_BROKER_BASE_URL: `http://127.0.0.1:${(broker.address() as AddressInfo).port}`,
        PACT_BROKER_TOKEN: 'secret',
      })!;
      const files = ['L2', 'L3'].map((id) => pactFilePath(repoLayout, pactLink(id)));
      const results = await publishPacts(config, files, { version: '1.2.3', branch: 'main' });
      expect(results.every((result) => result.ok)).toBe(true);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ url: '/contracts/publish', headers: { authorization: 'Bearer secret' } });
      expect(received[0]!.body).toMatchObject({
        pacticipantName: 'gateway',
        pacticipantVersionNumber: '1.2.3',
        branch: 'main',
      });
      expect(received[0]!.body.contracts.map((contract) => contract.providerName).sort()).toEqual([
        'inventory',
        'order',
      ]);
      expect(JSON.parse(Buffer.from(received[0]!.body.contracts[0]!.content, 'base64').toString())).toHaveProperty(
        'interactions',
      );
    } finally {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    }
  });

  it('reports an unreachable broker per file instead of throwing', async () => {
    const config = brokerConfigFrom({ PACT_BROKER_BASE_URL: 'http://127.0.0.1:9' })!;
    const results = await publishPacts(config, [pactFilePath(repoLayout, pactLink('L5'))], { version: '1' });
    expect(results).toEqual([
      {
        file: expect.stringMatching(/order-payment.json$/),
        ok: false,
        detail: expect.stringMatching(/broker unreachable/),
      },
    ]);
  });
});
