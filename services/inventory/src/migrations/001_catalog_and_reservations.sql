-- Products and their stock. Stock is conserved: available + reserved only changes by restocking.
CREATE TABLE products (
  id          text PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  available   integer NOT NULL CHECK (available >= 0),
  reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);

-- One reservation per order id. `items` keeps the items as first requested; `items_key` is their
-- canonical form (merged per product, sorted) that tells a repeat from a mismatch.
CREATE TABLE reservations (
  order_id   uuid PRIMARY KEY,
  status     text NOT NULL CHECK (status IN ('RESERVED', 'RELEASED')),
  items      jsonb NOT NULL,
  items_key  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
