import { describe, expect, it } from 'vitest';
import { createGatewayClient } from '../src/web/gatewayClient.ts';
import { trackOrder, type OrderTrackingUpdate } from '../src/web/orderTracking.ts';
import { fakeGatewayFetch, json, problem, type FakeAnswer } from './support/fakeGatewayFetch.ts';
import { confirmationNotification, orderId, orderView } from './support/fixtures.ts';

async function follow(options: { initialDelaySeconds?: number; notificationReads?: number }, ...answers: FakeAnswer[]) {
  const gateway = fakeGatewayFetch(...answers);
  const client = createGatewayClient({ gatewayUrl: 'http://gateway.test', apiKey: 'k', fetch: gateway.fetch });
  const updates: OrderTrackingUpdate[] = [];
  const delays: number[] = [];
  let clock = 0;
  const end = await trackOrder(client, orderId, (update) => updates.push(update), {
    ...options,
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
    now: () => clock,
  });
  return { end, updates, delays, requests: gateway.requests };
}

describe('following an order', () => {
  it('re-reads a pending order with a growing delay until it is confirmed and notified', async () => {
    const notified = orderView('CONFIRMED', { notifications: [confirmationNotification()] });
    const result = await follow(
      { initialDelaySeconds: 2 },
      json(200, orderView('PENDING')),
      json(200, orderView('PENDING')),
      json(200, notified),
    );
    expect(result.end).toBe('settled');
    expect(result.delays).toEqual([2000, 500, 1000]);
    expect(result.requests.map((request) => request.url)).toEqual(
      Array(3).fill(`http://gateway.test/api/v1/orders/${orderId}`),
    );
    expect(result.updates.at(-1)).toEqual({ kind: 'view', view: notified });
  });

  it('keeps reading a terminal order a bounded number of times until its notification arrives', async () => {
    const result = await follow(
      { notificationReads: 2 },
      json(200, orderView('CONFIRMED')),
      json(200, orderView('CONFIRMED')),
      json(200, orderView('CONFIRMED')),
    );
    expect(result.end).toBe('settled');
    expect(result.requests).toHaveLength(3);
  });

  it('waits for the Retry-After of a 503 and reports the outage meanwhile', async () => {
    const result = await follow(
      { notificationReads: 0 },
      problem(503, 'DEPENDENCY_UNAVAILABLE', { detail: 'Order service unavailable', retryAfterSeconds: 3 }),
      json(200, orderView('CANCELLED')),
    );
    expect(result.end).toBe('settled');
    expect(result.delays).toEqual([3000]);
    expect(result.updates[0]).toEqual({
      kind: 'unavailable',
      message: 'Order service unavailable',
      retryAfterSeconds: 3,
    });
  });

  it('stops at once when the order does not exist', async () => {
    const result = await follow({}, problem(404, 'ORDER_NOT_FOUND', { detail: 'No such order' }));
    expect(result.end).toBe('failed');
    expect(result.updates).toEqual([{ kind: 'failed', message: 'No such order' }]);
  });

  it('gives up after the maximum wait instead of polling forever', async () => {
    const gateway = fakeGatewayFetch(...Array.from({ length: 100 }, () => json(200, orderView('PENDING'))));
    const client = createGatewayClient({ gatewayUrl: 'http://gateway.test', apiKey: 'k', fetch: gateway.fetch });
    let clock = 0;
    const end = await trackOrder(client, orderId, () => undefined, {
      maxWaitMs: 20_000,
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    });
    expect(end).toBe('gave-up');
    expect(clock).toBeLessThanOrEqual(20_000);
    expect(gateway.requests.length).toBeLessThan(12);
  });
});
