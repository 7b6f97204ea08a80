-- Reserves every item or nothing, in one round trip and one transaction, so the product rows (the
-- hot rows under load) stay locked only for the duration of this call. Product rows are locked in
-- id order, so concurrent reservations and releases never deadlock.
--
-- p_product_ids / p_quantities are the requested items merged per product.
-- outcome: RESERVED (new), EXISTING (same order id and items), MISMATCH (same order id, other
-- items), UNKNOWN_PRODUCT or OUT_OF_STOCK (product_id, requested and in_stock name the first
-- culprit; nothing was written).
CREATE FUNCTION reserve_stock(
  p_order_id uuid,
  p_items jsonb,
  p_items_key text,
  p_product_ids text[],
  p_quantities integer[]
)
RETURNS TABLE (
  outcome text,
  product_id text,
  requested integer,
  in_stock integer,
  status text,
  items jsonb,
  created_at timestamptz,
  updated_at timestamptz
)
LANGUAGE plpgsql AS $$
DECLARE
  existing reservations%ROWTYPE;
  shortage record;
BEGIN
  -- Fast path for repeats: no product row is locked.
  SELECT * INTO existing FROM reservations r WHERE r.order_id = p_order_id;
  IF NOT FOUND THEN
    PERFORM 1 FROM products p WHERE p.id = ANY (p_product_ids) ORDER BY p.id FOR UPDATE;

    -- Checked again under the locks: a concurrent call for the same order may have committed.
    SELECT * INTO existing FROM reservations r WHERE r.order_id = p_order_id;
    IF NOT FOUND THEN
      SELECT w.id, w.quantity, p.available INTO shortage
        FROM unnest(p_product_ids, p_quantities) AS w(id, quantity)
        LEFT JOIN products p ON p.id = w.id
        WHERE p.id IS NULL OR p.available < w.quantity
        ORDER BY (p.id IS NOT NULL), w.id
        LIMIT 1;
      IF FOUND THEN
        RETURN QUERY SELECT
          CASE WHEN shortage.available IS NULL THEN 'UNKNOWN_PRODUCT' ELSE 'OUT_OF_STOCK' END,
          shortage.id::text, shortage.quantity::integer, shortage.available::integer,
          NULL::text, NULL::jsonb, NULL::timestamptz, NULL::timestamptz;
        RETURN;
      END IF;

      INSERT INTO reservations AS r (order_id, status, items, items_key)
        VALUES (p_order_id, 'RESERVED', p_items, p_items_key)
        ON CONFLICT (order_id) DO NOTHING
        RETURNING r.* INTO existing;
      IF FOUND THEN
        UPDATE products p
          SET available = p.available - w.quantity, reserved = p.reserved + w.quantity
          FROM unnest(p_product_ids, p_quantities) AS w(id, quantity)
          WHERE p.id = w.id;
        RETURN QUERY SELECT 'RESERVED', NULL::text, NULL::integer, NULL::integer,
          existing.status, existing.items, existing.created_at, existing.updated_at;
        RETURN;
      END IF;
      -- Lost an insert race on the order id (other items, so other locks): answer as a repeat.
      SELECT * INTO existing FROM reservations r WHERE r.order_id = p_order_id;
    END IF;
  END IF;

  RETURN QUERY SELECT
    CASE WHEN existing.items_key = p_items_key THEN 'EXISTING' ELSE 'MISMATCH' END,
    NULL::text, NULL::integer, NULL::integer,
    existing.status, existing.items, existing.created_at, existing.updated_at;
END;
$$;
