import { createPool, deadLetterQueueOf, migrate, type Consumer, type Pool } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadHistoryMigrations,
  orderHistoryQueue,
  orderHistoryStore,
  startOrderHistoryConsumer,
} from '@harness/gateway/testing';
import { inMemoryBroker, type InMemoryBroker, type PactMessage } from '../src/consumer/inMemoryBroker.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import {
  cancelledEventId,
  confirmedEventId,
  eventMetadata,
  messageWithout,
  orderStateOfCancelled,
  orderStateOfConfirmed,
} from './support/eventExamples.ts';

// L9: the gateway builds its order history read model (CQRS) from OrderConfirmed and
// OrderCancelled alone. Each Pact message goes to the consumer the gateway starts
// (startOrderHistoryConsumer: the generated AsyncAPI validator, the event-id dedupe and the
// projection statement), on a real database with the read model's migrations; the read side
// (orderHistoryStore) then answers from what the message carried.
const { pact } = linkPact('L9');
const queue = orderHistoryQueue({ retryDelayMs: 1_000, maxAttempts: 3 });

let database: FreshDatabase;
let pool: Pool;
let broker: InMemoryBroker;
let consumer: Consumer;
beforeAll(async () => {
  database = await freshDatabase('pact_gateway');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, loadHistoryMigrations());
  broker = inMemoryBroker();
  consumer = await startOrderHistoryConsumer({
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

describe('L9 order ⇒ gateway (order history read model)', () => {
  it('records a confirmed order for its owner, once per event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was confirmed')
      .expectsToReceive('OrderConfirmed: an order was confirmed', (message) =>
        message.withJSONContent(orderStateOfConfirmed).withMetadata(eventMetadata('OrderConfirmed', confirmedEventId)),
      )
      .executeTest(async (message) => {
        const first = await broker.deliver(message as PactMessage);
        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        const store = orderHistoryStore(pool);
        expect(await store.listByOwner('pact', { limit: 10 })).toEqual([
          {
            id: ids.order,
            status: 'CONFIRMED',
            items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
            totalCents: 3798,
            currency: 'EUR',
            createdAt: '2025-11-22T10:15:30.000Z',
            updatedAt: '2025-11-22T10:15:31.000Z',
            // No NotificationSent consumed (L12): no e-mail listed.
            notified: [],
          },
        ]);
        const again = await broker.deliver(message as PactMessage);
        expect(again).toEqual({ outcome: 'duplicate', acknowledged: true, republished: [] });
      });
  });

  it('records a cancelled order with its reason and priced lines', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was cancelled because the payment was declined')
      .expectsToReceive('OrderCancelled: payment declined', (message) =>
        message
          .withJSONContent(orderStateOfCancelled('PAYMENT_DECLINED'))
          .withMetadata(eventMetadata('OrderCancelled', cancelledEventId)),
      )
      .executeTest(async (message) => {
        const first = await broker.deliver(message as PactMessage);
        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        expect(await orderHistoryStore(pool).findById(ids.cancelledOrder)).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: 'PAYMENT_DECLINED',
          totalCents: 3798,
          items: [{ productId: 'espresso-1kg', quantity: 2, unitPriceCents: 1899 }],
        });
      });
  });

  // The gate can fire: an event that breaks the contract is dead-lettered before the projection.
  it('dead-letters an OrderConfirmed without its orderId', async () => {
    const eventId = '5e7a9c1d-3f5b-4d7f-9a1b-2c4e6a8c0e2f';
    const invalid = messageWithout(
      'orderId',
      { ...orderStateOfConfirmed, eventId },
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
          detail: expect.stringContaining("required property 'orderId'") as unknown,
        },
      ],
    });
  });
});
