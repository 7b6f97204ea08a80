import { createPool, migrate, withTransaction, type Pool } from '@harness/kit';
import { createTestDatabase } from '@harness/runtime/testing';
import { loadMigrations } from '../../src/migrations.ts';
import type { InTransaction } from '../../src/refunds/createRefund.ts';

export interface PaymentDatabase {
  pool: Pool;
  url: string;
  inTransaction: InTransaction;
  close(): Promise<void>;
}

/** A fresh, migrated payment database; `close()` drops it. */
export async function paymentDatabase(): Promise<PaymentDatabase> {
  const database = await createTestDatabase('payment');
  const pool = createPool(database.url, { max: 20 });
  await migrate(pool, loadMigrations());
  return {
    pool,
    url: database.url,
    inTransaction: (work) => withTransaction(pool, work),
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}
