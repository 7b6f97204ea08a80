import '../src/pactEnvironment.ts';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutAt } from '../src/layout.ts';
import { pactLink } from '../src/links.ts';
import { verifyProviderLinks, type ProviderVerificationOptions } from '../src/verify/verifyProviderLinks.ts';

// The guardrails of provider verification, on a tiny provider and a pact written for it:
// Pact's verifier alone passes a throwing or missing state handler and an empty pact.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-guardrails-'));
const layout = layoutAt(path.join(work, 'contracts'));
const link = pactLink('L3');
const product = { id: 'espresso-1kg', priceCents: 1899 };
let provider: Server;
let providerBaseUrl: string;

beforeAll(async () => {
  provider = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [product] }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerBaseUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const pact = new PactV4({ consumer: 'gateway', provider: 'inventory', dir: layout.pactsDir, logLevel: 'error' });
  await pact
    .addInteraction()
    .given('the catalog has products')
    .uponReceiving('listProducts: the catalog')
    .withRequest('GET', '/products')
    .willRespondWith(200, (response) => response.jsonBody({ items: MatchersV3.eachLike(product) }))
    .executeTest(async (mock) => {
      await fetch(`${mock.url}/products`);
    });
});
afterAll(async () => {
  await new Promise<void>((resolve) => provider.close(() => resolve()));
  fs.rmSync(work, { recursive: true, force: true });
});

const verify = (options: Partial<ProviderVerificationOptions>) =>
  verifyProviderLinks({
    provider: 'inventory',
    providerBaseUrl,
    links: [link],
    layout,
    reportDir: path.join(work, 'reports'),
    env: {},
    stateHandlers: { 'the catalog has products': async () => undefined },
    ...options,
  });

describe('provider verification guardrails', () => {
  it('passes when every interaction is verified and every state was set up', async () => {
    const report = await verify({});
    expect(report).toMatchObject({ ok: true, problems: [], links: { L3: { ok: true, verified: 1, expected: 1 } } });
    expect(fs.existsSync(path.join(work, 'reports', 'verification', 'inventory.json'))).toBe(true);
  });

  it('fails when a state handler throws, naming the state', async () => {
    const report = await verify({
      stateHandlers: {
        'the catalog has products': async () => {
          throw new Error('seed failed');
        },
      },
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('state handler "the catalog has products" threw: seed failed');
    expect(report.links.L3?.ok).toBe(false);
  });

  it('fails when a provider state has no handler', async () => {
    const report = await verify({ stateHandlers: {} });
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('no state handler for provider state "the catalog has products"');
  });

  it('fails a run that verifies no interaction', async () => {
    const file = path.join(layout.pactsDir, 'gateway-inventory.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), interactions: [] }));
    try {
      const report = await verify({});
      expect(report.ok).toBe(false);
      expect(report.problems).toContain('no interaction was verified (a run that verifies nothing fails)');
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('fails a link whose pact file is missing', async () => {
    const report = await verify({ links: [link, pactLink('L4')] });
    expect(report.ok).toBe(false);
    expect(report.links.L4).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/order-inventory.json missing or empty/)],
    });
    expect(report.links.L3?.ok).toBe(true);
  });

  it('fails when the provider answers something else than the pact expects', async () => {
    const renamed = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ products: [product] }));
    });
    await new Promise<void>((resolve) => renamed.listen(0, '127.0.0.1', resolve));
    try {
      const report = await verify({ providerBaseUrl: `http://127.0.0.1:${(renamed.address() as AddressInfo).port}` });
      expect(report.ok).toBe(false);
      expect(report.links.L3).toMatchObject({
        ok: false,
        verified: 0,
        problems: ['failed: listProducts: the catalog'],
      });
    } finally {
      await new Promise<void>((resolve) => renamed.close(() => resolve()));
    }
  });
});
