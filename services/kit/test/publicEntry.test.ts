import { describe, expect, it } from 'vitest';
import * as kit from '../src/index.ts';
import { startScriptedServer } from './support/scriptedServer.ts';
import { ordersSpec } from './support/ordersSpec.ts';

interface paths {
  '/orders/{orderId}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { orderId: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': { id: string } } } };
    };
  };
}

describe('@harness/kit public entry', () => {
  it('wires a service the way main.ts would: config, logger, metrics, policy, client and app', async () => {
    const config = kit.loadConfig(
      {
        type: 'object',
        properties: { SERVICE_TOKEN: { type: 'string', minLength: 8 }, ORDER_URL: { type: 'string' } },
        required: ['SERVICE_TOKEN', 'ORDER_URL'],
      } as const,
      { SERVICE_TOKEN: 'token-123456', ORDER_URL: 'http://unused' },
    );
    const logger = kit.createLogger({ service: 'gateway', level: 'silent' });
    const metrics = kit.createMetrics('gateway', { defaultMetrics: false });
    const resilienceEvents = new kit.ResilienceEventLog();

    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const upstream = await startScriptedServer();
    upstream.script({ status: 200, body: { id: 'o-1' } });
    try {
      const policy = kit.createResiliencePolicy(
        'order',
        { timeoutMs: 500 },
        { metrics, logger, events: resilienceEvents },
      );
      const orders = kit.createServiceClient<paths>({
        baseUrl: upstream.url,
        policy,
        serviceToken: config.SERVICE_TOKEN,
      });
      const app = kit.createServiceApp({
        name: 'gateway',
        spec: ordersSpec,
        // Stand-in handlers answer what the test needs, not what the spec says.
        validateResponses: 'off',
        logger,
        metrics,
        resilienceEvents,
        serviceToken: config.SERVICE_TOKEN,
        handlers: {
          placeOrder: () => kit.respond(201, {}),
          fail: () => {
            throw new kit.AppError('FORBIDDEN');
          },
          getPublic: () => ({ status: 204 }),
          getOrder: async ({ params }: kit.HandlerRequest<{ orderId: string }>) => {
            const result = await kit.callDependency(() =>
              orders.GET('/orders/{orderId}', { params: { path: { orderId: params.orderId } } }),
            );
            if (result.error) throw kit.dependencyUnavailable('order', result.error);
            return kit.respond(200, result.data);
          },
        },
      });
      const res = await app.inject({
        url: '/orders/3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10',
        headers: { 'x-service-token': 'token-123456', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect(res.json()).toEqual({ id: 'o-1' });
      expect(upstream.received[0]?.headers['x-service-token']).toBe('token-123456');
      // The outgoing call continues the incoming request's trace.
      expect(upstream.received[0]?.headers.traceparent).toMatch(
        new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`),
      );
      expect((await app.inject({ url: '/metrics' })).body).toMatch(
        /harness_dependency_request_duration_seconds_count\{[^}]*dependency="order"[^}]*outcome="success"[^}]*\} 1/,
      );
      // The admin route is internal: it takes the service token too.
      expect((await app.inject({ url: '/admin/resilience' })).statusCode).toBe(401);
      const events = (
        await app.inject({ url: '/admin/resilience', headers: { 'x-service-token': 'token-123456' } })
      ).json().events;
      expect(events).toMatchObject([{ type: 'call', outcome: 'success', dependency: 'order' }]);
    } finally {
      await upstream.close();
    }
  });

  it('validates messages against JSON schemas', () => {
    const validate = kit.messageValidator({
      payload: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', format: 'uuid' } } },
      headers: { type: 'object', required: ['eventId'] },
    });
    expect(validate({ orderId: '3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10' }, { eventId: 'e' })).toEqual({ ok: true });
    expect(validate({ orderId: 'nope' }, {})).toEqual({
      ok: false,
      errors: ['payload/orderId must match format "uuid"', "headers must have required property 'eventId'"],
    });
  });
});
