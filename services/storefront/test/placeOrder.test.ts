import { describe, expect, it } from 'vitest';
import type { CheckoutAttempt } from '../src/web/checkoutAttempts.ts';
import { createGatewayClient } from '../src/web/gatewayClient.ts';
import { placeOrder, sendResultOf } from '../src/web/placeOrder.ts';
import { fakeGatewayFetch, json, problem, type FakeAnswer } from './support/fakeGatewayFetch.ts';
import { order, orderId } from './support/fixtures.ts';

const attempt: CheckoutAttempt = {
  key: 'b7d5a0f2-6a55-4a53-9d0c-1f8e9a7b6c5d',
  request: { items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' },
};

async function send(...answers: FakeAnswer[]) {
  const gateway = fakeGatewayFetch(...answers);
  const client = createGatewayClient({
    gatewayUrl: 'http://gateway.test:8080/',
    apiKey: 'demo_key',
    fetch: gateway.fetch,
  });
  const outcome = await placeOrder(client, attempt, 1_000);
  return { outcome, requests: gateway.requests };
}

describe('placing an order', () => {
  it('posts the attempt body to /api/v1/orders with its Idempotency-Key and the API key', async () => {
    const { requests } = await send(json(201, order('CONFIRMED')));
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('http://gateway.test:8080/api/v1/orders');
    expect(request?.headers.get('Idempotency-Key')).toBe(attempt.key);
    expect(request?.headers.get('Authorization')).toBe('Bearer demo_key');
    expect(await request?.json()).toEqual(attempt.request);
  });

  it('reports a 201 as confirmed with the order', async () => {
    const { outcome } = await send(json(201, order('CONFIRMED')));
    expect(outcome).toEqual({ kind: 'confirmed', order: order('CONFIRMED') });
    expect(sendResultOf(outcome)).toBe('settled');
  });

  it('reports a 202 as processing with the order id and the Retry-After to poll after', async () => {
    const accepted = { orderId, status: 'PENDING', statusUrl: `/api/v1/orders/${orderId}` };
    const { outcome } = await send(json(202, accepted, { 'Retry-After': '3', Location: accepted.statusUrl }));
    expect(outcome).toEqual({ kind: 'processing', orderId, pollAfterSeconds: 3 });
    expect(sendResultOf(outcome)).toBe('settled');
  });

  it('reports a 402 as declined with the problem detail', async () => {
    const { outcome } = await send(problem(402, 'PAYMENT_DECLINED', { detail: 'The card was declined' }));
    expect(outcome).toEqual({ kind: 'declined', message: 'The card was declined' });
    expect(sendResultOf(outcome)).toBe('settled');
  });

  it('reports a 409 OUT_OF_STOCK as out of stock naming the product', async () => {
    const { outcome } = await send(
      problem(409, 'OUT_OF_STOCK', { detail: 'Not enough stock', productId: 'espresso-1kg' }),
    );
    expect(outcome).toEqual({ kind: 'out-of-stock', message: 'Not enough stock', productId: 'espresso-1kg' });
  });

  it('reports a 503 as unavailable with the retryAfterSeconds of the problem, keeping the key', async () => {
    const { outcome } = await send(
      problem(503, 'DEPENDENCY_UNAVAILABLE', { detail: 'Payment is unavailable', retryAfterSeconds: 4 }),
    );
    expect(outcome).toEqual({ kind: 'unavailable', message: 'Payment is unavailable', retryAfterSeconds: 4 });
    expect(sendResultOf(outcome)).toBe('retryable');
  });

  it('reports a 503 naming a cancelled order as unavailable with the order and its cancellation reason', async () => {
    const { outcome } = await send(
      problem(503, 'DEPENDENCY_UNAVAILABLE', {
        detail: 'payment is unavailable (circuit open)',
        retryAfterSeconds: 2,
        orderId,
        cancellationReason: 'PAYMENT_UNAVAILABLE',
      }),
    );
    expect(outcome).toEqual({
      kind: 'unavailable',
      message: 'payment is unavailable (circuit open)',
      retryAfterSeconds: 2,
      cancelledOrder: { orderId, reason: 'PAYMENT_UNAVAILABLE' },
    });
    expect(sendResultOf(outcome)).toBe('retryable');
  });

  it('reads Retry-After from the header of a 429 when the body does not carry it', async () => {
    const { outcome } = await send(problem(429, 'RATE_LIMITED', {}, { 'Retry-After': '7' }));
    expect(outcome).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 7 });
  });

  it('treats 409 IDEMPOTENCY_CONFLICT (first send still in flight) as retryable', async () => {
    const { outcome } = await send(problem(409, 'IDEMPOTENCY_CONFLICT', { retryAfterSeconds: 1 }));
    expect(outcome).toMatchObject({ kind: 'unavailable', retryAfterSeconds: 1 });
  });

  it('treats a network error as retryable without a delay', async () => {
    const { outcome } = await send(new TypeError('Failed to fetch'));
    expect(outcome).toMatchObject({ kind: 'unavailable', retryAfterSeconds: undefined });
    expect(sendResultOf(outcome)).toBe('retryable');
  });

  it('treats a non-JSON 502 from a proxy as retryable', async () => {
    const { outcome } = await send(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(outcome).toMatchObject({ kind: 'unavailable', message: 'The shop answered 502.' });
  });

  it('reports a 422 IDEMPOTENCY_KEY_REUSED as rejected, not retryable', async () => {
    const { outcome } = await send(problem(422, 'IDEMPOTENCY_KEY_REUSED', { detail: 'Key reused with another body' }));
    expect(outcome).toEqual({ kind: 'rejected', status: 422, message: 'Key reused with another body' });
    expect(sendResultOf(outcome)).toBe('settled');
  });

  it('keeps /api/v1 once when the gateway URL already ends with it', async () => {
    const gateway = fakeGatewayFetch(json(201, order('CONFIRMED')));
    const client = createGatewayClient({ gatewayUrl: 'http://gateway.test/api/v1', apiKey: 'k', fetch: gateway.fetch });
    await placeOrder(client, attempt);
    expect(gateway.requests[0]?.url).toBe('http://gateway.test/api/v1/orders');
  });
});
