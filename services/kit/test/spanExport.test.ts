import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, infra, uniqueName } from '@harness/runtime/testing';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { withTransaction } from '../src/db/withTransaction.ts';
import { BrokerConnection } from '../src/messaging/BrokerConnection.ts';
import { enqueueOutbox } from '../src/messaging/enqueueOutbox.ts';
import { outboxMigration } from '../src/messaging/messagingMigrations.ts';
import { startOutboxRelay } from '../src/messaging/outboxRelay.ts';
import { exportTraces } from '../src/observability/exportTraces.ts';
import {
  extractTraceContext,
  inSpan,
  installTracing,
  shutdownTracing,
  SpanKind,
  tracesRecorded,
} from '../src/observability/tracing.ts';
import { createResiliencePolicy } from '../src/resilience/createResiliencePolicy.ts';
import { DependencyNetworkError } from '../src/resilience/dependencyFailures.ts';
import { drainQueue, openTestChannel } from './support/messaging.ts';

// The SDK's provider, as exportTraces installs it, but into memory: what spans the kit records.
const exporter = new InMemorySpanExporter();
installTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)], serviceName: 'kit-test' });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('kit_spans');
  pool = createPool(database.url, { max: 3 });
  await migrate(pool, [outboxMigration]);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  await shutdownTracing();
});
beforeEach(() => exporter.reset());

const finished = (): ReadableSpan[] => exporter.getFinishedSpans();
const childrenOf = (parent: ReadableSpan): ReadableSpan[] =>
  finished().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('span export setup', () => {
  it('records spans with the service name once a processor is installed', async () => {
    expect(tracesRecorded()).toBe(true);
    await inSpan('work', { kind: SpanKind.INTERNAL }, async () => undefined);
    expect(finished().map((span) => span.name)).toEqual(['work']);
    expect(finished()[0]?.resource.attributes['service.name']).toBe('kit-test');
  });

  it('refuses to install the exporter after something made a span, and does nothing without an endpoint', () => {
    expect(exportTraces({ SERVICE_NAME: 'late' })).toBe(false);
    expect(() => exportTraces({ SERVICE_NAME: 'late', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toThrow(
      'exportTraces must run before anything makes a span',
    );
  });
});

describe('SQL spans', () => {
  it('makes a client span per query inside a recorded span: pool queries and a transaction client', async () => {
    await inSpan('request', { kind: SpanKind.SERVER }, async () => {
      await pool.query('SELECT 1 AS one');
      await withTransaction(pool, async (tx) => {
        await tx.query({ name: 'kit-test-now', text: 'SELECT now()' });
      });
    });
    const request = finished().find((span) => span.name === 'request');
    const queries = childrenOf(request!);
    expect(queries.map((span) => span.name)).toEqual(['SELECT', 'BEGIN', 'kit-test-now', 'COMMIT']);
    for (const span of queries) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes['db.system.name']).toBe('postgresql');
    }
    expect(queries[0]?.attributes['db.query.text']).toBe('SELECT 1 AS one');
    expect(queries[2]?.attributes['db.statement.name']).toBe('kit-test-now');
  });

  it('marks a failed query as an error and still returns the error to the caller', async () => {
    await inSpan('request', { kind: SpanKind.SERVER }, async () => {
      await expect(pool.query('SELECT no_such_column FROM pg_class')).rejects.toThrow(/no_such_column/);
    });
    const failed = finished().find((span) => span.name === 'SELECT');
    expect(failed?.status.code).toBe(2);
    expect(failed?.status.message).toMatch(/no_such_column/);
  });

  it('makes no span for queries outside a recorded span (background polls), nor after a client went back', async () => {
    await pool.query('SELECT 1');
    await withTransaction(pool, (tx) => tx.query('SELECT 2'));
    expect(finished()).toEqual([]);
    // A client released from a traced transaction is untraced again when the pool's own query reuses it.
    await inSpan('request', { kind: SpanKind.SERVER }, () => withTransaction(pool, (tx) => tx.query('SELECT 3')));
    exporter.reset();
    await Promise.all([pool.query('SELECT 4'), pool.query('SELECT 5'), pool.query('SELECT 6')]);
    expect(finished()).toEqual([]);
  });
});

describe('the outbox relay', () => {
  it('publishes each row in a producer span of the trace that wrote it; the message carries that span', async () => {
    const broker = new BrokerConnection({ url: infra().rabbitmq.url });
    await broker.start();
    const test = await openTestChannel(infra().rabbitmq.url);
    const exchange = uniqueName('kit-spans');
    await test.channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
    const { queue } = await test.channel.assertQueue('', { exclusive: true });
    await test.channel.bindQueue(queue, exchange, '#');
    const relay = startOutboxRelay({ pool, broker, intervalMs: 20 });
    try {
      const traceId = await inSpan('request', { kind: SpanKind.SERVER }, async (span) => {
        await withTransaction(pool, (tx) =>
          enqueueOutbox(tx, { exchange, routingKey: 'order.confirmed', messageType: 'OrderConfirmed', payload: {} }),
        );
        return span.spanContext().traceId;
      });
      const [message] = await eventually(async () => {
        const got = await drainQueue(test.channel, queue);
        return got.length > 0 && got;
      });
      const publish = finished().find((span) => span.kind === SpanKind.PRODUCER);
      expect(publish?.name).toBe(`publish ${exchange}`);
      expect(publish?.spanContext().traceId).toBe(traceId);
      expect(publish?.attributes['messaging.destination.name']).toBe(exchange);
      const carried = extractTraceContext(message?.properties.headers as Record<string, unknown>);
      expect(trace.getSpanContext(carried)?.spanId).toBe(publish?.spanContext().spanId);
      // The relay's own claim and mark ran outside any span: no SQL spans of their own.
      expect(finished().filter((span) => span.name === 'kit-outbox-claim')).toEqual([]);
    } finally {
      await relay.stop();
      await test.close();
      await broker.close();
    }
  });
});

describe('resilience events', () => {
  it("puts retries on the call's span as events", async () => {
    const policy = createResiliencePolicy('stock', { retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } });
    let attempts = 0;
    const answer = await inSpan('GET stock', { kind: SpanKind.CLIENT }, () =>
      policy.execute(async () => {
        attempts += 1;
        if (attempts < 3) throw new DependencyNetworkError('stock', new Error(`refused ${randomUUID()}`));
        return 'ok';
      }),
    );
    expect(answer).toBe('ok');
    const call = finished().find((span) => span.name === 'GET stock');
    expect(call?.events.map((event) => event.name)).toEqual(['resilience.retry', 'resilience.retry']);
    expect(call?.events[0]?.attributes).toMatchObject({ dependency: 'stock', attempt: 2 });
  });

  it('puts the breaker opening on the span of the call that opened it', async () => {
    const policy = createResiliencePolicy('ledger', {
      retry: { maxAttempts: 1 },
      breaker: { threshold: 1, halfOpenAfterMs: 60_000 },
    });
    await inSpan('POST ledger', { kind: SpanKind.CLIENT }, () =>
      policy.execute(() => Promise.reject(new DependencyNetworkError('ledger', new Error('reset')))).catch(() => 'x'),
    );
    const call = finished().find((span) => span.name === 'POST ledger');
    expect(call?.events.map((event) => [event.name, event.attributes?.to])).toContainEqual([
      'resilience.breaker',
      'open',
    ]);
  });
});
