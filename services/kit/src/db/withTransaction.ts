import { isConnectionFailure } from './connectionFailures.ts';
import type { Pool, Transaction } from './pool.ts';

/**
 * Runs `fn` with a client checked out of the pool. Errors the client emits while checked out
 * (the server went away) are captured instead of crashing the process, and a client that failed
 * (connection lost, refused, reset or terminated, or a query that timed out) is released with the
 * error, so the pool discards it rather than handing a dead or confused connection to the next
 * caller.
 */
export async function withClient<T>(pool: Pool, fn: (client: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => void (broken ??= error);
  client.on('error', onError);
  try {
    return await fn(client);
  } catch (error) {
    if (broken === undefined && isConnectionFailure(error)) broken = asError(error);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK (and rethrow) when it throws.
 * On a dead connection no ROLLBACK is attempted (the server rolls back when it goes away, and the
 * attempt would only wait for its own timeout).
 */
export function withTransaction<T>(pool: Pool, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!isConnectionFailure(error)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
