import type { Migration } from '../db/migrate.ts';

/** The transactional outbox table of a producing service. */
export const outboxMigration: Migration = {
  id: 'kit-001-outbox',
  sql: `
    CREATE TABLE IF NOT EXISTS outbox (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      exchange text NOT NULL,
      routing_key text NOT NULL,
      message_type text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    );
    CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (created_at, id) WHERE published_at IS NULL;
  `,
};

/** Event ids a consumer has processed, written in the same transaction as its side effect. */
export const processedEventsMigration: Migration = {
  id: 'kit-002-processed-events',
  sql: `
    CREATE TABLE IF NOT EXISTS processed_events (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );
  `,
};
