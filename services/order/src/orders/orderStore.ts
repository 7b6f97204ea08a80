import type { CancellationDetail, CancellationReason, NewOrder, OrderRecord, OrderStatus, SagaStep } from './Order.ts';
import { orderColumns, toOrderRecord, type OrderRow, type SqlClient } from './orderRow.ts';

/** Who runs a saga right now: a lease token and how long the lease lasts from each renewal. */
export interface SagaLease {
  token: string;
  durationMs: number;
}

/**
 * SQL over the `orders` table. Every write of a running saga is guarded by its lease token, so a
 * runner that lost its lease (it stalled past the expiry and the worker took over) changes nothing.
 */
export function createOrderStore(db: SqlClient) {
  const one = async (query: { name?: string; text: string; values: unknown[] }): Promise<OrderRecord | undefined> => {
    const { rows } = await db.query<OrderRow>(query);
    return rows[0] === undefined ? undefined : toOrderRecord(rows[0]);
  };

  return {
    /** Inserts a PENDING order holding the lease; undefined when the Idempotency-Key is taken. */
    insertPending(order: NewOrder, lease: SagaLease): Promise<OrderRecord | undefined> {
      return one({
        name: 'order-insert-pending',
        text: `INSERT INTO orders (id, idempotency_key, request_hash, status, saga_step, items, total_cents, currency,
                 payment_token, next_attempt_at, lease_token, lease_expires_at, owner_id)
               VALUES ($1, $2, $3, 'PENDING', 'CREATED', $4, $5, $6, $7, now(), $8, now() + $9 * interval '1 millisecond', $10)
               ON CONFLICT (idempotency_key) DO NOTHING
               RETURNING ${orderColumns}`,
        values: [
          order.id,
          order.idempotencyKey,
          order.requestHash,
          JSON.stringify(order.items),
          order.totalCents,
          order.currency,
          order.paymentToken,
          lease.token,
          lease.durationMs,
          order.ownerId,
        ],
      });
    },

    /**
     * Frees an Idempotency-Key whose order was cancelled only because a dependency was unavailable
     * (a 503 the client was told to retry): the cancelled order keeps its record under a superseded
     * key, and the retry with the same key places a fresh order. True when this call freed it.
     */
    async supersedeRetryableCancellation(idempotencyKey: string, orderId: string): Promise<boolean> {
      const { rowCount } = await db.query({
        name: 'order-supersede-key',
        text: `UPDATE orders SET idempotency_key = idempotency_key || '#superseded:' || id, updated_at = now()
               WHERE id = $1 AND idempotency_key = $2 AND status = 'CANCELLED'
                 AND cancellation_reason IN ('PAYMENT_UNAVAILABLE', 'INVENTORY_UNAVAILABLE')`,
        values: [orderId, idempotencyKey],
      });
      return (rowCount ?? 0) > 0;
    },

    findByKey(idempotencyKey: string): Promise<OrderRecord | undefined> {
      return one({
        name: 'order-by-key',
        text: `SELECT ${orderColumns} FROM orders WHERE idempotency_key = $1`,
        values: [idempotencyKey],
      });
    },

    findById(id: string): Promise<OrderRecord | undefined> {
      return one({ name: 'order-by-id', text: `SELECT ${orderColumns} FROM orders WHERE id = $1`, values: [id] });
    },

    async list(filter: { status?: OrderStatus; limit: number }): Promise<OrderRecord[]> {
      const query =
        filter.status === undefined
          ? {
              name: 'orders-list',
              text: `SELECT ${orderColumns} FROM orders ORDER BY created_at DESC LIMIT $1`,
              values: [filter.limit],
            }
          : {
              name: 'orders-list-by-status',
              text: `SELECT ${orderColumns} FROM orders WHERE status = $1 ORDER BY created_at DESC LIMIT $2`,
              values: [filter.status, filter.limit],
            };
      const { rows } = await db.query<OrderRow>(query);
      return rows.map(toOrderRecord);
    },

    /** Persists the next step of a running saga and renews the lease; false when the lease is lost. */
    async advanceStep(id: string, lease: SagaLease, step: SagaStep): Promise<boolean> {
      const { rows } = await db.query<{ id: string }>({
        name: 'order-advance-step',
        text: `UPDATE orders SET saga_step = $3, lease_expires_at = now() + $4 * interval '1 millisecond', updated_at = now()
               WHERE id = $1 AND lease_token = $2 AND status = 'PENDING' RETURNING id`,
        values: [id, lease.token, step, lease.durationMs],
      });
      return rows.length > 0;
    },

    /** Leaves an unsettled saga to the recovery worker: records the step, frees the lease. */
    async scheduleRetry(id: string, lease: SagaLease, step: SagaStep, delayMs: number): Promise<boolean> {
      const { rows } = await db.query<{ id: string }>({
        name: 'order-schedule-retry',
        text: `UPDATE orders SET saga_step = $3, next_attempt_at = now() + $4 * interval '1 millisecond',
                 lease_token = NULL, lease_expires_at = NULL, updated_at = now()
               WHERE id = $1 AND lease_token = $2 RETURNING id`,
        values: [id, lease.token, step, Math.max(0, Math.round(delayMs))],
      });
      return rows.length > 0;
    },

    /** Frees a lease without changing the saga (shutdown): the worker may take the row at once. */
    async releaseLease(id: string, lease: SagaLease): Promise<void> {
      await db.query({
        name: 'order-release-lease',
        text: `UPDATE orders SET lease_token = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_token = $2`,
        values: [id, lease.token],
      });
    },

    /**
     * Claims up to `limit` rows the worker has to look at (due, nobody holding a live lease),
     * counting one more attempt for each. SKIP LOCKED lets several workers claim side by side.
     */
    async claimDue(lease: SagaLease, limit: number): Promise<OrderRecord[]> {
      const { rows } = await db.query<OrderRow>({
        name: 'orders-claim-due',
        text: `UPDATE orders o SET lease_token = $1, lease_expires_at = now() + $2 * interval '1 millisecond',
                 attempts = o.attempts + 1
               FROM (SELECT id FROM orders
                     WHERE next_attempt_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now())
                     ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
               WHERE o.id = due.id
               RETURNING o.*`,
        values: [lease.token, lease.durationMs, limit],
      });
      return rows.map(toOrderRecord);
    },

    /** PENDING → CONFIRMED under the lease; undefined when the lease is lost or the order settled. */
    confirm(id: string, lease: SagaLease, chargeId: string | null): Promise<OrderRecord | undefined> {
      return one(confirmStatement(id, lease, chargeId));
    },

    /**
     * PENDING → CANCELLED under the lease. With `auditAfterMs` the row stays due for the worker
     * (step CHARGE_AUDIT) to look for a charge that may have happened and refund it.
     */
    cancel(
      id: string,
      lease: SagaLease,
      reason: CancellationReason,
      detail: CancellationDetail,
      auditAfterMs: number | undefined,
    ): Promise<OrderRecord | undefined> {
      return one(cancelStatement(id, lease, reason, detail, auditAfterMs));
    },

    /** Ends the worker's business with a settled order (e.g. its charge audit: REFUNDED or CANCELLED). */
    async finishAudit(id: string, lease: SagaLease, step: SagaStep, chargeId: string | null): Promise<void> {
      await db.query({
        name: 'order-finish-audit',
        text: `UPDATE orders SET saga_step = $3, charge_id = COALESCE($4, charge_id), next_attempt_at = NULL,
                 lease_token = NULL, lease_expires_at = NULL, updated_at = now()
               WHERE id = $1 AND lease_token = $2`,
        values: [id, lease.token, step, chargeId],
      });
    },
  };
}

export type OrderStore = ReturnType<typeof createOrderStore>;

/** A parameterised statement that returns the changed order row (and `occurred_at`, its time). */
export interface OrderChange {
  name: string;
  text: string;
  values: unknown[];
}

/** When the change happened, as the events carry it (ISO 8601, milliseconds, UTC). */
const occurredAt = `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at`;

/** PENDING → CONFIRMED under the lease (no row when the lease is lost or the order settled). */
export function confirmStatement(id: string, lease: SagaLease, chargeId: string | null): OrderChange {
  return {
    name: 'order-confirm',
    text: `UPDATE orders SET status = 'CONFIRMED', saga_step = 'CONFIRMED', charge_id = $3, payment_token = NULL,
             next_attempt_at = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
           WHERE id = $1 AND lease_token = $2 AND status = 'PENDING'
           RETURNING ${orderColumns}, ${occurredAt}`,
    values: [id, lease.token, chargeId],
  };
}

/** PENDING → CANCELLED under the lease; with `auditAfterMs` the row stays due (CHARGE_AUDIT). */
export function cancelStatement(
  id: string,
  lease: SagaLease,
  reason: CancellationReason,
  detail: CancellationDetail,
  auditAfterMs: number | undefined,
): OrderChange {
  return {
    name: 'order-cancel',
    text: `UPDATE orders SET status = 'CANCELLED', cancellation_reason = $3, cancellation_detail = $4,
             payment_token = NULL, attempts = 0, lease_token = NULL, lease_expires_at = NULL, updated_at = now(),
             saga_step = CASE WHEN $5::bigint IS NULL THEN 'CANCELLED' ELSE 'CHARGE_AUDIT' END,
             next_attempt_at = CASE WHEN $5::bigint IS NULL THEN NULL ELSE now() + $5::bigint * interval '1 millisecond' END
           WHERE id = $1 AND lease_token = $2 AND status = 'PENDING'
           RETURNING ${orderColumns}, ${occurredAt}`,
    values: [id, lease.token, reason, JSON.stringify(detail), auditAfterMs ?? null],
  };
}
