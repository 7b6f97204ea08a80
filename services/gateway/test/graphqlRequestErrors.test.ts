import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espresso, placeOrderBody } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

const { stubs, ready } = dependencyStubs();
let app: FastifyInstance;
let clock = 0;

beforeAll(async () => {
  await ready;
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
    graphqlLimits: { maxDepth: 3, maxComplexity: 20 },
    rateLimit: { ratePerSecond: 1, burst: 30 },
    now: () => clock,
  }).app;
});
afterAll(() => app.close());

const post = (payload: unknown, headers: Record<string, string> = fullAuth) =>
  app.inject({ method: 'POST', url: '/api/graphql', headers, payload: payload as Record<string, unknown> });

const placeOrderMutation = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input, idempotencyKey: "checkout-7f3a9c21") { orderId }
}`;

/** Refused before anything ran: the status, one error with the code, no data, no dependency called. */
function expectRefused(response: Awaited<ReturnType<typeof post>>, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  const body = response.json();
  expect(body.data).toBeNull();
  expect(body.errors.length).toBeGreaterThan(0);
  for (const error of body.errors) expect(error.extensions.code).toBe(code);
  expect(stubs.order.calls).toHaveLength(0);
  expect(stubs.inventory.calls).toHaveLength(0);
  return body.errors as { message: string; extensions: Record<string, unknown> }[];
}

describe('POST /api/graphql bad input', () => {
  it('answers 401 UNAUTHENTICATED without an API key, before reading the query', async () => {
    const errors = expectRefused(await post({ query: '{ products { id } }' }, {}), 401, 'UNAUTHENTICATED');
    expect(errors[0]?.message).toMatch(/Authorization: Bearer/);
  });

  it('answers 401 UNAUTHENTICATED for a key it does not know', async () => {
    expectRefused(
      await post({ query: '{ products { id } }' }, { authorization: 'Bearer not-a-key-at-all' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('answers 400 QUERY_SYNTAX_ERROR for a document that does not parse', async () => {
    const errors = expectRefused(await post({ query: '{ products { id }' }), 400, 'QUERY_SYNTAX_ERROR');
    expect(errors[0]?.message).toMatch(/Syntax Error/);
  });

  it('answers application/graphql-response+json to a client that accepts it', async () => {
    const response = await post(
      { query: '{ products { id }' },
      { ...fullAuth, accept: 'application/graphql-response+json, application/json;q=0.9' },
    );
    expectRefused(response, 400, 'QUERY_SYNTAX_ERROR');
    expect(response.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
  });

  it('answers 400 VALIDATION_FAILED for a field the schema does not have', async () => {
    const errors = expectRefused(await post({ query: '{ products { id secretCost } }' }), 400, 'VALIDATION_FAILED');
    expect(errors[0]?.message).toMatch(/Cannot query field "secretCost"/);
  });

  it('answers 400 VALIDATION_FAILED for a variable of the wrong type, writing nothing', async () => {
    const input = { ...placeOrderBody, items: [{ productId: 'espresso-1kg', quantity: 'two' }] };
    const errors = expectRefused(
      await post({ query: placeOrderMutation, variables: { input } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(errors[0]?.message).toMatch(/\$input/);
  });

  it('answers 400 VALIDATION_FAILED when a required variable is missing', async () => {
    expectRefused(await post({ query: placeOrderMutation }), 400, 'VALIDATION_FAILED');
  });

  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/graphql',
      headers: { ...fullAuth, 'content-type': 'application/json' },
      payload: '{"query": ',
    });
    expectRefused(response, 400, 'MALFORMED_JSON');
  });

  it('answers 405 METHOD_NOT_ALLOWED for a mutation sent with GET, writing nothing', async () => {
    const query = encodeURIComponent(placeOrderMutation);
    const variables = encodeURIComponent(JSON.stringify({ input: placeOrderBody }));
    const response = await app.inject({
      method: 'GET',
      url: `/api/graphql?query=${query}&variables=${variables}`,
      headers: fullAuth,
    });
    expectRefused(response, 405, 'METHOD_NOT_ALLOWED');
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH with 400 QUERY_TOO_DEEP', async () => {
    const query = '{ order(id: "3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10") { order { items { productId } } } }';
    const errors = expectRefused(await post({ query }), 400, 'QUERY_TOO_DEEP');
    expect(errors[0]?.message).toMatch(/exceeds the query depth limit of 3/);
    expect(errors[0]?.message).not.toMatch(/`|undefined/);
  });

  it('refuses a query costing more than GRAPHQL_MAX_COMPLEXITY with 400 QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 8 }, (_, index) => `p${index}: products { id name priceCents }`);
    const errors = expectRefused(await post({ query: `{ ${aliases.join(' ')} }` }), 400, 'QUERY_TOO_COMPLEX');
    expect(errors[0]?.extensions).toMatchObject({ cost: 32, limit: 20 });
  });

  it('shares the REST rate limit: 429 RATE_LIMITED with Retry-After once the key has no token left', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    clock += 1_000_000;
    for (let index = 0; index < 15; index += 1) {
      await app.inject({ method: 'GET', url: '/api/v1/products', headers: fullAuth });
      await post({ query: '{ products { id } }' });
    }
    stubs.inventory.calls.length = 0;
    const response = await post({ query: '{ products { id } }' });
    expectRefused(response, 429, 'RATE_LIMITED');
    expect(response.headers['retry-after']).toBe('1');
  });
});
