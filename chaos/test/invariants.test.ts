import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shopInvariants } from '../../reference/chaos/invariants/index.ts';
import { deadLettersAccounted } from '../src/invariants/deadLettersAccounted.ts';
import type { Invariant, InvariantContext } from '../src/invariants/Invariant.ts';
import { scratchDatabases, type ScratchDatabases } from './support/scratchDatabases.ts';
import {
  insertNotificationSent,
  insertOrder,
  insertOutboxEvent,
  seedConsistentShop,
  type SeededOrder,
} from './support/seedShop.ts';

let dbs: ScratchDatabases;
let shop: { confirmed: SeededOrder[]; cancelled: SeededOrder };

beforeAll(async () => {
  dbs = await scratchDatabases();
});
beforeEach(async () => {
  await dbs.reset();
  shop = await seedConsistentShop(dbs);
});
afterAll(async () => {
  await dbs.drop();
});

function context(): InvariantContext {
  return {
    scenario: 'test',
    db: dbs.db,
    sinceIso: new Date(Date.now() - 60_000).toISOString(),
    baseline: { stock: new Map([['p-1', 10]]) },
    poisons: [],
    amqpUrl: 'amqp://unused',
    deadLetterQueues: [],
  };
}

type InvariantName = string;
const invariants: Record<string, Invariant> = { ...shopInvariants, 'dead-letters-accounted': deadLettersAccounted };
const check = (name: InvariantName) => {
  const invariant = invariants[name];
  if (!invariant) throw new Error(`no invariant ${name}`);
  return invariant.check(context());
};
const dbInvariants: InvariantName[] = [
  'at-most-one-charge-per-order',
  'cancelled-orders-refunded',
  'stock-conserved',
  'orders-terminal',
  'outbox-published',
  'confirmed-notified-once',
  'read-model-converged',
];

describe('business invariants on the real schemas', () => {
  it.each(dbInvariants)('%s holds for a consistent shop', async (name) => {
    const result = await check(name);
    expect(result.violations).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('at-most-one-charge-per-order catches a second charge of one order (idempotency lookup removed)', async () => {
    const order = shop.confirmed[0]!;
    await dbs.pool('payment').query(
      `INSERT INTO charges (id, order_id, amount_cents, currency, status, idempotency_key, created_at)
       VALUES ('ch_again', $1, 500, 'EUR', 'SUCCEEDED', 'a-fresh-key-for-the-same-order', now())`,
      [order.id],
    );
    const result = await check('at-most-one-charge-per-order');
    expect(result.passed).toBe(false);
    expect(result.violations[0]).toContain(`order ${order.id} charged 2 times`);
  });

  it('at-most-one-charge-per-order catches a confirmed order payment never charged', async () => {
    const id = randomUUID();
    await insertOrder(dbs, id, 'CONFIRMED', 'CONFIRMED', 'ch_that_does_not_exist');
    const result = await check('at-most-one-charge-per-order');
    expect(result.violations).toEqual([expect.stringContaining(`confirmed order ${id} has no charge`)]);
  });

  it('cancelled-orders-refunded catches a cancelled order that keeps its money', async () => {
    await dbs.pool('payment').query(
      `INSERT INTO charges (id, order_id, amount_cents, currency, status, idempotency_key, created_at)
       VALUES ('ch_kept', $1, 500, 'EUR', 'SUCCEEDED', 'k', now())`,
      [shop.cancelled.id],
    );
    const result = await check('cancelled-orders-refunded');
    expect(result.violations).toEqual([expect.stringContaining('0 of 500 refunded')]);
  });

  it('stock-conserved catches stock that appeared or vanished', async () => {
    await dbs.pool('inventory').query(`UPDATE products SET available = available - 1 WHERE id = 'p-1'`);
    const result = await check('stock-conserved');
    expect(result.violations).toContain('product p-1: available + reserved was 10, is 9');
  });

  it('stock-conserved catches a cancelled order still holding its reservation (leaked stock)', async () => {
    await dbs
      .pool('inventory')
      .query(`UPDATE reservations SET status = 'RESERVED' WHERE order_id = $1`, [shop.cancelled.id]);
    await dbs.pool('inventory').query(`UPDATE products SET available = 7, reserved = 3 WHERE id = 'p-1'`);
    const result = await check('stock-conserved');
    expect(result.violations).toEqual([
      expect.stringContaining(`stock leaked: order ${shop.cancelled.id} is CANCELLED`),
    ]);
  });

  it('stock-conserved catches reserved units no reservation accounts for', async () => {
    await dbs.pool('inventory').query(`UPDATE products SET available = 7, reserved = 3 WHERE id = 'p-1'`);
    const result = await check('stock-conserved');
    expect(result.violations).toEqual(['product p-1: reserved 3 but reservations hold 2']);
  });

  it('read-model-converged catches an order the read model lost, one it got wrong, and one it invented', async () => {
    const lost = randomUUID();
    await insertOrder(dbs, lost, 'CONFIRMED', 'CONFIRMED', null);
    await dbs
      .pool('gateway')
      .query(`UPDATE order_history SET status = 'CONFIRMED', cancellation_reason = NULL WHERE order_id = $1`, [
        shop.cancelled.id,
      ]);
    const phantom = randomUUID();
    await dbs.pool('gateway').query(
      `INSERT INTO order_history (order_id, status, items, total_cents, currency, created_at, updated_at, event_id)
       VALUES ($1, 'CONFIRMED', '[]', 1, 'EUR', now(), now(), gen_random_uuid())`,
      [phantom],
    );
    const result = await check('read-model-converged');
    expect(result.violations).toEqual(
      expect.arrayContaining([
        `CONFIRMED order ${lost} is missing from the read model`,
        expect.stringContaining(`order ${shop.cancelled.id}: read model differs in status`),
        `the read model holds CONFIRMED order ${phantom}, which order does not have as settled`,
      ]),
    );
    expect(result.violations).toHaveLength(3);
  });

  it('read-model-converged catches an e-mail the read model lost, one it got wrong, and one it invented', async () => {
    const [first, second] = shop.confirmed;
    const gateway = dbs.pool('gateway');
    // Lost: the NotificationSent of the first order never reached the read model.
    const { rows: lost } = await gateway.query<{ notification_id: string }>(
      'DELETE FROM order_notifications WHERE order_id = $1 RETURNING notification_id::text',
      [first!.id],
    );
    // Wrong: the second order's e-mail projected with another kind.
    await gateway.query(`UPDATE order_notifications SET kind = 'ORDER_CANCELLED' WHERE order_id = $1`, [second!.id]);
    // Invented: an e-mail for the cancelled order that notification never sent.
    const phantom = randomUUID();
    await gateway.query(
      `INSERT INTO order_notifications (notification_id, order_id, kind, sent_at, event_id)
       VALUES ($1, $2, 'ORDER_CANCELLED', now(), gen_random_uuid())`,
      [phantom, shop.cancelled.id],
    );
    const result = await check('read-model-converged');
    expect(result.passed).toBe(false);
    expect(result.violations).toEqual([
      expect.stringMatching(
        new RegExp(`^order ${first!.id}: the read model misses the ORDER_CONFIRMED ${lost[0]!.notification_id} of `),
      ),
      expect.stringMatching(
        new RegExp(`^order ${second!.id}: the read model holds ORDER_CANCELLED .*, notification sent ORDER_CONFIRMED`),
      ),
      expect.stringMatching(
        new RegExp(
          `^order ${shop.cancelled.id}: the read model holds ORDER_CANCELLED ${phantom} of .*, which notification never sent$`,
        ),
      ),
    ]);
  });

  it('orders-terminal catches an order left PENDING', async () => {
    const id = randomUUID();
    await insertOrder(dbs, id, 'PENDING', 'CHARGING', null);
    const result = await check('orders-terminal');
    expect(result.violations).toEqual([expect.stringContaining(`order ${id} still PENDING at step CHARGING`)]);
  });

  it('outbox-published catches an event that was never published', async () => {
    const id = randomUUID();
    await insertOrder(dbs, id, 'CONFIRMED', 'CONFIRMED', null);
    await insertOutboxEvent(dbs, id, 'OrderConfirmed', false);
    const result = await check('outbox-published');
    expect(result.violations).toEqual([expect.stringMatching(/outbox event .* \(OrderConfirmed\) unpublished/)]);
  });

  it('outbox-published catches a confirmed order whose event bypassed the outbox', async () => {
    const id = randomUUID();
    await insertOrder(dbs, id, 'CONFIRMED', 'CONFIRMED', null);
    const result = await check('outbox-published');
    expect(result.violations).toEqual([
      `order ${id} is CONFIRMED with 0 OrderConfirmed and 0 OrderCancelled events in the outbox`,
    ]);
  });

  it('outbox-published catches an e-mail recorded without its NotificationSent, one announced twice, and one left unpublished', async () => {
    const [first, second] = shop.confirmed;
    const notification = dbs.pool('notification');
    const idOf = async (orderId: string) =>
      (await notification.query<{ id: string }>('SELECT id::text FROM notifications WHERE order_id = $1', [orderId]))
        .rows[0]!.id;
    const silent = await idOf(first!.id);
    await notification.query(`DELETE FROM outbox WHERE payload->>'notificationId' = $1`, [silent]);
    const twice = await idOf(second!.id);
    await insertNotificationSent(dbs, twice, false);
    const result = await check('outbox-published');
    // The unpublished row first, then the two e-mails.
    expect(result.violations[0]).toMatch(
      /^notification's outbox event .* \(NotificationSent\) unpublished after 0 attempts$/,
    );
    expect(result.violations.slice(1).sort()).toEqual(
      [
        `order ${first!.id}: the ORDER_CONFIRMED e-mail ${silent} has 0 NotificationSent events in notification's outbox`,
        `order ${second!.id}: the ORDER_CONFIRMED e-mail ${twice} has 2 NotificationSent events in notification's outbox`,
      ].sort(),
    );
  });

  it('confirmed-notified-once catches a second e-mail for one order (consumer dedupe removed)', async () => {
    const order = shop.confirmed[1]!;
    await dbs.pool('notification').query(
      `INSERT INTO notifications (id, order_id, event_id, kind, recipient, subject, body)
       VALUES ($1, $2, $3, 'ORDER_CONFIRMED', 'customer@example.com', 'Confirmed', 'Thanks')`,
      [randomUUID(), order.id, randomUUID()],
    );
    const result = await check('confirmed-notified-once');
    expect(result.violations).toEqual([`confirmed order ${order.id} notified 2 times`]);
  });

  it('confirmed-notified-once catches a confirmed order nobody told', async () => {
    await dbs.pool('notification').query('DELETE FROM notifications WHERE order_id = $1', [shop.confirmed[0]!.id]);
    const result = await check('confirmed-notified-once');
    expect(result.violations).toEqual([`confirmed order ${shop.confirmed[0]!.id} notified 0 times`]);
  });

  it('confirmed-notified-once catches a cancelled order told it was confirmed', async () => {
    await dbs.pool('notification').query(
      `INSERT INTO notifications (id, order_id, event_id, kind, recipient, subject, body)
       VALUES ($1, $2, $3, 'ORDER_CONFIRMED', 'customer@example.com', 'Confirmed', 'Thanks')`,
      [randomUUID(), shop.cancelled.id, randomUUID()],
    );
    const result = await check('confirmed-notified-once');
    expect(result.violations).toEqual([`CANCELLED order ${shop.cancelled.id} was notified as confirmed`]);
  });
});
