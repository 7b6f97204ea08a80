import pg from 'pg';

/** The services whose databases the e2e flows read. */
export type DatabaseOwner = 'order' | 'payment' | 'inventory' | 'notification';

/**
 * Read access to the services' own databases (`svc_<service>`) through the run's superuser URL,
 * straight to PostgreSQL (not through the services' Toxiproxy proxies, so faults never hide rows).
 */
export class ServiceDatabases {
  readonly #superuserUrl: string;
  readonly #pools = new Map<DatabaseOwner, pg.Pool>();

  constructor(superuserUrl: string) {
    this.#superuserUrl = superuserUrl;
  }

  async query<Row extends pg.QueryResultRow>(
    owner: DatabaseOwner,
    text: string,
    values: unknown[] = [],
  ): Promise<Row[]> {
    const result = await this.#pool(owner).query<Row>(text, values);
    return result.rows;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.end()));
    this.#pools.clear();
  }

  #pool(owner: DatabaseOwner): pg.Pool {
    let pool = this.#pools.get(owner);
    if (!pool) {
      const url = new URL(this.#superuserUrl);
      url.pathname = `/svc_${owner}`;
      pool = new pg.Pool({ connectionString: url.toString(), max: 2, application_name: 'harness-e2e' });
      this.#pools.set(owner, pool);
    }
    return pool;
  }
}
