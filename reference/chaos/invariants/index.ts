import type { Invariant, InvariantContext } from '@harness/chaos';
import { atMostOneChargePerOrder, cancelledOrdersRefunded } from './chargeInvariants.ts';
import { confirmedNotifiedOnce } from './notifiedOnce.ts';
import { ordersTerminal, outboxPublished } from './orderInvariants.ts';
import { readModelConverged } from './readModelConverged.ts';
import { stockConserved, stockTotals } from './stockConserved.ts';

/** The shop's business invariants, by the names scenarios use. */
export const shopInvariants: Record<string, Invariant> = {
  'at-most-one-charge-per-order': atMostOneChargePerOrder,
  'cancelled-orders-refunded': cancelledOrdersRefunded,
  'stock-conserved': stockConserved,
  'orders-terminal': ordersTerminal,
  'outbox-published': outboxPublished,
  'confirmed-notified-once': confirmedNotifiedOnce,
  'read-model-converged': readModelConverged,
};

/** What the invariants compare against, taken when a scenario starts: stock per product. */
export async function shopBaseline(db: InvariantContext['db']): Promise<{ stock: ReadonlyMap<string, number> }> {
  return { stock: await stockTotals(db('inventory')) };
}
