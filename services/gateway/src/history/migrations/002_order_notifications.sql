-- The e-mails sent for each order, in the order history read model (CQRS): one row per
-- NotificationSent (from the notification service), owned by the gateway. A notification may
-- arrive before its order's event (another queue), so it is kept apart from order_history and
-- joined when read.
CREATE TABLE IF NOT EXISTS order_notifications (
  notification_id uuid        PRIMARY KEY,
  order_id        uuid        NOT NULL,
  kind            text        NOT NULL,
  sent_at         timestamptz NOT NULL,
  event_id        uuid        NOT NULL,
  projected_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS order_notifications_order_sent ON order_notifications (order_id, sent_at, kind);
