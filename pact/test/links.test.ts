import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceTopology } from '@harness/runtime';
import { describe, expect, it } from 'vitest';
import { consumerTestFile, pactFileName, pactLinks, providersOf, selectedLinks } from '../src/links.ts';

const pactDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('links of the contract stage', () => {
  it('derives one Pact pair per HTTP, GraphQL and message link (none for gRPC), callers and receivers as consumers', () => {
    const links = pactLinks();
    const ids = referenceTopology().links.map((link) => link.id);
    expect(links.map((link) => link.id)).toEqual(ids.filter((id) => id !== 'L11'));
    expect(ids).toContain('L11');
    expect(links.find((link) => link.id === 'L10')).toMatchObject({
      kind: 'graphql',
      consumer: 'storefront',
      provider: 'gateway',
      spec: { kind: 'graphql', name: 'gateway' },
    });
    expect(links.find((link) => link.id === 'L2')).toMatchObject({
      consumer: 'gateway',
      provider: 'order',
      spec: { kind: 'openapi', name: 'order' },
    });
    expect(links.find((link) => link.id === 'L6')).toMatchObject({
      consumer: 'notification',
      provider: 'order',
      spec: { kind: 'asyncapi', name: 'order-events', messages: ['OrderConfirmed', 'OrderCancelled'] },
    });
  });

  it('gives every link its own kind of a pair’s pact file, so no two test files write the same interactions', () => {
    const owners = pactLinks().map((link) => `${pactFileName(link)} ${link.kind}`);
    expect(new Set(owners).size).toBe(owners.length);
    // gateway calls order (L2) and consumes order's events (L9): one Pact V4 file, both kinds; the
    // same for notification (L8 calls, L12 events).
    expect(
      pactLinks()
        .filter((link) => pactFileName(link) === 'gateway-order.json')
        .map((link) => link.id),
    ).toEqual(['L2', 'L9']);
    // The storefront calls the gateway over REST (L1) and over GraphQL (L10): one file, each link its requests.
    expect(
      pactLinks()
        .filter((link) => pactFileName(link) === 'storefront-gateway.json')
        .map((link) => `${link.id} ${link.kind}`),
    ).toEqual(['L1 http', 'L10 graphql']);
    expect(
      pactLinks()
        .filter((link) => pactFileName(link) === 'gateway-notification.json')
        .map((link) => link.id),
    ).toEqual(['L8', 'L12']);
  });

  it('has exactly one consumer test file per link and no other pact writer', () => {
    const onDisk = fs
      .readdirSync(path.join(pactDir, 'consumers'))
      .filter((file) => file.endsWith('.pact.test.ts'))
      .sort();
    const expected = pactLinks()
      .map((link) => path.basename(consumerTestFile(link)))
      .sort();
    expect(onDisk).toEqual(expected);
  });

  it('verifies each provider once', () => {
    expect(providersOf(pactLinks())).toEqual(['gateway', 'order', 'inventory', 'payment', 'notification']);
  });

  it('selects the links named by --link, whatever their case', () => {
    expect(selectedLinks({ HARNESS_PACT_LINKS: 'l2, L7' }).map((link) => link.id)).toEqual(['L2', 'L7']);
    expect(selectedLinks({})).toHaveLength(11);
  });
});
