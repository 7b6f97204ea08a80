-- Who placed the order: the API key id the gateway authenticated it with (X-Owner-Id), carried by
-- the order's events so the gateway's read model keeps an order history per owner. Null for
-- orders placed without one (the service's own API, tests).
ALTER TABLE orders ADD COLUMN IF NOT EXISTS owner_id text;
