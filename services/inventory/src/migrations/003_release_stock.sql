-- Releases the stock held for an order (idempotent), in one round trip and one transaction.
--
-- When the order id has no reservation and p_tombstone_items is given (the OrderCancelled event
-- carries the order's items), a RELEASED reservation is recorded instead, so that a reservation
-- request still in flight for that cancelled order can never take stock afterwards: it finds the
-- released reservation and answers with it.
--
-- outcome: RELEASED (released now), ALREADY_RELEASED, TOMBSTONED, NOT_FOUND.
CREATE FUNCTION release_stock(p_order_id uuid, p_tombstone_items jsonb, p_tombstone_items_key text)
RETURNS TABLE (outcome text, status text, items jsonb, created_at timestamptz, updated_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  existing reservations%ROWTYPE;
BEGIN
  SELECT * INTO existing FROM reservations r WHERE r.order_id = p_order_id FOR UPDATE;
  IF NOT FOUND THEN
    IF p_tombstone_items IS NULL THEN
      RETURN QUERY SELECT 'NOT_FOUND', NULL::text, NULL::jsonb, NULL::timestamptz, NULL::timestamptz;
      RETURN;
    END IF;
    INSERT INTO reservations AS r (order_id, status, items, items_key)
      VALUES (p_order_id, 'RELEASED', p_tombstone_items, p_tombstone_items_key)
      ON CONFLICT (order_id) DO NOTHING
      RETURNING r.* INTO existing;
    IF FOUND THEN
      RETURN QUERY SELECT 'TOMBSTONED', existing.status, existing.items, existing.created_at, existing.updated_at;
      RETURN;
    END IF;
    -- A reservation committed concurrently: release it.
    SELECT * INTO existing FROM reservations r WHERE r.order_id = p_order_id FOR UPDATE;
  END IF;

  IF existing.status = 'RELEASED' THEN
    RETURN QUERY SELECT 'ALREADY_RELEASED', existing.status, existing.items, existing.created_at, existing.updated_at;
    RETURN;
  END IF;

  PERFORM 1 FROM products p
    WHERE p.id IN (SELECT i."productId" FROM jsonb_to_recordset(existing.items) AS i("productId" text))
    ORDER BY p.id FOR UPDATE;
  UPDATE products p
    SET available = p.available + w.quantity, reserved = p.reserved - w.quantity
    FROM (
      SELECT i."productId" AS id, sum(i.quantity)::integer AS quantity
      FROM jsonb_to_recordset(existing.items) AS i("productId" text, quantity integer)
      GROUP BY i."productId"
    ) AS w
    WHERE p.id = w.id;
  UPDATE reservations r SET status = 'RELEASED', updated_at = now()
    WHERE r.order_id = p_order_id
    RETURNING r.* INTO existing;
  RETURN QUERY SELECT 'RELEASED', existing.status, existing.items, existing.created_at, existing.updated_at;
END;
$$;
