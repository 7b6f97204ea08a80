/** What an invariant (or a fault reading the outbox) needs from a database connection (a pg Pool or Client). */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}
