import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReservation, releaseStock, reserveStock } from '../src/reservations/reservationStore.ts';
import { testCatalog } from './support/catalogFixture.ts';
import { inventoryDatabase, type InventoryDatabase } from './support/inventoryDatabase.ts';
import { stockLevels } from './support/stockLevels.ts';

let database: InventoryDatabase;

beforeAll(async () => {
  database = await inventoryDatabase(testCatalog({ espresso: 42, moka: 7, grinder: 2 }));
});
afterAll(async () => {
  await database?.close();
});

describe('reserveStock', () => {
  it('moves the requested units from available to reserved', async () => {
    const db = database.pool;
    const before = await stockLevels(db);
    const outcome = await reserveStock(db, randomUUID(), [
      { productId: 'espresso-1kg', quantity: 2 },
      { productId: 'moka-pot-6', quantity: 1 },
    ]);
    expect(outcome.kind).toBe('reserved');
    const after = await stockLevels(db);
    expect(after['espresso-1kg']).toEqual({
      available: before['espresso-1kg']!.available - 2,
      reserved: before['espresso-1kg']!.reserved + 2,
    });
    expect(after['moka-pot-6']!.available).toBe(before['moka-pot-6']!.available - 1);
  });

  it('returns the existing reservation for a repeat and takes no more stock', async () => {
    const db = database.pool;
    const orderId = randomUUID();
    const first = await reserveStock(db, orderId, [{ productId: 'espresso-1kg', quantity: 1 }]);
    const before = await stockLevels(db);
    const again = await reserveStock(db, orderId, [{ productId: 'espresso-1kg', quantity: 1 }]);
    expect(again.kind).toBe('existing');
    if (first.kind !== 'reserved' || again.kind !== 'existing') throw new Error('unexpected outcome');
    expect(again.reservation).toEqual(first.reservation);
    expect(await stockLevels(db)).toEqual(before);
  });

  it('answers a mismatch for the same order id with other items and changes nothing', async () => {
    const db = database.pool;
    const orderId = randomUUID();
    await reserveStock(db, orderId, [{ productId: 'espresso-1kg', quantity: 1 }]);
    const before = await stockLevels(db);
    const outcome = await reserveStock(db, orderId, [{ productId: 'espresso-1kg', quantity: 3 }]);
    expect(outcome.kind).toBe('mismatch');
    expect(await stockLevels(db)).toEqual(before);
  });

  it('reserves nothing when one item is short and names that product', async () => {
    const db = database.pool;
    const before = await stockLevels(db);
    const orderId = randomUUID();
    const outcome = await reserveStock(db, orderId, [
      { productId: 'espresso-1kg', quantity: 1 },
      { productId: 'limited-grinder', quantity: 3 },
    ]);
    expect(outcome).toEqual({ kind: 'out-of-stock', productId: 'limited-grinder', requested: 3, available: 2 });
    expect(await stockLevels(db)).toEqual(before);
    expect(await findReservation(db, orderId)).toBeUndefined();
  });

  it('counts split lines of one product together against its stock', async () => {
    const db = database.pool;
    const outcome = await reserveStock(db, randomUUID(), [
      { productId: 'limited-grinder', quantity: 2 },
      { productId: 'limited-grinder', quantity: 1 },
    ]);
    expect(outcome).toMatchObject({ kind: 'out-of-stock', productId: 'limited-grinder', requested: 3 });
  });

  it('reserves nothing when a product does not exist', async () => {
    const db = database.pool;
    const before = await stockLevels(db);
    const orderId = randomUUID();
    const outcome = await reserveStock(db, orderId, [
      { productId: 'espresso-1kg', quantity: 1 },
      { productId: 'no-such-product', quantity: 1 },
    ]);
    expect(outcome).toEqual({ kind: 'unknown-product', productId: 'no-such-product' });
    expect(await stockLevels(db)).toEqual(before);
    expect(await findReservation(db, orderId)).toBeUndefined();
  });
});

describe('releaseStock', () => {
  it('returns the stock once, and a second release changes nothing', async () => {
    const db = database.pool;
    const orderId = randomUUID();
    const before = await stockLevels(db);
    await reserveStock(db, orderId, [{ productId: 'moka-pot-6', quantity: 2 }]);
    const released = await releaseStock(db, orderId);
    expect(released.kind).toBe('released');
    expect(await stockLevels(db)).toEqual(before);
    const again = await releaseStock(db, orderId);
    expect(again.kind).toBe('already-released');
    if (again.kind !== 'already-released') throw new Error('unexpected outcome');
    expect(again.reservation.status).toBe('RELEASED');
    expect(await stockLevels(db)).toEqual(before);
  });

  it('finds nothing to release for an unknown order and creates nothing', async () => {
    const orderId = randomUUID();
    expect(await releaseStock(database.pool, orderId)).toEqual({ kind: 'not-found' });
    expect(await findReservation(database.pool, orderId)).toBeUndefined();
  });

  it('records a released reservation from the given items so a late reservation takes no stock', async () => {
    const db = database.pool;
    const orderId = randomUUID();
    const items = [{ productId: 'espresso-1kg', quantity: 2 }];
    const tombstone = await releaseStock(db, orderId, items);
    expect(tombstone.kind).toBe('tombstoned');
    const before = await stockLevels(db);
    const late = await reserveStock(db, orderId, items);
    expect(late.kind).toBe('existing');
    if (late.kind !== 'existing') throw new Error('unexpected outcome');
    expect(late.reservation.status).toBe('RELEASED');
    expect(await stockLevels(db)).toEqual(before);
  });
});

describe('under concurrency', () => {
  it('never sells more than the stock and conserves it', async () => {
    const db = database.pool;
    const before = await stockLevels(db);
    const stock = before['limited-grinder']!.available;
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => reserveStock(db, randomUUID(), [{ productId: 'limited-grinder', quantity: 1 }])),
    );
    expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(stock);
    expect(outcomes.filter((o) => o.kind === 'out-of-stock')).toHaveLength(30 - stock);
    const after = await stockLevels(db);
    expect(after['limited-grinder']).toEqual({ available: 0, reserved: before['limited-grinder']!.reserved + stock });
  });

  it('takes stock once when the same order is reserved many times at once', async () => {
    const db = database.pool;
    const orderId = randomUUID();
    const before = await stockLevels(db);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => reserveStock(db, orderId, [{ productId: 'espresso-1kg', quantity: 1 }])),
    );
    expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'existing')).toHaveLength(9);
    expect((await stockLevels(db))['espresso-1kg']!.available).toBe(before['espresso-1kg']!.available - 1);
  });

  it('interleaves reservations and releases over shared products without deadlock or loss', async () => {
    const db = database.pool;
    const before = await stockLevels(db);
    const total = (level: { available: number; reserved: number }) => level.available + level.reserved;
    const orders = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(
      orders.map(async (orderId, index) => {
        const items =
          index % 2 === 0
            ? [
                { productId: 'espresso-1kg', quantity: 1 },
                { productId: 'moka-pot-6', quantity: 1 },
              ]
            : [
                { productId: 'moka-pot-6', quantity: 1 },
                { productId: 'espresso-1kg', quantity: 1 },
              ];
        await reserveStock(db, orderId, items);
        await releaseStock(db, orderId);
      }),
    );
    const after = await stockLevels(db);
    for (const id of Object.keys(before)) {
      expect(total(after[id]!)).toBe(total(before[id]!));
    }
    expect(after).toEqual(before);
  });
});
