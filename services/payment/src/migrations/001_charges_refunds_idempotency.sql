-- Charges made through the simulated PSP. Only succeeded charges are stored; a declined attempt
-- lives on as the stored response of its idempotency key.
CREATE TABLE charges (
  id              text PRIMARY KEY,
  order_id        uuid NOT NULL,
  amount_cents    integer NOT NULL CHECK (amount_cents > 0),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status          text NOT NULL CHECK (status = 'SUCCEEDED'),
  refunded_cents  integer NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
  idempotency_key text NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL
);
CREATE INDEX charges_by_order ON charges (order_id, created_at);

CREATE TABLE refunds (
  id              text PRIMARY KEY,
  charge_id       text NOT NULL REFERENCES charges (id),
  amount_cents    integer NOT NULL CHECK (amount_cents > 0),
  reason          text,
  idempotency_key text NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL
);
CREATE INDEX refunds_by_charge ON refunds (charge_id);

-- Idempotency-Key records (IETF draft / Stripe semantics). A key is IN_FLIGHT while its first
-- request runs (holder identified by lock_token, claim expiring at locked_until, so a crashed
-- holder does not block the key forever), then COMPLETED with the response to replay.
CREATE TABLE idempotency_keys (
  key             text PRIMARY KEY,
  fingerprint     text NOT NULL,
  state           text NOT NULL CHECK (state IN ('IN_FLIGHT', 'COMPLETED')),
  lock_token      uuid,
  locked_until    timestamptz,
  response_status integer,
  response_body   jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
