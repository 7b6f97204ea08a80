import pg from 'pg';
import { loadMigrations } from '../../src/migrations.ts';
import type { InTransaction } from '../../src/refunds/createRefund.ts';
import type { SqlClient } from '../../src/sqlClient.ts';
import { createTestDatabase } from './testDatabase.ts';

export interface PaymentDatabase {
  pool: pg.Pool;
  inTransaction: InTransaction;
  close(): Promise<void>;
}

/** A fresh, migrated payment database. */
export async function paymentDatabase(): Promise<PaymentDatabase> {
  const url = await createTestDatabase('payment');
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  for (const migration of loadMigrations()) await pool.query(migration.sql);
  const inTransaction: InTransaction = async <T>(work: (tx: SqlClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  return { pool, inTransaction, close: () => pool.end() };
}
