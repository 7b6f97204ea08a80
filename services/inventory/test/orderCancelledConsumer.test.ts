import { randomBytes, randomUUID } from 'node:crypto';
import type { OrderCancelledPayload } from '@harness/contracts';
import { BrokerConnection, createLogger, createMetrics, topologySetup, type Consumer } from '@harness/kit';
import { eventually, infra } from '@harness/runtime/testing';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderCancelledTopology, startOrderCancelledConsumer } from '../src/events/orderCancelledConsumer.ts';
import { findReservation, reserveStock } from '../src/reservations/reservationStore.ts';
import { testCatalog } from './support/catalogFixture.ts';
import { inventoryDatabase, type InventoryDatabase } from './support/inventoryDatabase.ts';
import { stockLevels } from './support/stockLevels.ts';

const suffix = randomBytes(4).toString('hex');
const names = { exchange: `orders-${suffix}`, queue: `inventory.order-cancelled-${suffix}` };
const topology = orderCancelledTopology({ retryDelayMs: 100, maxAttempts: 3 }, names);
const metrics = createMetrics('inventory', { defaultMetrics: false });

let database: InventoryDatabase;
let broker: BrokerConnection;
let consumer: Consumer;
let connection: ChannelModel;
let channel: Channel;

beforeAll(async () => {
  const { rabbitmq } = infra();
  database = await inventoryDatabase(testCatalog({ espresso: 42, moka: 7, grinder: 2 }));
  broker = new BrokerConnection({ url: rabbitmq.url, logger: createLogger({ service: 'inventory', level: 'silent' }) });
  await broker.addSetup(topologySetup(topology));
  consumer = await startOrderCancelledConsumer({ pool: database.pool, broker, topology, metrics });
  await broker.start();
  connection = await amqp.connect(rabbitmq.url);
  channel = await connection.createChannel();
});
afterAll(async () => {
  await consumer?.stop();
  await channel?.deleteQueue(names.queue).catch(() => undefined);
  await channel?.deleteQueue(`${names.queue}.retry`).catch(() => undefined);
  await channel?.deleteQueue(`${names.queue}.dlq`).catch(() => undefined);
  await channel?.deleteExchange(names.exchange).catch(() => undefined);
  await connection?.close().catch(() => undefined);
  await broker?.close();
  await database?.close();
});

function cancelledEvent(orderId: string, items: OrderCancelledPayload['items']): OrderCancelledPayload {
  return { eventId: randomUUID(), occurredAt: new Date().toISOString(), orderId, reason: 'PAYMENT_DECLINED', items };
}

function publish(payload: unknown, eventId: string, eventType = 'OrderCancelled'): void {
  channel.publish(names.exchange, 'order.cancelled', Buffer.from(JSON.stringify(payload)), {
    messageId: eventId,
    contentType: 'application/json',
    persistent: true,
    headers: { eventId, eventType, schemaVersion: 1 },
  });
}

async function processedCount(eventId: string): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM processed_events WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.count ?? 0;
}

async function redeliveries(): Promise<number> {
  const metric = await metrics.consumerRedeliveries.get();
  return metric.values.find((v) => v.labels.queue === names.queue)?.value ?? 0;
}

describe('OrderCancelled consumer', () => {
  it('releases the reservation of a cancelled order', async () => {
    const orderId = randomUUID();
    const items = [{ productId: 'moka-pot-6', quantity: 2 }];
    const before = await stockLevels(database.pool);
    await reserveStock(database.pool, orderId, items);
    const event = cancelledEvent(orderId, items);
    publish(event, event.eventId);
    await eventually(async () => (await findReservation(database.pool, orderId))?.status === 'RELEASED');
    expect(await stockLevels(database.pool)).toEqual(before);
  });

  it('handles a redelivered event once and acknowledges the duplicate', async () => {
    const orderId = randomUUID();
    const items = [{ productId: 'espresso-1kg', quantity: 1 }];
    await reserveStock(database.pool, orderId, items);
    const event = cancelledEvent(orderId, items);
    const duplicatesBefore = await redeliveries();
    publish(event, event.eventId);
    publish(event, event.eventId);
    await eventually(async () => (await redeliveries()) === duplicatesBefore + 1);
    expect(await processedCount(event.eventId)).toBe(1);
    expect((await findReservation(database.pool, orderId))?.status).toBe('RELEASED');
  });

  it('keeps a late reservation of a cancelled order from taking stock', async () => {
    const orderId = randomUUID();
    const items = [{ productId: 'limited-grinder', quantity: 1 }];
    const event = cancelledEvent(orderId, items);
    publish(event, event.eventId);
    await eventually(async () => (await processedCount(event.eventId)) === 1);
    const before = await stockLevels(database.pool);
    const late = await reserveStock(database.pool, orderId, items);
    expect(late).toMatchObject({ kind: 'existing', reservation: { status: 'RELEASED' } });
    expect(await stockLevels(database.pool)).toEqual(before);
  });

  it('dead-letters an event that breaks the contract and changes nothing', async () => {
    const orderId = randomUUID();
    const items = [{ productId: 'espresso-1kg', quantity: 1 }];
    await reserveStock(database.pool, orderId, items);
    const before = await stockLevels(database.pool);
    const eventId = randomUUID();
    publish({ ...cancelledEvent(orderId, [{ productId: 'espresso-1kg', quantity: -1 }]), eventId }, eventId);
    const dead = await eventually(async () => {
      const message = await channel.get(`${names.queue}.dlq`, { noAck: true });
      return message === false ? undefined : message;
    });
    expect(dead.properties.headers?.['x-death-reason']).toBe('validation_failed');
    expect(await stockLevels(database.pool)).toEqual(before);
    expect((await findReservation(database.pool, orderId))?.status).toBe('RESERVED');
    expect(await processedCount(eventId)).toBe(0);
  });
});
