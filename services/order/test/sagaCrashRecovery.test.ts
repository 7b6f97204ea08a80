import { signalGroup, waitUntil, type LaunchedService } from '@harness/runtime';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newKey, systemProbes } from './support/probes.ts';
import { launchOrderProcess, startTestSystem, type OrderTestSystem } from './support/testSystem.ts';

let system: OrderTestSystem;
let orderDb: pg.Pool | undefined;
/** Every order process a test started; each is stopped after its test, whatever happened. */
const launched: LaunchedService[] = [];

async function launchOrder(databaseUrl: string, env: Record<string, string>): Promise<LaunchedService> {
  const service = await launchOrderProcess(system, databaseUrl, env);
  launched.push(service);
  return service;
}

beforeAll(async () => {
  system = await startTestSystem({ slowTokenDelayMs: 3_000 });
});

afterEach(async () => {
  await Promise.allSettled(launched.splice(0).map((service) => service.stop()));
  await orderDb?.end();
  orderDb = undefined;
});

afterAll(async () => {
  await system?.stop();
});

/** Short leases and polls so recovery happens within the test; a charge may take its time. */
const fastRecovery = {
  SAGA_LEASE_MS: '2000',
  SAGA_RECOVERY_INTERVAL_MS: '200',
  SAGA_RETRY_BASE_MS: '300',
  SAGA_RETRY_MAX_MS: '1000',
  PAYMENT_TIMEOUT_MS: '8000',
  ORDER_REQUEST_BUDGET_MS: '10000',
};

const orders = [
  { items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: 'tok_slow' },
  {
    items: [
      { productId: 'espresso-1kg', quantity: 1 },
      { productId: 'moka-pot-6', quantity: 1 },
    ],
    paymentToken: 'tok_slow',
  },
  { items: [{ productId: 'moka-pot-6', quantity: 3 }], paymentToken: 'tok_slow' },
];

describe('saga recovery when the order service stops mid-saga', () => {
  it('settles every order once restarted: terminal, at most one charge each, stock conserved', async () => {
    const probes = systemProbes(system);
    const products = ['espresso-1kg', 'moka-pot-6'];
    const stockBefore = new Map(
      await Promise.all(products.map(async (id) => [id, await probes.available(id)] as const)),
    );
    const databaseUrl = await system.newOrderDatabase();
    const orderService = await launchOrder(databaseUrl, fastRecovery);
    orderDb = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const db = orderDb;

    // Every saga is charging (tok_slow holds payment for 3 s) when the process is killed.
    const url = orderService.url;
    const inFlight = orders.map((body) =>
      fetch(`${url}/orders`, {
        method: 'POST',
        headers: {
          'x-service-token': system.serviceToken,
          'content-type': 'application/json',
          'idempotency-key': newKey(),
        },
        body: JSON.stringify(body),
      }).then(
        (response) => response.status,
        () => 'connection lost' as const,
      ),
    );
    await waitUntil(
      'every saga charging',
      async () => (await db.query(`SELECT id FROM orders WHERE saga_step = 'CHARGING'`)).rowCount === orders.length,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    signalGroup(orderService.process.pid, 'SIGKILL');
    await orderService.stop();
    expect(await Promise.all(inFlight)).toEqual(orders.map(() => 'connection lost'));

    await launchOrder(databaseUrl, fastRecovery);
    await waitUntil(
      'every order terminal',
      async () => (await db.query(`SELECT id FROM orders WHERE status = 'PENDING'`)).rowCount === 0,
      { timeoutMs: 45_000, intervalMs: 200 },
    );

    const { rows } = await db.query<{
      id: string;
      status: string;
      items: Array<{ productId: string; quantity: number }>;
    }>('SELECT id, status, items FROM orders');
    expect(rows).toHaveLength(orders.length);
    const confirmedUnits = new Map(products.map((id) => [id, 0]));
    for (const order of rows) {
      const charges = await probes.charges(order.id);
      if (order.status === 'CONFIRMED') {
        expect(charges).toHaveLength(1);
        expect((await probes.reservation(order.id))?.status).toBe('RESERVED');
        for (const item of order.items)
          confirmedUnits.set(item.productId, (confirmedUnits.get(item.productId) ?? 0) + item.quantity);
      } else {
        expect(charges.length).toBeLessThanOrEqual(1);
        expect((await probes.reservation(order.id))?.status ?? 'RELEASED').toBe('RELEASED');
      }
    }
    for (const id of products) {
      expect(await probes.available(id)).toBe((stockBefore.get(id) ?? 0) - (confirmedUnits.get(id) ?? 0));
    }
    // The recovered sagas confirm: payment replays the charge started before the crash.
    expect(rows.map((order) => order.status)).toEqual(orders.map(() => 'CONFIRMED'));
  });

  it('lets a saga still running in the background finish before a graceful stop (SIGTERM)', async () => {
    const probes = systemProbes(system);
    const databaseUrl = await system.newOrderDatabase();
    const orderService = await launchOrder(databaseUrl, {
      ...fastRecovery,
      SAGA_LEASE_MS: '6000',
      ORDER_REQUEST_BUDGET_MS: '300',
    });
    const response = await fetch(`${orderService.url}/orders`, {
      method: 'POST',
      headers: {
        'x-service-token': system.serviceToken,
        'content-type': 'application/json',
        'idempotency-key': newKey(),
      },
      body: JSON.stringify({ items: [{ productId: 'filter-500g', quantity: 1 }], paymentToken: 'tok_slow' }),
    });
    expect(response.status).toBe(202);
    const { orderId } = (await response.json()) as { orderId: string };

    await orderService.stop();
    expect(orderService.process.exitCode).toBe(0);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
    await db.end();
    expect(rows).toEqual([{ status: 'CONFIRMED' }]);
    expect(await probes.charges(orderId)).toHaveLength(1);
  });
});
