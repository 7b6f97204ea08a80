import { isDatabaseUnavailable } from '../db/connectionFailures.ts';
import type { Pool, Transaction } from '../db/pool.ts';
import { preparedName } from '../db/preparedName.ts';
import { withTransaction } from '../db/withTransaction.ts';
import { mutantActive } from '../mutants.ts';
import type { ConsumedMessage } from './consumedMessage.ts';

/** A parameterised statement (`$1…$n`) reading the `recorded` CTE; see `ConsumerOptions.effect`. */
export interface EffectStatement {
  name?: string;
  text: string;
  values: readonly unknown[];
}

export type RecordOutcome = 'duplicate' | 'processed';

/**
 * Records the event id in processed_events and runs the handler in the same transaction
 * (BEGIN, record, handler, COMMIT); a duplicate id skips the handler.
 */
export function recordThenHandle<Payload>(
  pool: Pool,
  consumerName: string,
  message: ConsumedMessage<Payload>,
  handle: (tx: Transaction, message: ConsumedMessage<Payload>) => Promise<void>,
  progress: { handlerRan: boolean },
): Promise<RecordOutcome> {
  return withTransaction(pool, async (tx) => {
    const recorded = await tx.query({
      name: 'kit-record-processed-event',
      text: 'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      values: [consumerName, message.eventId],
    });
    // Mutant consumer-dedupe-off (harness mutate only): a known event id is handled again.
    if (recorded.rowCount === 0 && !mutantActive('consumer-dedupe-off')) return 'duplicate';
    progress.handlerRan = true;
    await handle(tx, message);
    return 'processed';
  });
}

/**
 * Records the event id and applies the effect statement in one SQL statement (one round trip,
 * atomic). The effect reads the `recorded` CTE, so it does nothing for a duplicate.
 */
export async function recordWithEffect<Payload>(
  pool: Pool,
  consumerName: string,
  message: ConsumedMessage<Payload>,
  effect: (message: ConsumedMessage<Payload>) => EffectStatement,
  progress: { handlerRan: boolean },
): Promise<RecordOutcome> {
  try {
    const statement = effect(message);
    if (!/\brecorded\b/.test(statement.text)) throw new Error('the effect statement must read the recorded CTE');
    const n = statement.values.length;
    // Mutant consumer-dedupe-off (harness mutate only): a known event id is "recorded" again, so
    // the effect runs again.
    const onConflict = mutantActive('consumer-dedupe-off')
      ? 'ON CONFLICT (consumer, event_id) DO UPDATE SET processed_at = now()'
      : 'ON CONFLICT DO NOTHING';
    const text = `WITH recorded AS (
        INSERT INTO processed_events (consumer, event_id) VALUES ($${n + 1}, $${n + 2})
        ${onConflict} RETURNING event_id
      ),
      effect AS (${statement.text})
      SELECT count(*)::int AS recorded FROM recorded`;
    const { rows } = await pool.query<{ recorded: number }>({
      ...(statement.name === undefined ? {} : { name: preparedName(`kit-consume-${statement.name}`, text) }),
      text,
      values: [...statement.values, consumerName, message.eventId],
    });
    return rows[0]?.recorded === 1 ? 'processed' : 'duplicate';
  } catch (error) {
    // Unless the database could not be reached, the effect itself failed: that uses up an attempt.
    progress.handlerRan = !isDatabaseUnavailable(error);
    throw error;
  }
}
