import pg from 'pg';
import { bypassProxy, type InfraDescription, type InvariantConfig } from '@harness/runtime';

export interface InvariantOutcome {
  name: string;
  holds: boolean;
  detail: string;
}

/**
 * Checks the config's invariants against the run's databases (straight, not through a proxy a
 * fault may still slow down): a SQL invariant holds when its query returns no rows, or one row
 * whose first value equals `expect`; a TypeScript one when its check returns no violation.
 */
export async function checkInvariants(
  invariants: readonly InvariantConfig[],
  infra: InfraDescription,
  urlOf: (service: string) => string,
): Promise<InvariantOutcome[]> {
  const query = async (
    service: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<Array<Record<string, unknown>>> => {
    const address = infra.services[service];
    if (!address?.databaseUrl) throw new Error(`service "${service}" has no database`);
    const client = new pg.Client({ connectionString: bypassProxy(address.databaseUrl, infra.proxies) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  };
  const outcomes: InvariantOutcome[] = [];
  for (const invariant of invariants) {
    try {
      if ('sql' in invariant) {
        const rows = await query(invariant.database, invariant.sql);
        if (invariant.expect === undefined) {
          outcomes.push({
            name: invariant.name,
            holds: rows.length === 0,
            detail:
              rows.length === 0
                ? 'no violating row'
                : `${rows.length} violating rows, first: ${JSON.stringify(rows[0])}`,
          });
        } else {
          const value = rows[0] === undefined ? undefined : Object.values(rows[0])[0];
          const holds = rows.length === 1 && String(value) === String(invariant.expect);
          outcomes.push({
            name: invariant.name,
            holds,
            detail: `got ${JSON.stringify(value)}, expected ${JSON.stringify(invariant.expect)}`,
          });
        }
      } else {
        const violations = await invariant.check({ query, url: urlOf });
        outcomes.push({
          name: invariant.name,
          holds: violations.length === 0,
          detail: violations.length === 0 ? 'holds' : violations.slice(0, 5).join('; '),
        });
      }
    } catch (error) {
      outcomes.push({
        name: invariant.name,
        holds: false,
        detail: `could not be checked: ${(error as Error).message}`,
      });
    }
  }
  return outcomes;
}
