import { createPool, deadLetterQueueOf, migrate, type Consumer, type Pool } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationMigrations,
  listNotificationsOfOrder,
  orderEventsQueue,
  startOrderEventsConsumer,
} from '@harness/notification/testing';
import { inMemoryBroker, type InMemoryBroker, type PactMessage } from '../src/consumer/inMemoryBroker.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import {
  cancelledEventId,
  confirmedEventId,
  eventMetadata,
  messageWithout,
  orderCancelledPayload,
  orderConfirmedPayload,
} from './support/eventExamples.ts';

// L6: notification consumes OrderConfirmed and OrderCancelled. Each Pact message is delivered to
// the consumer notification itself starts (startOrderEventsConsumer: the generated AsyncAPI
// validator, the event-id dedupe in processed_events and the notification effect, all in the
// kit's startConsumer), on a real database with the service's migrations.
const { pact } = linkPact('L6');
// The contract's queue, as the service declares it: its name is the consumer's dedupe key.
const queue = orderEventsQueue({ retryDelayMs: 1_000, maxAttempts: 3 });

let database: FreshDatabase;
let pool: Pool;
let broker: InMemoryBroker;
let consumer: Consumer;
beforeAll(async () => {
  database = await freshDatabase('pact_notification');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, notificationMigrations);
  broker = inMemoryBroker();
  consumer = await startOrderEventsConsumer({
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

async function processedEvents(eventId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = $2',
    [queue.name, eventId],
  );
  return rows[0]?.n ?? 0;
}

describe('L6 order ⇒ notification', () => {
  it('e-mails the customer when an order is confirmed, once per event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was confirmed')
      .expectsToReceive('OrderConfirmed: an order was confirmed', (message) =>
        message.withJSONContent(orderConfirmedPayload).withMetadata(eventMetadata('OrderConfirmed', confirmedEventId)),
      )
      .executeTest(async (message) => {
        const first = await broker.deliver(message as PactMessage);
        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        const sent = await listNotificationsOfOrder(pool, ids.order);
        expect(sent).toMatchObject([{ kind: 'ORDER_CONFIRMED', eventId: confirmedEventId, channel: 'email' }]);
        expect(await processedEvents(confirmedEventId)).toBe(1);

        // A redelivery of the same event is absorbed by the dedupe: no second e-mail.
        const again = await broker.deliver(message as PactMessage);
        expect(again).toEqual({ outcome: 'duplicate', acknowledged: true, republished: [] });
        expect(await listNotificationsOfOrder(pool, ids.order)).toHaveLength(1);
      });
  });

  it('e-mails the customer when an order is cancelled, once per event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was cancelled because the payment was declined')
      .expectsToReceive('OrderCancelled: payment declined', (message) =>
        message
          .withJSONContent(orderCancelledPayload('PAYMENT_DECLINED'))
          .withMetadata(eventMetadata('OrderCancelled', cancelledEventId)),
      )
      .executeTest(async (message) => {
        const first = await broker.deliver(message as PactMessage);
        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        const sent = await listNotificationsOfOrder(pool, ids.cancelledOrder);
        expect(sent).toMatchObject([{ kind: 'ORDER_CANCELLED', eventId: cancelledEventId }]);

        const again = await broker.deliver(message as PactMessage);
        expect(again).toMatchObject({ outcome: 'duplicate', acknowledged: true });
        expect(await listNotificationsOfOrder(pool, ids.cancelledOrder)).toHaveLength(1);
      });
  });

  // The gate can fire: the same consumer dead-letters an event that breaks the contract, before
  // the dedupe and the effect (no e-mail, the event id not recorded).
  it('dead-letters an OrderConfirmed without its totalCents', async () => {
    const eventId = '4d6f8a0c-2e4b-4c6d-8e0f-1a3c5e7a9b1d';
    const orderId = '6b8d0f2a-4c6e-4a8b-9c0d-2e4f6a8c0e1f';
    const invalid = messageWithout(
      'totalCents',
      { ...orderConfirmedPayload, eventId, orderId },
      eventMetadata('OrderConfirmed', eventId),
    );

    const delivery = await broker.deliver(invalid);

    expect(delivery).toEqual({
      outcome: 'dead_lettered',
      acknowledged: true,
      republished: [
        {
          queue: deadLetterQueueOf(queue.name),
          reason: 'validation_failed',
          detail: expect.stringContaining("required property 'totalCents'") as unknown,
        },
      ],
    });
    expect(await listNotificationsOfOrder(pool, orderId)).toEqual([]);
    expect(await processedEvents(eventId)).toBe(0);
  });
});
