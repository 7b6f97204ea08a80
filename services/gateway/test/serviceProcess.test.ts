import { fileURLToPath } from 'node:url';
import { freePort, startServiceProcess, waitUntilOk, type RunningService } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espresso } from './support/fixtures.ts';
import { startStub, type StubService } from './support/stubService.ts';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const demoKey = 'demo_process_key_0001';
const storefront = 'http://127.0.0.1:5999';

let service: RunningService;
let baseUrl: string;
let inventory: StubService;
let order: StubService;
let notification: StubService;

beforeAll(async () => {
  [inventory, order, notification] = await Promise.all([startStub(), startStub(), startStub()]);
  inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  service = startServiceProcess(mainPath, {
    SERVICE_NAME: 'gateway',
    HOST: '127.0.0.1',
    PORT: String(port),
    SERVICE_TOKEN: 'svc_process_test',
    LOG_LEVEL: 'warn',
    ORDER_URL: order.url,
    INVENTORY_URL: inventory.url,
    NOTIFICATION_URL: notification.url,
    API_KEYS: JSON.stringify([{ id: 'demo', key: demoKey, scopes: ['products:read', 'orders:read', 'orders:write'] }]),
    CORS_ORIGIN: storefront,
    ORDER_RETRY_ATTEMPTS: '3',
    INVENTORY_BREAKER_HALF_OPEN_MS: '1500',
    NOTIFICATION_BULKHEAD_LIMIT: '7',
  });
  await waitUntilOk(`${baseUrl}/health/ready`, service);
});
afterAll(async () => {
  await service?.stop();
  await Promise.all([inventory, order, notification].map((stub) => stub?.close()));
});

describe('gateway process (main.ts)', () => {
  it('serves the catalog under /api/v1 with the configured key, CORS for the storefront and the service token', async () => {
    const response = await fetch(`${baseUrl}/api/v1/products`, {
      headers: { authorization: `Bearer ${demoKey}`, origin: storefront },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [espresso] });
    expect(response.headers.get('access-control-allow-origin')).toBe(storefront);
    expect(inventory.calls.at(-1)?.headers['x-service-token']).toBe('svc_process_test');
  });

  it('runs its dependency policies with the resilience knobs of its env, served at /admin/resilience', async () => {
    const response = await fetch(`${baseUrl}/admin/resilience`, { headers: { 'x-service-token': 'svc_process_test' } });
    expect(response.status).toBe(200);
    const { policies } = (await response.json()) as { policies: Record<string, unknown> };
    expect(policies.order).toMatchObject({ timeoutMs: 10_000, retry: { maxAttempts: 3 }, breaker: { threshold: 10 } });
    expect(policies.inventory).toMatchObject({ breaker: { threshold: 5, halfOpenAfterMs: 1_500 } });
    expect(policies.notification).toMatchObject({ retry: { maxAttempts: 1 }, bulkhead: { limit: 7, queue: 256 } });
  });

  it('refuses an unknown key', async () => {
    const response = await fetch(`${baseUrl}/api/v1/products`, { headers: { authorization: 'Bearer nope-nope-nope' } });
    expect(response.status).toBe(401);
  });

  it('does not write API keys to its log', () => {
    expect(service.output()).not.toContain(demoKey);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await service.stop()).toBe(0);
  });
});

describe('gateway process configuration', () => {
  it('refuses to start with a malformed API_KEYS, naming the variable but no key', async () => {
    const broken = startServiceProcess(mainPath, {
      SERVICE_TOKEN: 'svc',
      PORT: String(await freePort()),
      ORDER_URL: 'http://127.0.0.1:1',
      INVENTORY_URL: 'http://127.0.0.1:1',
      NOTIFICATION_URL: 'http://127.0.0.1:1',
      API_KEYS: '[{"id":"x","key":"secret-value-123","scopes":["root"]}]',
    });
    const code = await new Promise<number | null>((resolve) => broken.child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(broken.output()).toContain('API_KEYS[0].scopes');
    expect(broken.output()).not.toContain('secret-value-123');
  });

  it('refuses to start with a resilience knob out of range, naming it', async () => {
    const broken = startServiceProcess(mainPath, {
      SERVICE_TOKEN: 'svc',
      PORT: String(await freePort()),
      ORDER_URL: 'http://127.0.0.1:1',
      INVENTORY_URL: 'http://127.0.0.1:1',
      NOTIFICATION_URL: 'http://127.0.0.1:1',
      API_KEYS: '[]',
      ORDER_RETRY_ATTEMPTS: '0',
    });
    const code = await new Promise<number | null>((resolve) => broken.child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(broken.output()).toContain('ORDER_RETRY_ATTEMPTS');
  });
});
