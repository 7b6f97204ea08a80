import { createPool, deadLetterQueueOf, migrate, type Consumer, type Pool } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultCatalog,
  findProduct,
  findReservation,
  loadMigrations,
  orderCancelledTopology,
  reserveStock,
  seedCatalog,
  startOrderCancelledConsumer,
} from '@harness/inventory/testing';
import { inMemoryBroker, type InMemoryBroker, type PactMessage } from '../src/consumer/inMemoryBroker.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import { cancelledEventId, eventMetadata, messageWithout, orderCancelledPayload } from './support/eventExamples.ts';

// L7: inventory releases the stock of a cancelled order. The Pact message is delivered to the
// consumer inventory itself starts (startOrderCancelledConsumer: the generated AsyncAPI validator
// of @harness/contracts, the event-id dedupe in processed_events and the stock release, all in
// the kit's startConsumer), on a real database with the service's migrations.
const { pact } = linkPact('L7');
// The contract's exchange and queue, as the service declares them: the queue name is the
// consumer's dedupe key.
const topology = orderCancelledTopology({ retryDelayMs: 1_000, maxAttempts: 3 });
const queueName = topology.queues[0]!.name;

let database: FreshDatabase;
let pool: Pool;
let broker: InMemoryBroker;
let consumer: Consumer;
beforeAll(async () => {
  database = await freshDatabase('pact_inventory');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, loadMigrations());
  await seedCatalog(pool, defaultCatalog({ regular: 10, bulk: 10, scarce: 1 }));
  broker = inMemoryBroker();
  consumer = await startOrderCancelledConsumer({
    pool,
    broker: broker.connection,
    topology,
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
    [queueName, eventId],
  );
  return rows[0]?.n ?? 0;
}

describe('L7 order ⇒ inventory', () => {
  it('releases the reservation of a cancelled order, once per event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was cancelled because the payment was declined')
      .expectsToReceive('OrderCancelled: payment declined', (message) =>
        message
          .withJSONContent(orderCancelledPayload('PAYMENT_DECLINED'))
          .withMetadata(eventMetadata('OrderCancelled', cancelledEventId)),
      )
      .executeTest(async (message) => {
        await reserveStock(pool, ids.cancelledOrder, [{ productId: 'espresso-1kg', quantity: 1 }]);
        expect((await findProduct(pool, 'espresso-1kg'))?.available).toBe(9);

        const first = await broker.deliver(message as PactMessage);

        expect(first).toEqual({ outcome: 'processed', acknowledged: true, republished: [] });
        expect(await findReservation(pool, ids.cancelledOrder)).toMatchObject({ status: 'RELEASED' });
        expect((await findProduct(pool, 'espresso-1kg'))?.available).toBe(10);
        expect(await processedEvents(cancelledEventId)).toBe(1);

        // A redelivery of the same event is absorbed by the dedupe: the release does not run again.
        const again = await broker.deliver(message as PactMessage);
        expect(again).toEqual({ outcome: 'duplicate', acknowledged: true, republished: [] });
        expect((await findProduct(pool, 'espresso-1kg'))?.available).toBe(10);
      });
  });

  // The gate can fire: the same consumer dead-letters an event that breaks the contract, before
  // the dedupe and the release (the reservation stays, the event id is not recorded).
  it('dead-letters an OrderCancelled without its reason', async () => {
    const eventId = '8f0b2d4e-6a8c-4e0f-9b1d-3c5e7f9b1d3f';
    const orderId = '1c3e5a7c-9e1b-4d3f-8a5c-7e9b1d3f5a7c';
    await reserveStock(pool, orderId, [{ productId: 'espresso-1kg', quantity: 1 }]);
    const invalid = messageWithout(
      'reason',
      { ...orderCancelledPayload('PAYMENT_DECLINED'), eventId, orderId },
      eventMetadata('OrderCancelled', eventId),
    );

    const delivery = await broker.deliver(invalid);

    expect(delivery).toEqual({
      outcome: 'dead_lettered',
      acknowledged: true,
      republished: [
        {
          queue: deadLetterQueueOf(queueName),
          reason: 'validation_failed',
          detail: expect.stringContaining("required property 'reason'") as unknown,
        },
      ],
    });
    expect(await findReservation(pool, orderId)).toMatchObject({ status: 'RESERVED' });
    expect((await findProduct(pool, 'espresso-1kg'))?.available).toBe(9);
    expect(await processedEvents(eventId)).toBe(0);
  });
});
