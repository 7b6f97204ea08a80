import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  describeRequestFault,
  requestFaultProblems,
  requestSelector,
  type RequestFacts,
} from '../src/faults/requestFaults.ts';
import { HttpTap } from '../src/system/HttpTap.ts';

const post = (path: string, key?: string): RequestFacts => ({
  method: 'POST',
  path,
  headers: key === undefined ? {} : { 'idempotency-key': key },
});

describe('which requests a request-level fault picks', () => {
  it('the first N, every Nth, and per Idempotency-Key', () => {
    const first = requestSelector('f', { first: 2 });
    expect([1, 2, 3, 4].map(() => first(post('/charges')))).toEqual([true, true, false, false]);
    const every = requestSelector('e', { every: 3 });
    expect([1, 2, 3, 4, 5, 6].map(() => every(post('/charges')))).toEqual([false, false, true, false, false, true]);
    const perKey = requestSelector('k', { first: 2, perKey: true });
    const picks = ['a', 'a', 'a', 'b', 'b', 'b'].map((key) => perKey(post('/charges', key)));
    expect(picks).toEqual([true, true, false, true, true, false]);
  });

  it('by method, path prefix or pattern, and header', () => {
    const refunds = requestSelector('r', { method: 'post', path: '/charges/*/refunds' });
    expect(refunds(post('/charges/c1/refunds'))).toBe(true);
    expect(refunds(post('/charges/c1'))).toBe(false);
    expect(refunds({ ...post('/charges/c1/refunds'), method: 'GET' })).toBe(false);
    const prefix = requestSelector('p', { path: '/charges' });
    expect(prefix(post('/charges?limit=1'))).toBe(true);
    expect(prefix(post('/orders'))).toBe(false);
    const tenant = requestSelector('h', { header: { name: 'X-Tenant', value: 'a' } });
    expect(tenant({ method: 'GET', path: '/', headers: { 'x-tenant': 'a' } })).toBe(true);
    expect(tenant({ method: 'GET', path: '/', headers: { 'x-tenant': 'b' } })).toBe(false);
    expect(tenant({ method: 'GET', path: '/', headers: {} })).toBe(false);
  });

  it('a share is the same requests for the same seed, other requests for another', () => {
    const draw = (seed: number) => {
      const pick = requestSelector('share', { share: 0.3 }, seed);
      return Array.from({ length: 200 }, () => pick(post('/charges')));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    const hits = draw(7).filter(Boolean).length;
    expect(hits).toBeGreaterThan(35);
    expect(hits).toBeLessThan(85);
  });

  it('refuses a spec it cannot carry out, and describes one it can', () => {
    expect(requestFaultProblems({ action: { kind: 'status', status: 200 } })).toEqual([
      'status must be an HTTP error status (400..599)',
    ]);
    expect(requestFaultProblems({ action: { kind: 'drop' }, select: { perKey: true, share: 2 } })).toEqual([
      'select.share must be in (0, 1]',
      'select.perKey needs first or every',
    ]);
    expect(
      describeRequestFault({
        action: { kind: 'status', status: 503, retryAfterS: 1 },
        select: { method: 'POST', path: '/charges', first: 2, perKey: true },
      }),
    ).toBe('status 503 (Retry-After 1 s) for the first 2 per key request of POST /charges');
  });
});

/** A real upstream and a real tap in front of it: what the caller gets, what reached the upstream. */
describe('the tap injects request-level faults', () => {
  let upstream: http.Server;
  let reached: string[] = [];
  let tap: HttpTap;

  beforeAll(async () => {
    upstream = http.createServer((request, response) => {
      reached.push(`${request.method} ${request.url}`);
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c1', padding: 'x'.repeat(200) }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    tap = new HttpTap('P1', { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port }, { front: true });
    await tap.listen();
  });
  afterAll(async () => {
    await tap.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });
  beforeEach(() => {
    reached = [];
    tap.clear();
    tap.liftAllFaults();
  });

  const call = (path = '/charges', key = 'k1') =>
    fetch(`http://${tap.address}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: '{}',
      signal: AbortSignal.timeout(3_000),
    });

  it('answers a status itself for the first two attempts of a key; the third reaches the dependency', async () => {
    tap.injectFault('first-two', {
      action: { kind: 'status', status: 503, retryAfterS: 1 },
      select: { first: 2, perKey: true },
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await call();
      statuses.push(response.status);
      if (response.status === 503) {
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.json()).toMatchObject({ status: 503, detail: expect.stringContaining('first-two') });
      } else await response.arrayBuffer();
    }
    expect(statuses).toEqual([503, 503, 201]);
    expect(reached).toEqual(['POST /charges']);
    expect(tap.hitsOf('first-two').map((record) => record.status)).toEqual([503, 503]);
    expect(tap.records().map((record) => record.fault)).toEqual(['first-two', 'first-two', undefined]);
  });

  it('drops the connection before forwarding, or cuts the answer mid-body after the work is done', async () => {
    tap.injectFault('drop', { action: { kind: 'drop' }, select: { first: 1 } });
    await expect(call()).rejects.toThrow();
    expect(reached).toEqual([]);
    tap.liftFault('drop');
    tap.injectFault('cut', { action: { kind: 'drop-mid-body' } });
    await expect(call().then((response) => response.text())).rejects.toThrow();
    expect(reached).toEqual(['POST /charges']);
    expect(tap.hitsOf('cut')).toHaveLength(1);
  });

  it('delays, and hangs until the fault is lifted', async () => {
    tap.injectFault('slow', { action: { kind: 'delay', delayMs: 300 } });
    const started = Date.now();
    expect((await call()).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    tap.liftFault('slow');
    tap.injectFault('hang', { action: { kind: 'hang' }, select: { path: '/charges' } });
    const hanging = call().then(
      (response) => response.status,
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    tap.liftFault('hang');
    expect(await hanging).toBe('cut');
    expect(reached).toEqual(['POST /charges']);
    expect((await call()).status).toBe(201);
  });
});
