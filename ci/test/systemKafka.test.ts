import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, type RunState } from '@harness/runtime';
import { harness } from './cliHelpers.ts';

// The whole system on Kafka through `HARNESS_BROKER=kafka harness up` (the same runtime code as on
// RabbitMQ): an order placed through the gateway is confirmed, notification records it and the
// gateway's order history (built from the order and notification events alone) lists it with its
// e-mail; `harness down` stops Kafka too.
const env: NodeJS.ProcessEnv = {
  HARNESS_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-system-kafka-')),
  HARNESS_BROKER: 'kafka',
  HARNESS_TRACES: 'off',
};
let state: RunState;
let api: string;
let key: string;

beforeAll(async () => {
  const started = await harness(['up'], env, 240_000);
  if (started.code !== 0) throw new Error(`harness up failed:\n${started.stdout}\n${started.stderr}`);
  state = JSON.parse(fs.readFileSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json'), 'utf8')) as RunState;
  api = `${state.infra?.services.gateway?.url}/api/v1`;
  key = state.secrets?.demoApiKey ?? '';
}, 300_000);

afterAll(async () => {
  await harness(['down'], env);
});

const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
  ...extra,
});

describe('the reference system on Kafka (HARNESS_BROKER=kafka harness up)', () => {
  it('runs Kafka instead of RabbitMQ, each broker client behind a proxy of its own', () => {
    const infra = state.infra;
    expect(infra?.rabbitmq).toBeUndefined();
    expect(infra?.kafka?.internalBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const clients = (infra?.proxies ?? []).filter((proxy) => proxy.kind === 'kafka').map((proxy) => proxy.from);
    expect(clients.sort()).toEqual(['gateway', 'inventory', 'notification', 'order']);
    expect(state.processes.map((proc) => proc.name)).toContain('kafka');
  });

  it('places an order through the gateway: confirmed, notified, and listed by the order history', async () => {
    const placed = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: headers({ 'idempotency-key': randomUUID() }),
      body: JSON.stringify({ items: [{ productId: 'espresso-1kg', quantity: 2 }], paymentToken: 'tok_approve' }),
    });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string; status: string };
    expect(order.status).toBe('CONFIRMED');

    let view: { order: { status: string }; notifications: Array<{ kind: string }> } | undefined;
    for (let i = 0; i < 100 && (view?.notifications.length ?? 0) === 0; i++) {
      if (i > 0) await sleep(200);
      view = (await (await fetch(`${api}/orders/${order.id}`, { headers: headers() })).json()) as typeof view;
    }
    expect(view?.order.status).toBe('CONFIRMED');
    expect(view?.notifications.map((n) => n.kind)).toEqual(['ORDER_CONFIRMED']);

    // Listed with the confirmation e-mail once notification's NotificationSent is in (Kafka topic
    // `notifications`).
    let history: { items: Array<{ id: string; status: string; notified: string[] }>; stale: boolean } | undefined;
    const listed = () => history?.items.find((o) => o.id === order.id);
    for (let i = 0; i < 100 && (listed()?.notified.length ?? 0) === 0; i++) {
      if (i > 0) await sleep(200);
      history = (await (await fetch(`${api}/orders`, { headers: headers() })).json()) as typeof history;
    }
    expect(listed()?.status).toBe('CONFIRMED');
    expect(listed()?.notified).toEqual(['ORDER_CONFIRMED']);
    // Caught up: the consumer group's lag reached 0 again (checked every second).
    for (let i = 0; i < 50 && history?.stale !== false; i++) {
      await sleep(200);
      history = (await (await fetch(`${api}/orders`, { headers: headers() })).json()) as typeof history;
    }
    expect(history?.stale).toBe(false);
  });
});
