import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, sleep, type RunState } from '@harness/runtime';
import { captureServiceProfiles, summarizeProfile } from '../src/load/cpuProfiles.ts';
import {
  describeRoundTrips,
  roundTripsBetween,
  snapshotRoundTrips,
  type SnapshotSource,
} from '../src/load/roundTrips.ts';
import { harness } from './cliHelpers.ts';
import { apiHeaders, expectOrderConfirmedNotifiedAndListed, expectOrderTraced } from './systemChecks.ts';

// The whole system through `harness up`: an order placed through the gateway over HTTP is
// confirmed and notified, and `harness down` leaves nothing running.
const env: NodeJS.ProcessEnv = { HARNESS_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-system-')) };
let state: RunState;
let api: string;
let key: string;

beforeAll(async () => {
  const started = await harness(['up'], env, 240_000);
  if (started.code !== 0) throw new Error(`harness up failed:\n${started.stdout}\n${started.stderr}`);
  state = JSON.parse(fs.readFileSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json'), 'utf8')) as RunState;
  api = `${state.infra?.services.gateway?.url}/api/v1`;
  key = state.secrets?.demoApiKey ?? '';
}, 300_000);

afterAll(async () => {
  await harness(['down'], env);
});

const headers = (extra: Record<string, string> = {}): Record<string, string> => apiHeaders(key, extra);

describe('the reference system through harness up', () => {
  it('prints every service URL and the demo API key', async () => {
    const status = await harness(['status'], env);
    expect(status.stdout).toMatch(/^healthy/);
    for (const name of ['gateway', 'order', 'inventory', 'payment', 'notification', 'storefront']) {
      expect(status.stdout).toMatch(new RegExp(`\\b${name}\\s+http://127\\.0\\.0\\.1:\\d+`));
    }
    expect(status.stdout).toContain(key);
    expect(status.stdout).toMatch(/\btraces\s+http:\/\/127\.0\.0\.1:\d+ \(Jaeger/);
  });

  it('places an order through the gateway and sees it confirmed, notified and in the order history', async () => {
    const products = await fetch(`${api}/products`, { headers: headers() });
    expect(products.status).toBe(200);
    const { items } = (await products.json()) as { items: Array<{ id: string; available: number }> };
    const product = items.find((p) => p.available > 10);
    expect(product).toBeDefined();
    await expectOrderConfirmedNotifiedAndListed({ api, key }, product!.id);
  });

  it("counts an order's round trips per service: SQL statements, HTTP calls, events published and consumed", async () => {
    const source: SnapshotSource = {
      services: state.infra?.services ?? {},
      postgresUrl: state.infra?.postgres.url ?? '',
    };
    const before = await snapshotRoundTrips(source);
    const orders = 3;
    for (let i = 0; i < orders; i++) {
      const placed = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: headers({ 'idempotency-key': randomUUID() }),
        body: JSON.stringify({ items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' }),
      });
      expect(placed.status).toBe(201);
    }
    // The events reach notification and the gateway's read model a moment after the 201s (each at
    // its own pace: waiting for notification alone once saw the gateway at 1 of 3).
    let trips = roundTripsBetween(before, await snapshotRoundTrips(source), orders);
    const consumedBy = (service: string) => trips.rows.find((r) => r.service === service)?.total.consumed ?? 0;
    for (let i = 0; i < 100 && (consumedBy('notification') < orders || consumedBy('gateway') < orders); i++) {
      await sleep(100);
      trips = roundTripsBetween(before, await snapshotRoundTrips(source), orders);
    }
    expect(trips.sqlUnavailable).toBeUndefined();
    const of = (service: string) => trips.rows.find((row) => row.service === service)?.perOrder ?? {};
    // gateway → order; order → inventory (reserve) and payment (charge): at least one call each.
    expect(of('gateway').httpOut).toBeGreaterThanOrEqual(1);
    expect(of('order').httpOut).toBeGreaterThanOrEqual(2);
    expect(of('order').published).toBeGreaterThanOrEqual(1);
    expect(of('notification').consumed).toBeGreaterThanOrEqual(1);
    // Every service with a database ran statements for each order (the saga's steps, the reservation,
    // the charge, the e-mail record).
    console.log(describeRoundTrips(trips).join('\n'));
    for (const service of ['order', 'inventory', 'payment', 'notification', 'gateway'])
      expect(of(service).sql).toBeGreaterThanOrEqual(1);
    expect(of('order').sql).toBeGreaterThan(2);
    // The gateway projects each order's event into its order history read model.
    expect(of('gateway').consumed).toBeGreaterThanOrEqual(1);
  });

  it('profiles every service with V8 while an order is placed (what `harness bench` stores)', async () => {
    const { storefront: _storefront, ...services } = state.infra?.services ?? {};
    const capture = captureServiceProfiles(services, state.secrets?.serviceToken ?? '', 1_500);
    // Orders one after the other while the profiles run, so each service has work to sample.
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      const placed = await fetch(`${api}/orders`, {
        method: 'POST',
        headers: headers({ 'idempotency-key': randomUUID() }),
        body: JSON.stringify({ items: [{ productId: 'espresso-1kg', quantity: 1 }], paymentToken: 'tok_approve' }),
      });
      expect(placed.status).toBe(201);
    }
    const captured = await capture;
    expect(captured.map((c) => [c.service, c.reason])).toEqual(
      ['gateway', 'order', 'inventory', 'payment', 'notification'].map((service) => [service, undefined]),
    );
    for (const { profile } of captured) expect(summarizeProfile(profile!).sampledMs).toBeGreaterThan(1_000);
    // The order service ran its saga during the capture: its own code and pg show up.
    const order = summarizeProfile(captured.find((c) => c.service === 'order')!.profile!, 50);
    expect(order.packages.map((p) => p.name)).toContain('pg');
    // A wrong token is refused: profiling is internal.
    const refused = await captureServiceProfiles({ order: services.order! }, 'not-the-token', 100);
    expect(refused[0]?.reason).toBe('POST /admin/cpu-profile answered 401');
  });

  it('traces an order in Jaeger: one trace through gateway, order, inventory, payment and notification, across the broker and the gRPC link', async () => {
    const jaeger = state.infra?.jaeger;
    expect(jaeger, 'harness up started no Jaeger').toBeDefined();
    expect(state.processes.map((p) => p.name)).toContain('jaeger');
    await expectOrderTraced({ api, key }, jaeger!.uiUrl);
  });

  it('serves the storefront page', async () => {
    const page = await fetch(state.infra?.services.storefront?.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });

  it('stops everything with harness down', async () => {
    const stopped = await harness(['down'], env);
    expect(stopped.code).toBe(0);
    expect(state.processes.filter((p) => isAlive(p.pid)).map((p) => p.name)).toEqual([]);
  });
});
