import { ConfigError } from '@harness/kit';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../src/config.ts';
import { resilienceSettings } from '../src/resilience.ts';
import { fullAuth, gatewayUnderTest } from './support/gatewayUnderTest.ts';
import { placeOrderBody } from './support/fixtures.ts';
import { startStub, unreachableUrl } from './support/stubService.ts';

const requiredEnv = {
  SERVICE_TOKEN: 'svc_test_token',
  ORDER_URL: 'http://127.0.0.1:1',
  INVENTORY_URL: 'http://127.0.0.1:2',
  NOTIFICATION_URL: 'http://127.0.0.1:3',
  API_KEYS: '[]',
};

describe('gateway resilience settings', () => {
  it('default to the policies the gateway has always run with', () => {
    expect(resilienceSettings(loadGatewayConfig(requiredEnv))).toEqual({
      order: {
        timeoutMs: 10_000,
        retry: { maxAttempts: 2, initialDelayMs: 50, maxDelayMs: 500 },
        breaker: { threshold: 10, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 64, queue: 64 },
      },
      inventory: {
        timeoutMs: 1_500,
        retry: { maxAttempts: 2, initialDelayMs: 50, maxDelayMs: 500, maxRetryAfterMs: 1_000 },
        breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 128, queue: 256 },
      },
      stock: {
        timeoutMs: 300,
        retry: { maxAttempts: 2, initialDelayMs: 25, maxDelayMs: 200 },
        breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 128, queue: 256 },
      },
      notification: {
        timeoutMs: 300,
        retry: { maxAttempts: 1 },
        breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 128, queue: 256 },
      },
    });
  });

  it('take every knob of every dependency from the env', () => {
    const settings = resilienceSettings(
      loadGatewayConfig({
        ...requiredEnv,
        ORDER_RETRY_ATTEMPTS: '4',
        ORDER_BREAKER_THRESHOLD: '3',
        ORDER_BREAKER_HALF_OPEN_MS: '750',
        ORDER_BULKHEAD_LIMIT: '9',
        ORDER_BULKHEAD_QUEUE: '0',
        INVENTORY_TIMEOUT_MS: '400',
        INVENTORY_RETRY_ATTEMPTS: '1',
        INVENTORY_BREAKER_THRESHOLD: '2',
        INVENTORY_BREAKER_HALF_OPEN_MS: '1000',
        INVENTORY_BULKHEAD_LIMIT: '8',
        INVENTORY_BULKHEAD_QUEUE: '16',
        NOTIFICATION_RETRY_ATTEMPTS: '2',
        NOTIFICATION_BREAKER_THRESHOLD: '6',
        NOTIFICATION_BREAKER_HALF_OPEN_MS: '2000',
        NOTIFICATION_BULKHEAD_LIMIT: '4',
        NOTIFICATION_BULKHEAD_QUEUE: '5',
        STOCK_DEADLINE_MS: '150',
        STOCK_RETRY_ATTEMPTS: '3',
        STOCK_BREAKER_THRESHOLD: '7',
        STOCK_BREAKER_HALF_OPEN_MS: '1500',
        STOCK_BULKHEAD_LIMIT: '6',
        STOCK_BULKHEAD_QUEUE: '7',
      }),
    );
    expect(settings.stock).toMatchObject({
      timeoutMs: 150,
      retry: { maxAttempts: 3 },
      breaker: { threshold: 7, halfOpenAfterMs: 1_500 },
      bulkhead: { limit: 6, queue: 7 },
    });
    expect(settings.order).toMatchObject({
      retry: { maxAttempts: 4 },
      breaker: { threshold: 3, halfOpenAfterMs: 750 },
      bulkhead: { limit: 9, queue: 0 },
    });
    expect(settings.inventory).toMatchObject({
      timeoutMs: 400,
      retry: { maxAttempts: 1 },
      breaker: { threshold: 2, halfOpenAfterMs: 1_000 },
      bulkhead: { limit: 8, queue: 16 },
    });
    expect(settings.notification).toMatchObject({
      retry: { maxAttempts: 2 },
      breaker: { threshold: 6, halfOpenAfterMs: 2_000 },
      bulkhead: { limit: 4, queue: 5 },
    });
  });

  it.each([
    ['ORDER_RETRY_ATTEMPTS', '0'],
    ['INVENTORY_BREAKER_THRESHOLD', '0'],
    ['NOTIFICATION_BULKHEAD_LIMIT', '0'],
    ['ORDER_BULKHEAD_QUEUE', '-1'],
    ['INVENTORY_BREAKER_HALF_OPEN_MS', 'soon'],
    ['NOTIFICATION_RETRY_ATTEMPTS', '1.5'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => loadGatewayConfig({ ...requiredEnv, [name]: value })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ ...requiredEnv, [name]: value })).toThrow(name);
  });

  it('shed an overload of checkouts at the defaults: beyond 64 calls to order and 64 waiting, refused at once', async () => {
    // Order holds every call: what goes past the bulkhead waits, what does not fit is refused
    // with 503 and a Retry-After before it costs order anything (the bench's 500/s overload
    // collapsed to 10 s answers with the old 512 + 1,024).
    const order = await startStub(() => ({ hang: true }));
    const { app } = gatewayUnderTest({
      orderUrl: order.url,
      orderTimeoutMs: 30_000,
      inventoryUrl: 'http://127.0.0.1:1',
      notificationUrl: 'http://127.0.0.1:1',
    });
    const answered: { status: number; retryAfter: unknown; code: unknown }[] = [];
    const checkouts = Array.from({ length: 140 }, (_, n) =>
      app
        .inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: { ...fullAuth, 'idempotency-key': `checkout-shed-${String(n).padStart(3, '0')}` },
          payload: placeOrderBody,
        })
        .then((response) => {
          answered.push({
            status: response.statusCode,
            retryAfter: response.headers['retry-after'],
            code: (response.json() as { code?: unknown }).code,
          });
        }),
    );
    try {
      await expect.poll(() => order.calls.length, { timeout: 10_000 }).toBe(64);
      await expect.poll(() => answered.length, { timeout: 10_000 }).toBe(12);
      expect(answered.every((a) => a.status === 503 && a.code === 'DEPENDENCY_UNAVAILABLE' && a.retryAfter)).toBe(true);
      expect(order.calls).toHaveLength(64);
    } finally {
      await order.close();
      await Promise.allSettled(checkouts);
      await app.close();
    }
  });

  it('open the order breaker after ORDER_BREAKER_THRESHOLD failures', async () => {
    const { app, events } = gatewayUnderTest({
      orderUrl: await unreachableUrl(),
      inventoryUrl: 'http://127.0.0.1:1',
      notificationUrl: 'http://127.0.0.1:1',
      env: { ORDER_BREAKER_THRESHOLD: '2', ORDER_RETRY_ATTEMPTS: '1' },
    });
    const placeOrder = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...fullAuth, 'idempotency-key': 'checkout-breaker-01' },
        payload: placeOrderBody,
      });
    try {
      expect((await placeOrder()).json().detail).not.toContain('circuit open');
      expect((await placeOrder()).json().detail).not.toContain('circuit open');
      expect((await placeOrder()).json().detail).toContain('circuit open');
      expect(events.list().filter((event) => event.dependency === 'order' && event.type === 'call')).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
