import { describe, expect, it } from 'vitest';
import { readOrderViewOverGraphql } from '../src/web/graphqlOrderView.ts';
import { fakeGatewayFetch, json, type FakeAnswer } from './support/fakeGatewayFetch.ts';
import { confirmationNotification, order, orderId } from './support/fixtures.ts';

async function read(answer: FakeAnswer) {
  const gateway = fakeGatewayFetch(answer);
  const update = await readOrderViewOverGraphql(
    { gatewayUrl: 'http://gateway.test/', apiKey: 'k', fetch: gateway.fetch },
    orderId,
  );
  return { update, request: gateway.requests[0] };
}

const graphqlOrder = (overrides: Record<string, unknown> = {}) => ({
  source: 'ORDER',
  stale: null,
  lagSeconds: null,
  order: { ...order('CONFIRMED'), cancellationReason: null },
  notifications: [confirmationNotification()],
  ...overrides,
});

describe('reading the order view over GraphQL', () => {
  it('sends the generated OrderView operation with the order id and the API key', async () => {
    const { update, request } = await read(json(200, { data: { order: graphqlOrder() } }));
    expect(request?.url).toBe('http://gateway.test/api/graphql');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('authorization')).toBe('Bearer k');
    const body = (await request?.json()) as { operationName: string; query: string; variables: unknown };
    expect(body.operationName).toBe('OrderView');
    expect(body.query).toMatch(/query OrderView\(\$id: ID!\)/);
    expect(body.variables).toEqual({ id: orderId });
    expect(update).toEqual({
      kind: 'view',
      view: { order: order('CONFIRMED'), notifications: [confirmationNotification()], degraded: [] },
    });
  });

  it('shows notifications null with their error as the degraded view', async () => {
    const { update } = await read(
      json(200, {
        data: { order: graphqlOrder({ notifications: null }) },
        errors: [{ message: 'down', path: ['order', 'notifications'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }],
      }),
    );
    expect(update).toMatchObject({ kind: 'view', view: { notifications: [], degraded: ['notification'] } });
  });

  it('keeps the read model marks of an order answered from it', async () => {
    const { update } = await read(
      json(200, { data: { order: graphqlOrder({ source: 'READ_MODEL', stale: true, lagSeconds: 7.4 }) } }),
    );
    expect(update).toMatchObject({ kind: 'view', view: { source: 'read-model', stale: true, lagSeconds: 7.4 } });
  });

  it('stops on ORDER_NOT_FOUND, and waits out DEPENDENCY_UNAVAILABLE with its retryAfterSeconds', async () => {
    const notFound = await read(
      json(200, { data: { order: null }, errors: [{ message: 'No order.', extensions: { code: 'ORDER_NOT_FOUND' } }] }),
    );
    expect(notFound.update).toEqual({ kind: 'failed', message: 'No order.' });
    const unavailable = await read(
      json(200, {
        data: { order: null },
        errors: [
          { message: 'order is unavailable', extensions: { code: 'DEPENDENCY_UNAVAILABLE', retryAfterSeconds: 2 } },
        ],
      }),
    );
    expect(unavailable.update).toEqual({ kind: 'unavailable', message: 'order is unavailable', retryAfterSeconds: 2 });
  });

  it('fails on a refused key (401) and calls the gateway unreachable when fetch throws', async () => {
    const refused = await read(
      json(401, {
        data: null,
        errors: [{ message: 'The API key is not valid.', extensions: { code: 'UNAUTHENTICATED' } }],
      }),
    );
    expect(refused.update).toMatchObject({ kind: 'failed' });
    const offline = await read(new TypeError('fetch failed'));
    expect(offline.update).toMatchObject({ kind: 'unavailable', message: 'The shop could not be reached.' });
  });
});
