import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  countersFromMetrics,
  describeRoundTrips,
  parsePrometheusText,
  roundTripsBetween,
  snapshotRoundTrips,
  sqlStatementsByDatabase,
  type RoundTripSnapshot,
} from '../src/load/roundTrips.ts';

// What a kit service's GET /metrics serves (prom-client's text format), trimmed to the counters read.
const METRICS_TEXT = `# HELP harness_dependency_request_duration_seconds Attempts that reached a dependency.
# TYPE harness_dependency_request_duration_seconds histogram
harness_dependency_request_duration_seconds_bucket{le="0.005",dependency="inventory",outcome="success",service="order"} 3
harness_dependency_request_duration_seconds_sum{dependency="inventory",outcome="success",service="order"} 0.12
harness_dependency_request_duration_seconds_count{dependency="inventory",outcome="success",service="order"} 10
harness_dependency_request_duration_seconds_count{dependency="payment",outcome="failure",service="order"} 2
harness_dependency_request_duration_seconds_count{dependency="payment",outcome="success",service="order"} 10
# HELP harness_outbox_published_total Events the relay published.
# TYPE harness_outbox_published_total counter
harness_outbox_published_total{service="order"} 10
harness_consumer_messages_total{queue="q \\"x\\"",outcome="processed",service="order"} 4
process_cpu_seconds_total{service="order"} 1.5
`;

const snapshot = (services: RoundTripSnapshot['services'], at = 0): RoundTripSnapshot => ({ at, services });

describe('round trips per order', () => {
  it('reads the kit counters from the Prometheus text, labels and escapes included', () => {
    const samples = parsePrometheusText(METRICS_TEXT);
    expect(samples.find((s) => s.name === 'harness_consumer_messages_total')?.labels.queue).toBe('q "x"');
    // Attempts to every dependency add up, retries (the failed attempt) included; buckets and sums do not count.
    expect(countersFromMetrics(METRICS_TEXT)).toEqual({ httpOut: 22, published: 10, consumed: 4 });
    expect(countersFromMetrics('process_cpu_seconds_total 1\n')).toEqual({});
  });

  it('divides the differences by the confirmed orders, counts a restarted process from zero and leaves unmeasured kinds out', () => {
    const before = snapshot({ order: { sql: 100, httpOut: 20, published: 5 }, gateway: { httpOut: 7 } }, 1_000);
    const after = snapshot(
      { order: { sql: 160, httpOut: 40, published: 15 }, gateway: { httpOut: 17 }, notification: { consumed: 10 } },
      3_000,
    );
    const trips = roundTripsBetween(before, after, 10);
    expect(trips.seconds).toBe(2);
    expect(trips.rows.map((r) => [r.service, r.perOrder])).toEqual([
      ['order', { sql: 6, httpOut: 2, published: 1 }],
      ['gateway', { httpOut: 1 }],
      ['notification', { consumed: 1 }],
    ]);
    expect(trips.system).toEqual({ sql: 6, httpOut: 3, published: 1, consumed: 1 });
    // order restarted during the phase: its counters start again below the first snapshot.
    const restarted = roundTripsBetween(before, snapshot({ order: { sql: 30 } }), 10);
    expect(restarted.rows[0]?.total).toEqual({ sql: 30 });
    expect(describeRoundTrips(roundTripsBetween(before, after, 0))).toEqual([
      '  no order was confirmed: nothing to divide by',
    ]);
    const table = describeRoundTrips(trips);
    expect(table[0]).toMatch(/service\s+sql\s+http out\s+published\s+consumed/);
    expect(table).toContain(`  ${'order'.padEnd(14)}       6.00       2.00       1.00          -`);
  });

  it('counts the statements of each database through pg_stat_statements on the real PostgreSQL', async () => {
    const superuser = inject('infra').postgres.url;
    const database = `svc_rt_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: superuser });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    try {
      const before = (await sqlStatementsByDatabase(superuser))[database] ?? 0;
      const client = new pg.Client({ connectionString: superuser.replace(/\/[^/]*$/, `/${database}`) });
      await client.connect();
      for (let i = 0; i < 5; i++) await client.query('SELECT $1::int', [i]);
      await client.end();
      expect((await sqlStatementsByDatabase(superuser))[database]).toBe(before + 5);

      // The same through a snapshot: the database is named after its service.
      const snap = await snapshotRoundTrips({
        services: { [database.slice(4)]: { url: 'http://127.0.0.1:9' } },
        postgresUrl: superuser,
      });
      expect(snap.sqlUnavailable).toBeUndefined();
      expect(snap.services[database.slice(4)]?.sql).toBe(before + 5);
    } finally {
      const cleanup = new pg.Client({ connectionString: superuser });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await cleanup.end();
    }
  });

  it('says why SQL was not counted instead of reporting zero', async () => {
    const snap = await snapshotRoundTrips({ services: {}, postgresUrl: 'postgres://nobody:x@127.0.0.1:9/postgres' });
    expect(snap.sqlUnavailable).toMatch(/ECONNREFUSED|connect/);
    expect(roundTripsBetween(snap, snap, 1).sqlUnavailable).toBe(snap.sqlUnavailable);
  });
});
