import fs from 'node:fs';
import { openapiServices, specPath, type OrderOperations, type PaymentOperations } from '@harness/contracts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createServiceApp } from '../src/app/createServiceApp.ts';
import { type AnyHandler, type OperationHandler, type OperationRequest } from '../src/app/handlerTypes.ts';
import { asOpenApiDocument, listOperations } from '../src/app/openApiDocument.ts';
import { isBuiltinRoute } from '../src/app/builtinRoutes.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';

function referenceSpec(service: (typeof openapiServices)[number]): object {
  return JSON.parse(fs.readFileSync(specPath(service), 'utf8')) as object;
}

/** The reference service's app with a stub handler per operation that echoes the operation id. */
function stubApp(service: (typeof openapiServices)[number]) {
  const spec = referenceSpec(service);
  const handlers: Record<string, AnyHandler> = {};
  for (const operation of listOperations(asOpenApiDocument(spec))) {
    if (!isBuiltinRoute(operation.method, operation.routeUrl)) {
      handlers[operation.operationId] = () => ({ status: 200, body: { operationId: operation.operationId } });
    }
  }
  return createServiceApp({
    name: service,
    spec,
    // Stand-in handlers answer what the test needs, not what the spec says.
    validateResponses: 'off',
    handlers,
    logger: createLogger({ service, level: 'silent' }),
    metrics: createMetrics(service, { defaultMetrics: false }),
    serviceToken: 'service-token',
    securityHandlers: { apiKey: () => undefined },
    ...(service === 'gateway' ? { routePrefix: '/api/v1' } : {}),
  });
}

const token = { 'x-service-token': 'service-token' };

describe('the reference system specs', () => {
  it.each(openapiServices)('builds the %s app from its bundled spec', async (service) => {
    const app = stubApp(service);
    await app.ready();
    expect((await app.inject({ url: '/health/ready' })).json()).toEqual({ status: 'ok', checks: {} });
  });

  it('validates order placement as the order contract says', async () => {
    const app = stubApp('order');
    const items = [{ productId: 'espresso-1kg', quantity: 2 }];
    const order = { items, paymentToken: 'tok_approve' };
    const unauthenticated = await app.inject({ method: 'POST', url: '/orders', payload: order });
    expect(unauthenticated.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const keyless = await app.inject({ method: 'POST', url: '/orders', headers: token, payload: order });
    expect(keyless.json()).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_MISSING' });
    const headers = { ...token, 'idempotency-key': 'checkout-7f3a9c21' };
    const placed = await app.inject({ method: 'POST', url: '/orders', headers, payload: order });
    expect(placed.json(), placed.body).toEqual({ operationId: 'placeOrder' });
    const tooMany = await app.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload: { ...order, items: [{ ...items[0], quantity: 101 }] },
    });
    expect(tooMany.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: '/items/0/quantity' })],
    });
  });

  it('types handlers from the generated operations', () => {
    expectTypeOf<
      OperationRequest<OrderOperations['placeOrder']>['headers']['Idempotency-Key']
    >().toEqualTypeOf<string>();
    // An object literal gets the response type from context (literal `status: 'SUCCEEDED'`).
    const createCharge: OperationHandler<PaymentOperations['createCharge']> = ({ body }) => ({
      status: 201,
      body: {
        id: 'ch_1',
        orderId: body.orderId,
        amountCents: body.amountCents,
        currency: body.currency,
        status: 'SUCCEEDED',
        createdAt: new Date(0).toISOString(),
      },
    });
    expect(createCharge).toBeTypeOf('function');
  });
});
