import type { Pool, Transaction } from './pool.ts';

/**
 * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK (and rethrow) when it throws. A
 * client whose rollback failed is discarded rather than returned to the pool.
 */
export async function withTransaction<T>(pool: Pool, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
