import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenBucketLimiter } from '../src/rateLimit/tokenBucket.ts';
import { espresso } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, readOnlyAuth } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

describe('token bucket', () => {
  it('allows the burst, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = createTokenBucketLimiter({ ratePerSecond: 0.5, burst: 2 }, () => now);
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 1_000;
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(limiter.take('k')).toEqual({ allowed: true });
  });

  it('never refills beyond the burst', () => {
    let now = 0;
    const limiter = createTokenBucketLimiter({ ratePerSecond: 100, burst: 3 }, () => now);
    now += 60_000;
    const decisions = Array.from({ length: 4 }, () => limiter.take('k').allowed);
    expect(decisions).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per caller', () => {
    const limiter = createTokenBucketLimiter({ ratePerSecond: 1, burst: 1 }, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('does not throttle the default settings at 500 requests per second for 10 s', () => {
    let now = 0;
    const limiter = createTokenBucketLimiter({ ratePerSecond: 1_000, burst: 2_000 }, () => now);
    let refused = 0;
    for (let request = 0; request < 5_000; request++) {
      now += 2;
      if (!limiter.take('load').allowed) refused++;
    }
    expect(refused).toBe(0);
  });
});

describe('rate limit per API key', () => {
  const { stubs, ready } = dependencyStubs();
  let app: FastifyInstance;
  let now = 1_000_000;

  beforeAll(async () => {
    await ready;
    app = gatewayUnderTest({
      orderUrl: stubs.order.url,
      inventoryUrl: stubs.inventory.url,
      notificationUrl: stubs.notification.url,
      rateLimit: { ratePerSecond: 0.5, burst: 3 },
      now: () => now,
    }).app;
  });
  afterAll(() => app.close());

  it('answers 429 problem+json with Retry-After once the burst is spent, and recovers after it', async () => {
    stubs.inventory.handler = () => ({ status: 200, body: { items: [espresso] } });
    const list = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/products', headers });
    for (let request = 0; request < 3; request++) expect((await list(fullAuth)).statusCode).toBe(200);

    const refused = await list(fullAuth);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    expect(stubs.inventory.calls).toHaveLength(3);

    expect((await list(readOnlyAuth)).statusCode).toBe(200);

    now += 2_000;
    expect((await list(fullAuth)).statusCode).toBe(200);
  });
});
