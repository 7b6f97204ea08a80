import pg from 'pg';
import type { InjectedPoison } from '../faults/messageFaults.ts';
import type { Queryable, ServiceDatabase } from '../invariants/Invariant.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';

export type Profile = 'ci' | 'full';

/** What every scenario of one `harness chaos` run shares. */
export interface RunContext {
  system: ChaosSystem;
  profile: Profile;
  seed: number | undefined;
  /** Unique per run: prefixes Idempotency-Keys and poison tags. */
  runTag: string;
  /** Poison messages injected so far in this run (for the dead-letter accounting). */
  poisons: InjectedPoison[];
  db(service: ServiceDatabase): Queryable;
  /** Aborted on Ctrl-C: the scenario in progress stops, rolls back and reports. */
  signal: AbortSignal;
  log(line: string): void;
}

/**
 * One small pool per service database, as the superuser and straight to PostgreSQL (not through
 * the services' proxies, whose faults must not blind the checks).
 */
export function serviceDatabases(superuserUrl: string): { db: RunContext['db']; close(): Promise<void> } {
  const pools = new Map<ServiceDatabase, pg.Pool>();
  return {
    db(service) {
      let pool = pools.get(service);
      if (!pool) {
        const url = new URL(superuserUrl);
        url.pathname = `/svc_${service}`;
        pool = new pg.Pool({ connectionString: url.toString(), max: 3, idleTimeoutMillis: 5_000 });
        pool.on('error', () => undefined);
        pools.set(service, pool);
      }
      return pool as unknown as Queryable;
    },
    async close() {
      await Promise.allSettled([...pools.values()].map((pool) => pool.end()));
      pools.clear();
    },
  };
}
