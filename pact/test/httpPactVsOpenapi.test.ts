import { afterEach, describe, expect, it } from 'vitest';
import { checkLinkConformance } from '../src/checks/linkConformance.ts';
import { repoLayout } from '../src/layout.ts';
import { pactLink, pactLinks } from '../src/links.ts';
import { scratchContracts, type ScratchContracts } from './support/scratchContracts.ts';

type Pact = {
  interactions: Array<Record<string, unknown> & { description: string; request: { method: string; path: string } }>;
};

let scratch: ScratchContracts | undefined;
afterEach(() => scratch?.remove());

/**
 * The gateway→order pact of a scratch copy, changed by `change` (its HTTP interactions: the file
 * also holds L9's messages), checked as the stage checks L2 against the order spec.
 */
async function checkChangedOrderPact(change: (pact: Pact) => void) {
  scratch = scratchContracts();
  scratch.editJson('pacts/gateway-order.json', (json) => {
    const pact = json as unknown as Pact & { interactions: Array<{ type?: string }> };
    const messages = pact.interactions.filter((interaction) => interaction.type !== 'Synchronous/HTTP');
    pact.interactions = pact.interactions.filter((interaction) => interaction.type === 'Synchronous/HTTP');
    change(pact);
    pact.interactions.push(...(messages as Pact['interactions']));
  });
  return checkLinkConformance(pactLink('L2'), scratch.layout);
}

describe('HTTP pacts against OpenAPI', () => {
  it.each(pactLinks().filter((link) => link.kind === 'http'))(
    'finds the committed $id pact conformant',
    async (link) => {
      if (link.spec.kind !== 'openapi') throw new Error('not an HTTP link');
      // As the stage checks it: a pair's file may also hold a message link's interactions (L2 and L9).
      const result = await checkLinkConformance(link, repoLayout);
      expect(result.issues).toEqual([]);
      expect(result.checked).toBeGreaterThan(0);
    },
  );

  it('fails an interaction that does not name its operation', async () => {
    const result = await checkChangedOrderPact((pact) => {
      pact.interactions[0]!.description = 'a confirmed order';
    });
    expect(result.ok).toBe(false);
    expect(result.issues).toContainEqual({
      interaction: 'a confirmed order',
      message: expect.stringMatching(/does not name its operation/),
    });
  });

  it('fails an interaction naming an operation the spec does not have', async () => {
    const result = await checkChangedOrderPact((pact) => {
      pact.interactions[0]!.description = 'cancelOrder: by the shopper';
    });
    expect(result.issues).toContainEqual({
      interaction: 'cancelOrder: by the shopper',
      message: expect.stringMatching(/names operation cancelOrder, which .* does not define/),
    });
  });

  it('fails an interaction whose request is not the operation it names', async () => {
    const result = await checkChangedOrderPact((pact) => {
      const getOrder = pact.interactions.find((interaction) =>
        interaction.description.startsWith('getOrder: a confirmed'),
      );
      getOrder!.description = 'placeOrder: disguised';
    });
    expect(result.issues).toContainEqual({
      interaction: 'placeOrder: disguised',
      message: expect.stringMatching(/requests GET \/orders\/.*, but placeOrder is POST \/orders/),
    });
  });

  it('fails a response field the spec does not define', async () => {
    const result = await checkChangedOrderPact((pact) => {
      const placed = pact.interactions.find(
        (interaction) => interaction.description === 'placeOrder: a confirmed order',
      );
      const body = (placed!['response'] as { body: { content: Record<string, unknown> } }).body.content;
      body['loyaltyPoints'] = 12;
    });
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.message).join('\n')).toMatch(/additional properties - loyaltyPoints/);
  });

  it('fails a pact without interactions', async () => {
    const result = await checkChangedOrderPact((pact) => {
      pact.interactions = [];
    });
    expect(result).toMatchObject({
      ok: false,
      checked: 0,
      issues: [{ message: expect.stringMatching(/has no interactions/) }],
    });
  });

  describe('GraphQL interactions (checked against the SDL)', () => {
    type GraphqlPact = {
      interactions: Array<{
        description: string;
        request: { path: string; body?: { content?: Record<string, unknown> } };
      }>;
    };
    /** The storefront→gateway pact with its GraphQL interactions changed, checked as the stage checks L10. */
    async function checkChangedGraphql(change: (content: Record<string, unknown>) => void) {
      scratch = scratchContracts();
      scratch.editJson('pacts/storefront-gateway.json', (json) => {
        const pact = json as unknown as GraphqlPact;
        const graphql = pact.interactions.filter((interaction) => interaction.request.path === '/api/graphql');
        expect(graphql.length).toBeGreaterThan(0);
        for (const interaction of graphql) change(interaction.request.body!.content!);
      });
      return checkLinkConformance(pactLink('L10'), scratch.layout);
    }

    it('fails a query asking for a field the SDL does not have', async () => {
      const result = await checkChangedGraphql((content) => {
        content.query = String(content.query).replace('stale', 'stale\n    secretCost');
      });
      expect(result.ok).toBe(false);
      expect(result.issues).toContainEqual(
        expect.objectContaining({
          message: expect.stringMatching(/Cannot query field "secretCost" on type "OrderView"/),
        }),
      );
    });

    it('fails an interaction that leaves out a required variable', async () => {
      const result = await checkChangedGraphql((content) => {
        content.variables = {};
      });
      expect(result.issues).toContainEqual(
        expect.objectContaining({ message: 'does not give the required variable $id' }),
      );
    });
  });
});
