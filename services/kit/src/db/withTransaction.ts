import type { Pool, Transaction } from './pool.ts';

/**
 * Runs `fn` with a client checked out of the pool. Errors the client emits while checked out
 * (the server went away) are captured instead of crashing the process, and a client that failed
 * is discarded rather than returned to the pool.
 */
export async function withClient<T>(pool: Pool, fn: (client: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => void (broken ??= error);
  client.on('error', onError);
  try {
    return await fn(client);
  } catch (error) {
    if (broken === undefined && isConnectionFailure(error)) broken = error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK (and rethrow) when it throws. */
export function withTransaction<T>(pool: Pool, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && (code.startsWith('08') || code === '57P01')) ||
    (error instanceof Error && /Connection terminated|ECONNRESET|ECONNREFUSED/.test(error.message))
  );
}
