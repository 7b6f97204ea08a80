-- Idempotency-Key records are kept for a retention window (PAYMENT_IDEMPOTENCY_RETENTION_HOURS),
-- then purged; the charges and refunds stay. A key sent again after its record was purged is a
-- new key, so the key a charge or refund was made with is no longer unique among them: it stays
-- on the row (indexed) as a record of which request made it.
ALTER TABLE charges DROP CONSTRAINT charges_idempotency_key_key;
CREATE INDEX charges_by_idempotency_key ON charges (idempotency_key);
ALTER TABLE refunds DROP CONSTRAINT refunds_idempotency_key_key;
CREATE INDEX refunds_by_idempotency_key ON refunds (idempotency_key);

-- What the purge looks for: completed keys by completion time, abandoned claims by expiry.
CREATE INDEX idempotency_keys_completed ON idempotency_keys (completed_at) WHERE state = 'COMPLETED';
CREATE INDEX idempotency_keys_abandoned ON idempotency_keys (locked_until) WHERE state = 'IN_FLIGHT';
