-- The order history read model (CQRS): one row per order, built only from the order events
-- (OrderConfirmed, OrderCancelled), owned by the gateway and nothing else. An event older than the
-- row's (by occurred_at) changes nothing, so redeliveries and reordering leave the newest state.
CREATE TABLE IF NOT EXISTS order_history (
  order_id            uuid        PRIMARY KEY,
  owner_id            text,
  status              text        NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
  -- Priced lines, total and currency: null only for an event that did not carry them.
  items               jsonb,
  total_cents         bigint,
  currency            text,
  cancellation_reason text,
  created_at          timestamptz NOT NULL,
  -- The occurredAt of the event the row was last built from.
  updated_at          timestamptz NOT NULL,
  event_id            uuid        NOT NULL,
  projected_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS order_history_owner_created ON order_history (owner_id, created_at DESC, order_id DESC);
