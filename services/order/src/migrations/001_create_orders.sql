-- Orders and the persisted state of their saga.
CREATE TABLE IF NOT EXISTS orders (
  id                  uuid PRIMARY KEY,
  idempotency_key     text NOT NULL UNIQUE,
  request_hash        text NOT NULL,
  status              text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
  saga_step           text NOT NULL,
  items               jsonb NOT NULL,
  total_cents         bigint NOT NULL CHECK (total_cents >= 0),
  currency            text NOT NULL,
  cancellation_reason text,
  cancellation_detail jsonb,
  -- Kept only while a charge may still be needed; cleared when the order becomes terminal.
  payment_token       text,
  charge_id           text,
  attempts            integer NOT NULL DEFAULT 0,
  -- Set while the recovery worker has something to do for the row (in-flight saga, charge audit).
  next_attempt_at     timestamptz,
  -- The saga lease: whoever holds an unexpired lease runs the saga; nobody else touches it.
  lease_token         uuid,
  lease_expires_at    timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS orders_due_idx ON orders (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_created_idx ON orders (created_at DESC);
CREATE INDEX IF NOT EXISTS orders_status_created_idx ON orders (status, created_at DESC);
