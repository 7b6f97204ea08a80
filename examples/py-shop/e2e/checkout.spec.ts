import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';

const order = { items: [{ sku: 'tea', quantity: 2 }], amountCents: 2400, paymentToken: 'tok_approve' };

test('a checkout is confirmed, replays with its key and is refused with another body', async ({ request }) => {
  const key = randomUUID();
  const placed = await request.post('/orders', { data: order, headers: { 'idempotency-key': key } });
  expect(placed.status()).toBe(201);
  const body = (await placed.json()) as { id: string; status: string };
  expect(body.status).toBe('CONFIRMED');

  const replay = await request.post('/orders', { data: order, headers: { 'idempotency-key': key } });
  expect(replay.status()).toBe(201);
  expect(((await replay.json()) as { id: string }).id).toBe(body.id);

  const reused = await request.post('/orders', {
    data: { ...order, amountCents: 1 },
    headers: { 'idempotency-key': key },
  });
  expect(reused.status()).toBe(422);
  expect(reused.headers()['content-type']).toContain('application/problem+json');

  const read = await request.get(`/orders/${body.id}`);
  expect(read.status()).toBe(200);
});

test('a declined card is a 402 and the order reads as declined', async ({ request }) => {
  const placed = await request.post('/orders', {
    data: { ...order, paymentToken: 'tok_decline' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(placed.status()).toBe(402);
});
