import { randomUUID } from 'node:crypto';
import { createLogger, createMetrics, createPool, migrate, type Pool } from '@harness/kit';
import { createTestDatabase } from '@harness/runtime/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { notificationMigrations } from '../src/migrations.ts';
import { recordNotification } from '../src/notificationStore.ts';
import { cancellationEmail, confirmationEmail } from '../src/orderEmail.ts';
import { orderCancelled, orderConfirmed } from './support/orderEvents.ts';

const serviceToken = 'svc_notification_test';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase('notification');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, notificationMigrations);
  app = buildApp({
    db: pool,
    serviceToken,
    logger: createLogger({ service: 'notification-test', level: 'silent' }),
    metrics: createMetrics('notification-test', { defaultMetrics: false }),
  });
});
afterAll(async () => {
  await app?.close();
  await pool?.end();
  await database?.drop();
});

const list = (query: string, headers: Record<string, string> = { 'x-service-token': serviceToken }) =>
  app.inject({ method: 'GET', url: `/notifications${query}`, headers });

describe('GET /notifications?orderId=', () => {
  it("lists the order's notifications oldest first, in the contract's shape", async () => {
    const orderId = randomUUID();
    const confirmed = orderConfirmed(orderId);
    const cancelled = orderCancelled(orderId);
    await recordNotification(pool, { orderId, eventId: confirmed.eventId, email: confirmationEmail(confirmed) });
    await recordNotification(pool, { orderId, eventId: cancelled.eventId, email: cancellationEmail(cancelled) });
    await recordNotification(pool, {
      orderId: randomUUID(),
      eventId: randomUUID(),
      email: confirmationEmail(orderConfirmed()),
    });

    const response = await list(`?orderId=${orderId}`);
    expect(response.statusCode).toBe(200);
    const { items } = response.json() as { items: Record<string, unknown>[] };
    expect(items.map((item) => item.kind)).toEqual(['ORDER_CONFIRMED', 'ORDER_CANCELLED']);
    expect(items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      orderId,
      eventId: confirmed.eventId,
      kind: 'ORDER_CONFIRMED',
      channel: 'email',
      recipient: `customer+${orderId.slice(0, 8)}@example.test`,
      subject: `Your order ${orderId.slice(0, 8)} is confirmed`,
      sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('answers an empty list for an order without notifications', async () => {
    const response = await list(`?orderId=${randomUUID()}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [] });
  });

  it('refuses a second notification for the same event id', async () => {
    const event = orderConfirmed();
    const email = confirmationEmail(event);
    expect(await recordNotification(pool, { orderId: event.orderId, eventId: event.eventId, email })).toBe(true);
    expect(await recordNotification(pool, { orderId: event.orderId, eventId: event.eventId, email })).toBe(false);
    expect((await list(`?orderId=${event.orderId}`)).json().items).toHaveLength(1);
  });

  it('answers 401 problem+json without the service token, and with a wrong one', async () => {
    for (const headers of [{}, { 'x-service-token': 'wrong' }]) {
      const response = await list(`?orderId=${randomUUID()}`, headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('answers 400 naming orderId when it is missing or not a UUID', async () => {
    for (const query of ['', '?orderId=not-a-uuid', "?orderId=1' OR '1'='1", '?orderId=%00']) {
      const response = await list(query);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/orderId' }));
    }
  });
});
