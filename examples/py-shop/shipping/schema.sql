-- shipping's own database. Applied at every start; every statement is idempotent.

-- Idempotent consumer: an event id is recorded in the transaction that creates its shipment, so a
-- redelivered event finds its id here and changes nothing.
CREATE TABLE IF NOT EXISTS processed_events (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS shipments (
    id           uuid PRIMARY KEY,
    order_id     text NOT NULL,
    event_id     uuid NOT NULL REFERENCES processed_events (event_id),
    amount_cents bigint NOT NULL,
    status       text NOT NULL DEFAULT 'SCHEDULED',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS shipments_order ON shipments (order_id);
