import pg from 'pg';

/**
 * Round trips per confirmed order, per service: SQL statements (PostgreSQL's pg_stat_statements,
 * grouped by database, so any system on the run's PostgreSQL is counted the same way), HTTP calls
 * to dependencies, events published and messages consumed (the kit's Prometheus counters, read from
 * each service's `GET /metrics`). Two snapshots around a load phase; their difference divided by
 * the orders it confirmed says where an order's work goes, before any profile is opened.
 */

/** Counters of one service at one moment; undefined where the service does not expose them. */
export interface ServiceCounters {
  sql?: number;
  httpOut?: number;
  published?: number;
  consumed?: number;
}

export interface RoundTripSnapshot {
  at: number;
  services: Record<string, ServiceCounters>;
  /** Why SQL statements could not be counted (pg_stat_statements not loaded, no access). */
  sqlUnavailable?: string;
}

export type RoundTripKind = keyof ServiceCounters;
export const ROUND_TRIP_KINDS: readonly RoundTripKind[] = ['sql', 'httpOut', 'published', 'consumed'];

export interface RoundTripRow {
  service: string;
  /** Per confirmed order; absent where not measured. */
  perOrder: Partial<Record<RoundTripKind, number>>;
  /** The raw differences over the phase. */
  total: Partial<Record<RoundTripKind, number>>;
}

export interface RoundTrips {
  confirmed: number;
  seconds: number;
  rows: RoundTripRow[];
  /** Sum over the services, per confirmed order. */
  system: Partial<Record<RoundTripKind, number>>;
  sqlUnavailable?: string;
}

/** One sample line of the Prometheus text format: name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments and malformed lines are skipped). */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL))
      labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(.)/g, '$1');
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

/** The kit's counters a round trip is read from (services/kit/src/observability/metrics.ts). */
const METRICS: Record<
  Exclude<RoundTripKind, 'sql'>,
  { name: string; where?: (labels: Record<string, string>) => boolean }
> = {
  // One observation per attempt that reached the dependency: retries count, as they cost a trip.
  httpOut: { name: 'harness_dependency_request_duration_seconds_count' },
  published: { name: 'harness_outbox_published_total' },
  // Every delivery handled, whatever its outcome (processed, duplicate, retried, dead-lettered).
  consumed: { name: 'harness_consumer_messages_total' },
};

/** The kit counters of one service's metrics text; a kind the text lacks stays undefined. */
export function countersFromMetrics(text: string): Omit<ServiceCounters, 'sql'> {
  const samples = parsePrometheusText(text);
  const counters: Omit<ServiceCounters, 'sql'> = {};
  for (const [kind, metric] of Object.entries(METRICS) as [
    keyof typeof METRICS,
    (typeof METRICS)[keyof typeof METRICS],
  ][]) {
    const matching = samples.filter((s) => s.name === metric.name && (metric.where?.(s.labels) ?? true));
    if (matching.length > 0) counters[kind] = matching.reduce((sum, s) => sum + s.value, 0);
  }
  return counters;
}

/** The database a service's statements run in, as the harness creates it (runtime/src/local/databases.ts). */
export const serviceOfDatabase = (database: string): string => database.replace(/^svc_/, '');

/**
 * Statements executed per database since the server started (BEGIN and COMMIT count: each is a
 * round trip). Throws with PostgreSQL's message when pg_stat_statements is not loaded.
 */
export async function sqlStatementsByDatabase(superuserUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: superuserUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await client.query<{ datname: string; calls: string }>(
      `SELECT d.datname, sum(s.calls)::text AS calls
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        GROUP BY d.datname`,
    );
    return Object.fromEntries(rows.map((row) => [row.datname, Number(row.calls)]));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SnapshotSource {
  /** Service name → base URL (its `/metrics` is read). */
  services: Record<string, { url: string }>;
  /** The run's PostgreSQL superuser URL, when it has one. */
  postgresUrl?: string;
}

async function metricsOf(baseUrl: string): Promise<Omit<ServiceCounters, 'sql'>> {
  try {
    const response = await fetch(new URL('/metrics', baseUrl), { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return {};
    return countersFromMetrics(await response.text());
  } catch {
    // A service without metrics (or not answering) is reported as not measured, not as zero.
    return {};
  }
}

/** Reads every counter of the run now. */
export async function snapshotRoundTrips(source: SnapshotSource): Promise<RoundTripSnapshot> {
  const services: Record<string, ServiceCounters> = {};
  const entries = await Promise.all(
    Object.entries(source.services).map(async ([name, address]) => [name, await metricsOf(address.url)] as const),
  );
  for (const [name, counters] of entries) services[name] = { ...counters };
  let sqlUnavailable: string | undefined;
  if (source.postgresUrl === undefined) sqlUnavailable = 'the run has no PostgreSQL';
  else {
    try {
      for (const [database, calls] of Object.entries(await sqlStatementsByDatabase(source.postgresUrl))) {
        const service = serviceOfDatabase(database);
        if (services[service]) services[service].sql = calls;
      }
    } catch (error) {
      sqlUnavailable = error instanceof Error ? error.message : String(error);
    }
  }
  return { at: Date.now(), services, ...(sqlUnavailable === undefined ? {} : { sqlUnavailable }) };
}

/** What happened between two snapshots, per confirmed order. */
export function roundTripsBetween(before: RoundTripSnapshot, after: RoundTripSnapshot, confirmed: number): RoundTrips {
  const rows: RoundTripRow[] = [];
  const systemTotal: Partial<Record<RoundTripKind, number>> = {};
  for (const [service, end] of Object.entries(after.services)) {
    const start = before.services[service] ?? {};
    const total: Partial<Record<RoundTripKind, number>> = {};
    const perOrder: Partial<Record<RoundTripKind, number>> = {};
    for (const kind of ROUND_TRIP_KINDS) {
      const [from, to] = [start[kind], end[kind]];
      if (to === undefined) continue;
      // A counter that went down belongs to a restarted process: count from zero.
      const delta = from === undefined || to < from ? to : to - from;
      total[kind] = delta;
      if (confirmed > 0) perOrder[kind] = delta / confirmed;
      systemTotal[kind] = (systemTotal[kind] ?? 0) + delta;
    }
    if (Object.keys(total).length > 0) rows.push({ service, perOrder, total });
  }
  const system: Partial<Record<RoundTripKind, number>> = {};
  if (confirmed > 0)
    for (const [kind, value] of Object.entries(systemTotal)) system[kind as RoundTripKind] = value / confirmed;
  return {
    confirmed,
    seconds: (after.at - before.at) / 1000,
    rows: rows.sort((a, b) => (b.perOrder.sql ?? 0) - (a.perOrder.sql ?? 0) || a.service.localeCompare(b.service)),
    system,
    ...(after.sqlUnavailable === undefined ? {} : { sqlUnavailable: after.sqlUnavailable }),
  };
}

/** The printed table: one row per service, then the system. */
export function describeRoundTrips(trips: RoundTrips): string[] {
  const cell = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(2)).padStart(11);
  const header = `  ${'service'.padEnd(14)}${['sql', 'http out', 'published', 'consumed'].map((h) => h.padStart(11)).join('')}`;
  const line = (name: string, values: Partial<Record<RoundTripKind, number>>): string =>
    `  ${name.padEnd(14)}${ROUND_TRIP_KINDS.map((kind) => cell(values[kind])).join('')}`;
  if (trips.confirmed === 0) return ['  no order was confirmed: nothing to divide by'];
  return [
    header,
    ...trips.rows.map((row) => line(row.service, row.perOrder)),
    line('= system', trips.system),
    ...(trips.sqlUnavailable === undefined ? [] : [`  SQL not counted: ${trips.sqlUnavailable}`]),
  ];
}
