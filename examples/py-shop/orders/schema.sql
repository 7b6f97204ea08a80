-- orders' own database. Applied at every start; every statement is idempotent.
CREATE TABLE IF NOT EXISTS orders (
    id              uuid PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    fingerprint     text NOT NULL,          -- of the request body, to tell a replay from a reuse
    status          text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'DECLINED', 'FAILED')),
    items           jsonb NOT NULL,
    amount_cents    bigint NOT NULL,
    payment_token   text NOT NULL,
    failure_reason  text,
    lease_until     timestamptz NOT NULL,   -- while in the future, someone is settling the order
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_pending ON orders (lease_until) WHERE status = 'PENDING';

-- Transactional outbox: written in the transaction that confirms the order, published by the relay.
CREATE TABLE IF NOT EXISTS outbox (
    event_id     uuid PRIMARY KEY,
    event_type   text NOT NULL,
    routing_key  text NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
