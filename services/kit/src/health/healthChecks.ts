import type { Pool } from 'pg';

/** A readiness check: resolves when the dependency is usable, throws when it is not. */
export type HealthCheck = () => Promise<void>;

export type CheckStatus = 'ok' | 'failing';

export interface HealthReport {
  status: CheckStatus;
  checks: Record<string, CheckStatus>;
  /** Why each failing check failed (not part of the contract's required members). */
  failures?: Record<string, string>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs);
        return [name, undefined] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  const report: HealthReport = {
    status: entries.every(([, failure]) => failure === undefined) ? 'ok' : 'failing',
    checks: Object.fromEntries(entries.map(([name, failure]) => [name, failure === undefined ? 'ok' : 'failing'])),
  };
  const failures = entries.filter(([, failure]) => failure !== undefined);
  if (failures.length > 0) report.failures = Object.fromEntries(failures) as Record<string, string>;
  return report;
}

/** PostgreSQL answers a trivial query. */
export function databaseCheck(pool: Pick<Pool, 'query'>): HealthCheck {
  return async () => {
    await pool.query('select 1');
  };
}

/** The broker connection is up (it reconnects by itself; this only reports). */
export function brokerCheck(broker: { isConnected(): boolean }): HealthCheck {
  return async () => {
    if (!broker.isConnected()) throw new Error('not connected to the broker');
  };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
