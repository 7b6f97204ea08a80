-- Every "e-mail" the notification service sent: one row per consumed order event.
CREATE TABLE IF NOT EXISTS notifications (
  id         uuid        PRIMARY KEY,
  order_id   uuid        NOT NULL,
  event_id   uuid        NOT NULL UNIQUE,
  kind       text        NOT NULL CHECK (kind IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED')),
  channel    text        NOT NULL DEFAULT 'email' CHECK (channel = 'email'),
  recipient  text        NOT NULL,
  subject    text        NOT NULL,
  body       text        NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS notifications_order_id_sent_at ON notifications (order_id, sent_at);
