import type { LinkSpec, RunSecrets } from '@harness/runtime';
import type { Invariant, InvariantContext } from '../invariants/Invariant.ts';
import type { LineItemSpec, WorkloadStream } from '../scenario/Scenario.ts';
import type { WorkloadClient } from '../workload/WorkloadClient.ts';

/**
 * What the kit runner needs to know of a system's business, given by the system (its config's
 * `chaos.kit` names the module, whose default export is `defineKitDomain({ ... })`). The runner
 * itself knows the kit's mechanisms (breakers, retries, bulkheads, outbox, idempotent consumers)
 * and the config's topology; everything that names the system's own API, data or events is here.
 */
export interface KitDomain {
  /**
   * The workload's client of the entry service's public API. A stream that reads through a link
   * (`read-orders` with `link`) gets one made with that link: `baseUrl` is the origin of the link's
   * proxy, and a GraphQL link's client asks over GraphQL.
   */
  client(options: { baseUrl: string; secrets: RunSecrets; link?: LinkSpec }): WorkloadClient;
  /** The `order-confirmed` steady-state probe places this order and expects a 201. */
  canaryOrder: { items: readonly LineItemSpec[]; paymentToken: string };
  /** Business invariants, by the names scenarios list (the kit's `dead-letters-accounted` is added). */
  invariants: Readonly<Record<string, Invariant>>;
  /** What the invariants compare against, taken as each scenario starts (`InvariantContext.baseline`). */
  baseline?(db: InvariantContext['db']): Promise<Readonly<Record<string, unknown>>>;
  /** The exchange the system's events go to: poison messages and duplicates are published there. */
  eventsExchange: string;
  /** The consumers' dead-letter queues (read by `dead-letters-accounted`). */
  deadLetterQueues: readonly string[];
  /** The functional workload every `harness explore` run drives (its times from the start of the run). */
  exploreWorkload?: readonly WorkloadStream[];
  /** HTTP links whose caller answers from a fallback (2xx without the dependency's part) while its breaker is open. */
  fallbackLinks?: readonly string[];
}

/** Types a kit domain module: `export default defineKitDomain({ ... })`. */
export function defineKitDomain(domain: KitDomain): KitDomain {
  return domain;
}
