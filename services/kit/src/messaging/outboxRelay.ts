import { withTransaction } from '../db/withTransaction.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../observability/logger.ts';
import type { KitMetrics } from '../observability/metrics.ts';
import { extractTraceContext, injectTraceHeaders, inSpan, SpanKind } from '../observability/tracing.ts';
import type { MessagePublisher } from './BrokerConnection.ts';
import { outboxRowValues, type OutboxEvent } from './enqueueOutbox.ts';

export interface OutboxRelayOptions {
  pool: Pool;
  broker: MessagePublisher;
  logger?: Logger;
  metrics?: KitMetrics;
  /** Pause between runs when the outbox is drained. Default 500 ms. */
  intervalMs?: number;
  batchSize?: number;
  /**
   * Publish as mandatory, so an event no queue is bound for stays pending instead of being
   * dropped by the exchange. Default true.
   */
  mandatory?: boolean;
  /**
   * The partition key of a row's message (Kafka keeps one key's messages in order). Default: the
   * payload's `orderId`, so one order's events arrive in the order they were enqueued.
   */
  keyOf?: (payload: unknown) => string | undefined;
}

export interface OutboxRelay {
  /** Publishes one batch now; resolves to how many rows were published. */
  runOnce(): Promise<number>;
  /** Stops scheduling and waits for the batch in flight. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  event_id: string;
  exchange: string;
  routing_key: string;
  message_type: string;
  payload: unknown;
  headers: Record<string, unknown>;
  created_at: Date;
}

/**
 * Publishes outbox rows: claims a batch of unpublished rows (FOR UPDATE SKIP LOCKED, so several
 * relays can run), publishes each persistently with messageId = eventId and waits for the
 * broker's confirms, then marks the confirmed ones published in the same transaction. Rows whose
 * publish failed stay pending for a later run. A crash after publishing and before the mark
 * publishes the event again later: delivery is at least once, consumers deduplicate.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, broker, logger, metrics } = options;
  const intervalMs = options.intervalMs ?? 500;
  const batchSize = options.batchSize ?? 50;
  const mandatory = options.mandatory ?? true;
  const keyOf = options.keyOf ?? orderIdOf;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  async function runOnce(): Promise<number> {
    const published = await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<OutboxRow>({
        name: 'kit-outbox-claim',
        text: `SELECT id, event_id, exchange, routing_key, message_type, payload, headers, created_at
                 FROM outbox WHERE published_at IS NULL
                ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        values: [batchSize],
      });
      const results = await Promise.allSettled(rows.map((row) => publishInSpan(broker, row, mandatory, keyOf)));
      const confirmed = rows.filter((_row, index) => results[index]?.status === 'fulfilled').map((row) => row.id);
      const failures = rows.flatMap((row, index) => {
        const result = results[index];
        return result?.status === 'rejected' ? [{ id: row.id, reason: String(result.reason) }] : [];
      });
      if (confirmed.length > 0) {
        await tx.query({
          name: 'kit-outbox-published',
          text: 'UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
          values: [confirmed],
        });
      }
      if (failures.length > 0) {
        await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])', [
          failures.map((failure) => failure.id),
          failures[0]?.reason,
        ]);
        logger?.warn(
          { failed: failures.length, reason: failures[0]?.reason },
          'outbox publish failed, rows stay pending',
        );
      }
      metrics?.outboxPublished.inc(confirmed.length);
      metrics?.outboxPublishFailures.inc(failures.length);
      return { count: confirmed.length, claimed: rows.length };
    });
    await refreshGauges();
    return published.count;
  }

  async function refreshGauges(): Promise<void> {
    if (!metrics) return;
    const { rows } = await pool.query<{ pending: number; lag: number }>({
      name: 'kit-outbox-gauges',
      text: `SELECT count(*)::int AS pending,
                    COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS lag
               FROM outbox WHERE published_at IS NULL`,
    });
    metrics.outboxPending.set(rows[0]?.pending ?? 0);
    metrics.outboxLag.set(rows[0]?.lag ?? 0);
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = runOnce().then(
        (count) => schedule(count === batchSize ? 0 : intervalMs),
        (error: unknown) => {
          logger?.warn({ err: error }, 'outbox relay run failed');
          schedule(intervalMs);
        },
      );
    }, delayMs);
  }

  schedule(0);
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/**
 * Publishes an event straight to the broker, as the message the relay would make of its outbox
 * row. Only the outbox-bypassed mutant (harness mutate) does this: an event published after its
 * change committed is lost when the broker is unreachable or the process dies in between.
 */
export function publishBypassingOutbox(broker: MessagePublisher, event: OutboxEvent): Promise<void> {
  const { eventId, values } = outboxRowValues(event);
  const row: OutboxRow = {
    id: String(values[0]),
    event_id: eventId,
    exchange: event.exchange,
    routing_key: event.routingKey,
    message_type: event.messageType,
    payload: event.payload,
    headers: values[6] as Record<string, unknown>,
    created_at: new Date(),
  };
  return broker.publish(messageOf(row, true, orderIdOf));
}

/** One row's publish as a PRODUCER span of the trace that wrote it; the message carries the span. */
function publishInSpan(
  broker: MessagePublisher,
  row: OutboxRow,
  mandatory: boolean,
  keyOf: (payload: unknown) => string | undefined,
): Promise<void> {
  return inSpan(
    `publish ${row.exchange}`,
    {
      kind: SpanKind.PRODUCER,
      parent: extractTraceContext(row.headers),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.exchange,
        'messaging.rabbitmq.destination.routing_key': row.routing_key,
        'messaging.message.id': row.event_id,
      },
    },
    async () => {
      const message = messageOf(row, mandatory, keyOf);
      injectTraceHeaders(message.options.headers);
      await broker.publish(message);
    },
  );
}

function orderIdOf(payload: unknown): string | undefined {
  const orderId = (payload as { orderId?: unknown } | null)?.orderId;
  return typeof orderId === 'string' ? orderId : undefined;
}

function messageOf(row: OutboxRow, mandatory: boolean, keyOf: (payload: unknown) => string | undefined) {
  const key = keyOf(row.payload);
  return {
    exchange: row.exchange,
    routingKey: row.routing_key,
    content: Buffer.from(JSON.stringify(row.payload)),
    ...(key === undefined ? {} : { key }),
    options: {
      persistent: true,
      mandatory,
      messageId: row.event_id,
      type: row.message_type,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      timestamp: Math.floor(row.created_at.getTime() / 1000),
      headers: { ...row.headers, eventId: row.event_id, eventType: row.message_type },
    },
  };
}
