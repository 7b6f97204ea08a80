import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  messageValidators,
  queues,
  routingKeys,
  exchanges,
  messages,
  topics,
  validateOrderCancelledHeaders,
  validateOrderConfirmedPayload,
  type MessageName,
} from '../generated/events/index.ts';
import { validateEvent } from '../src/validate-event.ts';
import { contractsDir } from './helpers/temp-contracts.ts';

interface SpecExample {
  headers: Record<string, unknown>;
  payload: Record<string, unknown>;
}

type SpecMessages = Record<MessageName, { examples: SpecExample[] }>;

/** The messages of one AsyncAPI spec file. */
async function specMessages(file: string): Promise<SpecMessages> {
  const spec = parse(await readFile(join(contractsDir, 'asyncapi', file), 'utf8'));
  return spec.components.messages as SpecMessages;
}

/** The examples written in the AsyncAPI specs, by message name (read from the YAML, not copied). */
async function specExamples(): Promise<Record<MessageName, SpecExample[]>> {
  const orders = await specMessages('order-events.yaml');
  const notifications = await specMessages('notification-events.yaml');
  return {
    OrderConfirmed: orders.OrderConfirmed.examples,
    OrderCancelled: orders.OrderCancelled.examples,
    NotificationSent: notifications.NotificationSent.examples,
  };
}

describe('generated event validators', () => {
  it('accept every example of the AsyncAPI spec', async () => {
    const examples = await specExamples();
    for (const name of Object.keys(examples) as MessageName[]) {
      expect(examples[name].length).toBeGreaterThan(0);
      for (const example of examples[name]) {
        expect(messageValidators[name].headers(example.headers), name).toBe(true);
        expect(messageValidators[name].payload(example.payload), name).toBe(true);
        expect(validateEvent(example.headers, example.payload)).toEqual({
          ok: true,
          event: { eventType: name, headers: example.headers, payload: example.payload },
        });
      }
    }
  });

  it('reject a payload with a wrong type, naming the field', async () => {
    const [example] = (await specExamples()).OrderConfirmed;
    const payload = { ...example?.payload, totalCents: '72.48' };
    expect(validateOrderConfirmedPayload(payload)).toBe(false);
    expect(validateOrderConfirmedPayload.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/totalCents', keyword: 'type' }),
    );
  });

  it('reject a payload without eventId', async () => {
    const [example] = (await specExamples()).OrderCancelled;
    const { eventId: _eventId, ...payload } = example?.payload ?? {};
    const result = validateEvent(example?.headers, payload);
    expect(result).toEqual({
      ok: false,
      errors: [{ part: 'payload', path: '', message: "must have required property 'eventId'" }],
    });
  });

  it('reject headers without eventId or with another message’s eventType', async () => {
    const [example] = (await specExamples()).OrderCancelled;
    const { eventId: _eventId, ...withoutId } = example?.headers ?? {};
    expect(validateOrderCancelledHeaders(withoutId)).toBe(false);
    expect(validateOrderCancelledHeaders({ ...example?.headers, eventType: 'OrderConfirmed' })).toBe(false);
  });

  it('reject an unknown eventType without throwing', async () => {
    const [example] = (await specExamples()).OrderConfirmed;
    const result = validateEvent({ ...example?.headers, eventType: 'OrderShipped' }, example?.payload);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({
        part: 'headers',
        path: '/eventType',
        message: expect.stringContaining('OrderShipped'),
      }),
    ]);
  });

  it('reject a payload whose items break the shared OpenAPI item schema', async () => {
    const [example] = (await specExamples()).OrderCancelled;
    const payload = { ...example?.payload, items: [{ productId: 'espresso-1kg', quantity: 0 }] };
    const result = validateEvent(example?.headers, payload);
    expect(result.ok ? [] : result.errors).toContainEqual(
      expect.objectContaining({ part: 'payload', path: '/items/0/quantity' }),
    );
  });
});

describe('generated broker constants', () => {
  it('carry the exchange, routing keys and queues of the AsyncAPI spec', () => {
    expect(exchanges.orderEvents).toEqual({
      name: 'orders',
      type: 'topic',
      durable: true,
      autoDelete: false,
      vhost: '/',
    });
    expect(exchanges.notificationEvents).toMatchObject({ name: 'notifications', type: 'topic' });
    expect(routingKeys).toEqual({
      NotificationSent: 'notification.sent',
      OrderConfirmed: 'order.confirmed',
      OrderCancelled: 'order.cancelled',
    });
    expect(queues.notifyOnOrderEvents).toMatchObject({
      name: 'notification.order-events',
      service: 'notification',
      bindingKeys: ['order.confirmed', 'order.cancelled'],
    });
    expect(queues.releaseStockOnOrderCancelled).toMatchObject({
      name: 'inventory.order-cancelled',
      service: 'inventory',
      messages: ['OrderCancelled'],
    });
    expect(queues.projectOrderNotifications).toMatchObject({
      name: 'gateway.order-history-notifications',
      service: 'gateway',
      bindingKeys: ['notification.sent'],
      messages: ['NotificationSent'],
    });
  });

  it('carry the Kafka topic, partition key and consumer groups beside the AMQP ones', () => {
    expect(topics.orderEvents).toEqual({ name: 'orders', partitions: 3, replicas: 1 });
    expect(messages.OrderConfirmed.partitionKey).toBe('orderId');
    expect(messages.OrderCancelled.partitionKey).toBe('orderId');
    expect(queues.notifyOnOrderEvents.groupId).toBe('notification.order-events');
    expect(queues.releaseStockOnOrderCancelled.groupId).toBe('inventory.order-cancelled');
    expect(topics.notificationEvents).toEqual({ name: 'notifications', partitions: 3, replicas: 1 });
    expect(messages.NotificationSent.partitionKey).toBe('orderId');
    expect(queues.projectOrderNotifications.groupId).toBe('gateway.order-history-notifications');
  });
});
