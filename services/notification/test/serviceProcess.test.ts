import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { exchanges, queues, routingKeys } from '@harness/contracts';
import {
  createTestDatabase,
  eventually,
  freePort,
  infra,
  startServiceProcess,
  waitUntilOk,
  type RunningService,
  type TestDatabase,
} from '@harness/runtime/testing';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderConfirmed } from './support/orderEvents.ts';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const serviceToken = 'svc_process_test';
const contractQueue = queues.notifyOnOrderEvents.name;

let database: TestDatabase;
let service: RunningService;
let baseUrl: string;
let broker: ChannelModel;

beforeAll(async () => {
  database = await createTestDatabase('notification');
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  service = startServiceProcess(mainPath, {
    SERVICE_NAME: 'notification',
    HOST: '127.0.0.1',
    PORT: String(port),
    SERVICE_TOKEN: serviceToken,
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    AMQP_URL: infra().rabbitmq.url,
  });
  await waitUntilOk(`${baseUrl}/health/ready`, service);
  broker = await amqp.connect(infra().rabbitmq.url);
});
afterAll(async () => {
  await service?.stop();
  await broker?.close().catch(() => undefined);
  await database?.drop();
});

async function publish(routingKey: string, content: string, messageId: string, eventType: string): Promise<void> {
  const channel = await broker.createConfirmChannel();
  channel.publish(exchanges.orderEvents.name, routingKey, Buffer.from(content), {
    messageId,
    persistent: true,
    contentType: 'application/json',
    headers: { eventId: messageId, eventType },
  });
  await channel.waitForConfirms();
  await channel.close();
}

async function listNotifications(orderId: string): Promise<{ items: { eventId: string; kind: string }[] }> {
  const response = await fetch(`${baseUrl}/notifications?orderId=${orderId}`, {
    headers: { 'x-service-token': serviceToken },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { items: { eventId: string; kind: string }[] };
}

describe('notification service process (main.ts)', () => {
  it('reports ready with PostgreSQL and RabbitMQ checks', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(await response.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', rabbitmq: 'ok' } });
  });

  it('consumes the contract queue: an OrderConfirmed on `orders` becomes a notification served over HTTP', async () => {
    const event = orderConfirmed();
    await publish(routingKeys.OrderConfirmed, JSON.stringify(event), event.eventId, 'OrderConfirmed');
    const { items } = await eventually(async () => {
      const list = await listNotifications(event.orderId);
      return list.items.length > 0 && list;
    });
    expect(items).toMatchObject([{ eventId: event.eventId, kind: 'ORDER_CONFIRMED' }]);
  });

  it('dead-letters a poison message into notification.order-events.dlq', async () => {
    const poisonId = randomUUID();
    await publish(routingKeys.OrderCancelled, '{ not json', poisonId, 'OrderCancelled');
    const channel = await broker.createChannel();
    try {
      const reason = await eventually(async () => {
        for (;;) {
          const message = await channel.get(`${contractQueue}.dlq`, { noAck: false });
          if (message === false) return undefined;
          if (message.properties.messageId === poisonId) {
            channel.ack(message);
            return message.properties.headers?.['x-death-reason'] as string;
          }
        }
      });
      expect(reason).toBe('invalid_json');
    } finally {
      await channel.close();
    }
  });

  it('refuses GET /notifications without the service token', async () => {
    const response = await fetch(`${baseUrl}/notifications?orderId=${randomUUID()}`);
    expect(response.status).toBe(401);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await service.stop()).toBe(0);
  });
});
