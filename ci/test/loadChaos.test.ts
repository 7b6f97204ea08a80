import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@harness/runtime';
import { harnessInProcess, isolateRunState, tempDir } from './loadCli.ts';
import { startStubSystem, type StubServer } from './loadStubs.ts';

/**
 * Chaos under load against a stand-in system whose "order → payment" call goes through a proxy
 * on the test run's real Toxiproxy: k6 itself must add the latency toxic and lift it on schedule,
 * the stand-in fails fast (503) while it is on, and recovers once it is lifted.
 */
const API_KEY = 'demo_chaos_key';
const proxyName = `load-test-payment-${randomBytes(3).toString('hex')}`;
let toxiproxyUrl: string;
let payment: http.Server;
let paymentCalls = 0;
let stub: StubServer;

beforeAll(async () => {
  isolateRunState();
  toxiproxyUrl = inject('infra').toxiproxy.url;
  payment = http.createServer((_req, res) => {
    paymentCalls += 1;
    res.end('ok');
  });
  await new Promise<void>((resolve) => payment.listen(0, '127.0.0.1', resolve));
  const listen = `127.0.0.1:${await freePort()}`;
  const created = await fetch(`${toxiproxyUrl}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name: proxyName, listen, upstream: `127.0.0.1:${(payment.address() as AddressInfo).port}` }),
  });
  expect(created.status).toBe(201);
  stub = await startStubSystem({ apiKey: API_KEY, dependencyUrl: `http://${listen}/charge`, dependencyTimeoutMs: 300 });
});

afterAll(async () => {
  await fetch(`${toxiproxyUrl}/proxies/${proxyName}`, { method: 'DELETE' });
  await stub.close();
  await new Promise<void>((resolve) => payment.close(() => resolve()));
});

interface Summary {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
}

describe('harness load chaos-payment-latency', () => {
  it('injects the latency fault from k6 on schedule, fails fast during it and recovers after it', async () => {
    const reports = tempDir('load-chaos-');
    const result = await harnessInProcess([
      'load',
      'chaos-payment-latency',
      '--base-url',
      stub.url,
      '--api-key',
      API_KEY,
      '--toxiproxy-url',
      toxiproxyUrl,
      '--fault-proxy',
      proxyName,
      '--fault-latency',
      '2000',
      '--time-scale',
      '0.2',
      '--recovery-bound',
      '2',
      '--reports-dir',
      reports,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const summary = JSON.parse(fs.readFileSync(path.join(reports, 'summary.json'), 'utf8')) as Summary;
    const metric = (name: string) => summary.metrics[name];
    // The fault reached the traffic: the stand-in answered 503 while the toxic was on.
    expect(stub.counts.unavailable).toBeGreaterThan(0);
    expect(metric('orders_degraded{phase:fault}')?.values.rate).toBeGreaterThan(0.5);
    // Fast failure: well under the injected 2 s (the stand-in gives up after 300 ms).
    expect(metric('http_req_duration{phase:fault,endpoint:place_order}')?.values['p(95)']).toBeLessThan(1000);
    // Recovered: no failures after the bound.
    expect(metric('http_req_failed{phase:recovered}')?.values.rate).toBe(0);
    expect(metric('checks{phase:control}')?.values.rate).toBe(1);
    expect(paymentCalls).toBeGreaterThan(0);

    // Nothing left behind on the proxy.
    const toxics = (await (await fetch(`${toxiproxyUrl}/proxies/${proxyName}/toxics`)).json()) as unknown[];
    expect(toxics).toEqual([]);
    const junit = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    expect(junit).toContain('http_req_failed{phase:recovered} rate&lt;0.01');
    expect(junit).toMatch(/failures="0" errors="0"/);
  });

  it('fails the run when the fault never reached the traffic (vacuous pass)', async () => {
    const reports = tempDir('load-chaos-vacuous-');
    // A proxy nobody's traffic goes through: the fault is applied, but no order is slowed.
    const idle = `load-test-idle-${randomBytes(3).toString('hex')}`;
    await fetch(`${toxiproxyUrl}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: idle, listen: `127.0.0.1:${await freePort()}`, upstream: '127.0.0.1:9' }),
    });
    try {
      const result = await harnessInProcess([
        'load',
        'chaos-payment-latency',
        '--base-url',
        stub.url,
        '--api-key',
        API_KEY,
        '--toxiproxy-url',
        toxiproxyUrl,
        '--fault-proxy',
        idle,
        '--fault-latency',
        '1000',
        '--time-scale',
        '0.15',
        '--recovery-bound',
        '1',
        '--reports-dir',
        reports,
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/SLO FAILED orders_degraded\{phase:fault\} rate>0/);
    } finally {
      await fetch(`${toxiproxyUrl}/proxies/${idle}`, { method: 'DELETE' });
    }
  });
});
