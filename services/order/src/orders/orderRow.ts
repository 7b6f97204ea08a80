import type { CancellationDetail, CancellationReason, OrderItem, OrderRecord, OrderStatus, SagaStep } from './Order.ts';

/**
 * What the stores need from PostgreSQL: one parameterised query (a pg Pool or PoolClient). Named
 * queries are prepared once per connection.
 */
export interface SqlClient {
  query<Row extends object>(query: {
    name?: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: Row[]; rowCount?: number | null }>;
}

/** An `orders` row as pg returns it. */
export interface OrderRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  owner_id: string | null;
  status: OrderStatus;
  saga_step: SagaStep;
  items: OrderItem[];
  total_cents: string | number;
  currency: string;
  cancellation_reason: CancellationReason | null;
  cancellation_detail: CancellationDetail | null;
  payment_token: string | null;
  charge_id: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  lease_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const orderColumns = `id, idempotency_key, request_hash, owner_id, status, saga_step, items, total_cents, currency,
  cancellation_reason, cancellation_detail, payment_token, charge_id, attempts, next_attempt_at, lease_expires_at, created_at, updated_at`;

export function toOrderRecord(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    ownerId: row.owner_id,
    status: row.status,
    sagaStep: row.saga_step,
    items: row.items,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    cancellationReason: row.cancellation_reason,
    cancellationDetail: row.cancellation_detail,
    paymentToken: row.payment_token,
    chargeId: row.charge_id,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
