import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { changeWithOutbox } from '../src/messaging/changeWithOutbox.ts';
import { outboxMigration } from '../src/messaging/messagingMigrations.ts';
import { inSpan, SpanKind } from '../src/observability/tracing.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('kit_change_outbox');
  pool = createPool(database.url);
  await migrate(pool, [
    outboxMigration,
    {
      id: '001-tickets',
      sql: `CREATE TABLE tickets (id uuid PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
    },
  ]);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function newTicket(): Promise<string> {
  const id = randomUUID();
  await pool.query(`INSERT INTO tickets (id, status) VALUES ($1, 'OPEN')`, [id]);
  return id;
}

const closeTicket = (id: string) => ({
  name: 'close-ticket',
  text: `UPDATE tickets SET status = 'CLOSED', updated_at = now() WHERE id = $1 AND status = 'OPEN'
         RETURNING id, status, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS closed_at`,
  values: [id],
});

const ticketClosed = (id: string) => ({
  exchange: 'tickets',
  routingKey: 'ticket.closed',
  messageType: 'TicketClosed',
  payload: { ticketId: id },
  headers: { schemaVersion: 1 },
});

async function outboxRowsOf(id: string) {
  const { rows } = await pool.query<{ event_id: string; payload: Record<string, unknown>; headers: object }>(
    `SELECT event_id, payload, headers FROM outbox WHERE payload->>'ticketId' = $1`,
    [id],
  );
  return rows;
}

describe('changeWithOutbox', () => {
  it('changes the row and enqueues its event in one statement, with values the statement computed', async () => {
    const id = await newTicket();
    const { rows, eventId, traceId } = await inSpan('close', { kind: SpanKind.SERVER }, async (span) => ({
      traceId: span.spanContext().traceId,
      ...(await changeWithOutbox<{ id: string; status: string; closed_at: string }>(
        pool,
        closeTicket(id),
        ticketClosed(id),
        { payloadFromRow: { closedAt: 'closed_at' } },
      )),
    }));
    expect(rows).toEqual([{ id, status: 'CLOSED', closed_at: expect.stringMatching(/Z$/) }]);
    const outbox = await outboxRowsOf(id);
    expect(outbox).toEqual([
      {
        event_id: eventId,
        payload: { ticketId: id, closedAt: rows[0]!.closed_at },
        headers: {
          schemaVersion: 1,
          eventId,
          eventType: 'TicketClosed',
          traceparent: expect.stringContaining(traceId),
        },
      },
    ]);
  });

  it('enqueues nothing when the statement changes nothing (its guard failed)', async () => {
    const id = await newTicket();
    await changeWithOutbox(pool, closeTicket(id), ticketClosed(id));
    const again = await changeWithOutbox(pool, closeTicket(id), ticketClosed(id));
    expect(again).toEqual({ rows: [], eventId: undefined });
    expect(await outboxRowsOf(id)).toHaveLength(1);
  });

  it('changes nothing when the event cannot be enqueued', async () => {
    const id = await newTicket();
    const duplicateEventId = randomUUID();
    await changeWithOutbox(pool, closeTicket(await newTicket()), { ...ticketClosed(id), eventId: duplicateEventId });
    await expect(
      changeWithOutbox(pool, closeTicket(id), { ...ticketClosed(id), eventId: duplicateEventId }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await pool.query('SELECT status FROM tickets WHERE id = $1', [id]);
    expect(rows).toEqual([{ status: 'OPEN' }]);
  });

  it('refuses a payload column that is not a plain column name', async () => {
    const id = await newTicket();
    await expect(
      changeWithOutbox(pool, closeTicket(id), ticketClosed(id), { payloadFromRow: { x: 'id; DROP TABLE tickets' } }),
    ).rejects.toThrow(/not a plain column name/);
  });
});
