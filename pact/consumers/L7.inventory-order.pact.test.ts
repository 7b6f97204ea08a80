import { validateEvent, type OrderCancelledPayload } from '@harness/contracts';
import {
  createPool,
  migrate,
  type ConsumedMessage,
  type MessageValidation,
  type Pool,
  type Transaction,
} from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultCatalog,
  findProduct,
  seedCatalog,
  releaseStockOnOrderCancelled,
  loadMigrations,
  findReservation,
  reserveStock,
} from '@harness/inventory/testing';
import { deliverMessage, type PactMessage } from '../src/consumer/deliverMessage.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import { cancelledEventId, eventMetadata, orderCancelledPayload } from './support/eventExamples.ts';

// L7: inventory releases the stock of a cancelled order. The message goes through the same
// validation and handler inventory's consumer runs (see the note below), on a real database.
const { pact } = linkPact('L7');

// inventory/src/events/orderCancelledConsumer.ts builds its validate/handle pair inline inside
// startOrderCancelledConsumer; until it is exported, this is the same pair: the AsyncAPI
// validator for OrderCancelled and the exported handler core.
const handlers = {
  validate(payload: unknown, headers: Readonly<Record<string, unknown>>): MessageValidation {
    const result = validateEvent(headers, payload);
    if (!result.ok)
      return { ok: false, errors: result.errors.map((e) => `${e.part} ${e.path || '(root)'} ${e.message}`) };
    if (result.event.eventType !== 'OrderCancelled')
      return { ok: false, errors: [`${result.event.eventType} is not consumed here`] };
    return { ok: true };
  },
  async handle(tx: Transaction, message: ConsumedMessage<OrderCancelledPayload>): Promise<void> {
    await releaseStockOnOrderCancelled(tx, message.payload);
  },
};

let database: FreshDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await freshDatabase('pact_inventory');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, loadMigrations());
  await seedCatalog(pool, defaultCatalog({ regular: 10, bulk: 10, scarce: 1 }));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('L7 order ⇒ inventory', () => {
  it('releases the reservation of a cancelled order', async () => {
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

        const delivery = await deliverMessage(pool, handlers, message as PactMessage);

        expect(delivery).toEqual({ outcome: 'handled' });
        expect(await findReservation(pool, ids.cancelledOrder)).toMatchObject({ status: 'RELEASED' });
        expect((await findProduct(pool, 'espresso-1kg'))?.available).toBe(10);
      });
  });
});
