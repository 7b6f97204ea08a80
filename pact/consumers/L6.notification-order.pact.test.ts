import { createPool, migrate, type Pool } from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationMigrations,
  listNotificationsOfOrder,
  notifyCustomer,
  validateOrderEvent,
} from '@harness/notification/testing';
import { deliverMessage, type PactMessage } from '../src/consumer/deliverMessage.ts';
import { linkPact } from '../src/consumer/linkPact.ts';
import { freshDatabase, type FreshDatabase } from '../src/testing/freshDatabase.ts';
import { ids } from './support/examples.ts';
import {
  cancelledEventId,
  confirmedEventId,
  eventMetadata,
  orderCancelledPayload,
  orderConfirmedPayload,
} from './support/eventExamples.ts';

// L6: notification consumes OrderConfirmed and OrderCancelled. Each Pact message is fed to the
// validate + handle pair the service passes to the kit's startConsumer, on a real database with
// the service's migrations; the test checks the e-mail it recorded.
const { pact } = linkPact('L6');
const handlers = { validate: validateOrderEvent, handle: notifyCustomer };

let database: FreshDatabase;
let pool: Pool;
beforeAll(async () => {
  database = await freshDatabase('pact_notification');
  pool = createPool(database.url, { max: 2 });
  await migrate(pool, notificationMigrations);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('L6 order ⇒ notification', () => {
  it('e-mails the customer when an order is confirmed', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was confirmed')
      .expectsToReceive('OrderConfirmed: an order was confirmed', (message) =>
        message.withJSONContent(orderConfirmedPayload).withMetadata(eventMetadata('OrderConfirmed', confirmedEventId)),
      )
      .executeTest(async (message) => {
        const delivery = await deliverMessage(pool, handlers, message as PactMessage);
        expect(delivery).toEqual({ outcome: 'handled' });
        const sent = await listNotificationsOfOrder(pool, ids.order);
        expect(sent).toMatchObject([{ kind: 'ORDER_CONFIRMED', eventId: confirmedEventId, channel: 'email' }]);
      });
  });

  it('e-mails the customer when an order is cancelled', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order was cancelled because the payment was declined')
      .expectsToReceive('OrderCancelled: payment declined', (message) =>
        message
          .withJSONContent(orderCancelledPayload('PAYMENT_DECLINED'))
          .withMetadata(eventMetadata('OrderCancelled', cancelledEventId)),
      )
      .executeTest(async (message) => {
        const delivery = await deliverMessage(pool, handlers, message as PactMessage);
        expect(delivery).toEqual({ outcome: 'handled' });
        const sent = await listNotificationsOfOrder(pool, ids.cancelledOrder);
        expect(sent).toMatchObject([{ kind: 'ORDER_CANCELLED', eventId: cancelledEventId }]);
      });
  });
});
