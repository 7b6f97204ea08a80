import { createPool, deadLetterQueueOf, migrate, type Consumer, type Pool } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadHistoryMigrations,
  orderNotificationsQueue,
  startOrderNotificationsConsumer,
} from '@harness/gateway/testing';
import { inMemoryBroker, type InMemoryBroker, type PactMessage } from '../src/consumer/inMemoryBroker.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import {
  messageWithout,
  notificationEventMetadata,
  notificationSentEventId,
  notificationSentPayload,
} from './support/eventExamples.ts';

// L12: the gateway adds the e-mails notification sent to its order history read model (CQRS)
// from NotificationSent alone. Each Pact message goes to the consumer the gateway starts
// (startOrderNotificationsConsumer: the generated AsyncAPI validator, the event-id dedupe and the
// projection statement), on a real database with the read model's migrations.
const { pact } = linkPact('L12');
const queue = orderNotificationsQueue({ retryDelayMs: 1_000, maxAttempts: 3 });

let database: FreshDatabase;
let pool: Pool;
let broker: InMemoryBroker;
let consumer: Consumer;
beforeAll(async () => {
  database = await freshDatabase('pact_gateway_notifications');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, loadHistoryMigrations());
  broker = inMemoryBroker();
  consumer = await startOrderNotificationsConsumer({
    pool,
    broker: broker.connection,
    queue,
    prefetch: 1,
    metrics: broker.metrics,
  });
});
afterAll(async () => {
  await consumer?.stop();
  await pool?.end();
  await database?.drop();
});

const notificationsOf = async (orderId: string) =>
  (
    await pool.query('SELECT notification_id, kind, sent_at FROM order_notifications WHERE order_id = $1', [orderId])
  ).rows.map((row: { notification_id: string; kind: string; sent_at: Date }) => ({
    notificationId: row.notification_id,
    kind: row.kind,
    sentAt: row.sent_at.toISOString(),
  }));

describe('L12 notification ⇒ gateway (order history read model)', () => {
  it('records the e-mail sent about an order, once per notification', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order confirmation was e-mailed')
      .expectsToReceive('NotificationSent: an order confirmation e-mail', (message) =>
        message
          .withJSONContent(notificationSentPayload)
          .withMetadata(notificationEventMetadata(notificationSentEventId)),
      )
      .executeTest(async (message) => {
        const first = await broker.deliver(message as PactMessage);
        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        expect(await notificationsOf(ids.order)).toEqual([
          { notificationId: ids.notification, kind: 'ORDER_CONFIRMED', sentAt: '2025-11-22T10:15:32.000Z' },
        ]);
        const again = await broker.deliver(message as PactMessage);
        expect(again).toEqual({ outcome: 'duplicate', acknowledged: true, republished: [] });
        expect(await notificationsOf(ids.order)).toHaveLength(1);
      });
  });

  // The gate can fire: an event that breaks the contract is dead-lettered before the projection.
  it('dead-letters a NotificationSent without its notificationId', async () => {
    const eventId = '7f9b1d3e-5a7c-4e9f-8b1d-3e5a7c9e1f3b';
    const orderId = '1b3d5f7a-9c1e-4a3c-8e5a-7c9e1b3d5f7a';
    const invalid = messageWithout(
      'notificationId',
      { ...notificationSentPayload, eventId, orderId },
      notificationEventMetadata(eventId),
    );
    const delivery = await broker.deliver(invalid);
    expect(delivery).toEqual({
      outcome: 'dead_lettered',
      acknowledged: true,
      republished: [
        {
          queue: deadLetterQueueOf(queue.name),
          reason: 'validation_failed',
          detail: expect.stringContaining("required property 'notificationId'") as unknown,
        },
      ],
    });
    expect(await notificationsOf(orderId)).toEqual([]);
  });
});
