-- payments' own database. Applied at every start; every statement is idempotent.
CREATE TABLE IF NOT EXISTS charges (
    id           uuid PRIMARY KEY,
    order_id     text NOT NULL UNIQUE,  -- at most one charge per order
    amount_cents bigint NOT NULL,
    status       text NOT NULL CHECK (status IN ('approved', 'declined')),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per Idempotency-Key: the request's fingerprint, and the answer once there is one
-- (status_code NULL while the first request is still being processed).
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key           text PRIMARY KEY,
    fingerprint   text NOT NULL,
    status_code   integer,
    response_body jsonb,
    locked_at     timestamptz NOT NULL DEFAULT now()
);
