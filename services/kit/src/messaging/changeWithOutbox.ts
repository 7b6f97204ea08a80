import { preparedName } from '../db/preparedName.ts';
import { OUTBOX_COLUMNS, outboxRowValues, type OutboxEvent } from './enqueueOutbox.ts';

/** A data-modifying statement with RETURNING (`UPDATE … RETURNING …`), parameterised `$1…$n`. */
export interface ChangeStatement {
  /** Prepared once per connection under this name (suffixed with a hash of the whole SQL), when given. */
  name?: string;
  text: string;
  values: readonly unknown[];
}

export interface ChangeWithOutboxOptions {
  /**
   * Payload members taken from the first returned row: `{ occurredAt: 'occurred_at' }` sets
   * `payload.occurredAt` to that column's value (as JSON), so the event can carry what the
   * database computed in the same statement (a timestamp, a version).
   */
  payloadFromRow?: Readonly<Record<string, string>>;
}

export interface ChangeWithOutboxResult<Row> {
  rows: Row[];
  /** The event's id when the statement changed a row (and the event was enqueued). */
  eventId: string | undefined;
}

/** What runs the statement: a pg Pool or client, or anything with the same `query(config)`. */
export interface StatementRunner {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

const columnName = /^[a-z_][a-z0-9_]*$/;
/**
 * Runs a data-modifying statement and, in the same SQL statement, adds `event` to the outbox when
 * it returned at least one row: one round trip instead of BEGIN / change / INSERT / COMMIT, and
 * atomic all the same (a single statement is its own transaction). When the statement changes
 * nothing (a guard in its WHERE failed), nothing is enqueued.
 */
export async function changeWithOutbox<Row extends object>(
  db: StatementRunner,
  statement: ChangeStatement,
  event: OutboxEvent,
  options: ChangeWithOutboxOptions = {},
): Promise<ChangeWithOutboxResult<Row>> {
  const { eventId, values } = outboxRowValues(event);
  const base = statement.values.length;
  const p = (index: number) => `$${base + index}`;
  const fromRow = Object.entries(options.payloadFromRow ?? {});
  for (const [, column] of fromRow) {
    if (!columnName.test(column)) throw new Error(`changeWithOutbox: not a plain column name: ${column}`);
  }
  const payload =
    fromRow.length === 0
      ? `${p(6)}::jsonb`
      : `${p(6)}::jsonb || jsonb_build_object(${fromRow
          .map(([member, column]) => `'${member.replaceAll("'", "''")}', changed_row."${column}"`)
          .join(', ')})`;
  const text = `WITH changed AS (${statement.text}),
  enqueued AS (
    INSERT INTO outbox (${OUTBOX_COLUMNS})
    SELECT ${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}, ${p(4)}, ${p(5)}, ${payload}, ${p(7)}::jsonb
    FROM (SELECT * FROM changed LIMIT 1) AS changed_row
  )
  SELECT * FROM changed`;
  // A data-modifying CTE always runs to completion, whether the main query reads it or not.
  const { rows } = await db.query({
    ...(statement.name === undefined ? {} : { name: preparedName(`${statement.name}+outbox`, text) }),
    text,
    values: [...statement.values, ...values],
  });
  return { rows: rows as Row[], eventId: rows.length > 0 ? eventId : undefined };
}
