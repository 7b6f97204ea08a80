/**
 * What the stores need from PostgreSQL: one parameterised query (a pg Pool or PoolClient). Named
 * queries are prepared once per connection.
 */
export interface SqlClient {
  query<Row extends object>(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: Row[] }>;
}
