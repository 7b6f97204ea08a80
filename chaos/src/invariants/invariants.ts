import { queues } from '@harness/contracts';
import type { InvariantName } from '../scenario/Scenario.ts';
import { atMostOneChargePerOrder, cancelledOrdersRefunded } from './chargeInvariants.ts';
import { deadLettersAccounted } from './deadLettersAccounted.ts';
import type { Invariant } from './Invariant.ts';
import { confirmedNotifiedOnce } from './notifiedOnce.ts';
import { ordersTerminal, outboxPublished } from './orderInvariants.ts';
import { stockConserved, stockTotals } from './stockConserved.ts';
import type { InvariantContext } from './Invariant.ts';

/** Every business invariant, by the name scenarios use. */
export const invariants: Record<InvariantName, Invariant> = {
  'at-most-one-charge-per-order': atMostOneChargePerOrder,
  'cancelled-orders-refunded': cancelledOrdersRefunded,
  'stock-conserved': stockConserved,
  'orders-terminal': ordersTerminal,
  'outbox-published': outboxPublished,
  'confirmed-notified-once': confirmedNotifiedOnce,
  'dead-letters-accounted': deadLettersAccounted,
};

/** What the invariants compare against, taken when a scenario starts (stock per product). */
export async function invariantBaseline(db: InvariantContext['db']): Promise<Pick<InvariantContext, 'stockBaseline'>> {
  return { stockBaseline: await stockTotals(db('inventory')) };
}

/** The dead-letter queues of the reference system's consumers: each AsyncAPI queue's `<name>.dlq`. */
export const DEAD_LETTER_QUEUES: readonly string[] = Object.values(queues).map((queue) => `${queue.name}.dlq`);
