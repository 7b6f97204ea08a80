"""Orders in orders' database. Every change of status is guarded by `status = 'PENDING'`, so a
settled order never changes again, and confirming writes the OrderConfirmed event to the outbox in
the same transaction."""

import uuid
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from orders import events

Row = dict[str, Any]


async def create(
    pool: AsyncConnectionPool, key: str, fingerprint: str, body: dict[str, Any], lease_ms: int
) -> tuple[Row, bool]:
    """The order for this Idempotency-Key, and whether it was created now (then the caller holds its lease)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            """INSERT INTO orders
                 (id, idempotency_key, fingerprint, status, items, amount_cents, payment_token, lease_until)
               VALUES (%s, %s, %s, 'PENDING', %s, %s, %s, now() + make_interval(secs => %s))
               ON CONFLICT (idempotency_key) DO NOTHING RETURNING *""",
            (
                uuid.uuid4(),
                key,
                fingerprint,
                Jsonb(body["items"]),
                body["amountCents"],
                body["paymentToken"],
                lease_ms / 1000,
            ),
        )
        row = await cur.fetchone()
        if row is not None:
            return row, True
        cur = await conn.execute("SELECT * FROM orders WHERE idempotency_key = %s", (key,))
        return await cur.fetchone(), False


async def get(pool: AsyncConnectionPool, order_id: uuid.UUID) -> Row | None:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
        return await cur.fetchone()


async def claim(pool: AsyncConnectionPool, order_id: uuid.UUID, lease_ms: int) -> Row | None:
    """Takes the lease of a pending order nobody is settling; None if it is settled or taken."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE orders SET lease_until = now() + make_interval(secs => %s)
               WHERE id = %s AND status = 'PENDING' AND lease_until <= now() RETURNING *""",
            (lease_ms / 1000, order_id),
        )
        return await cur.fetchone()


async def claim_due(pool: AsyncConnectionPool, lease_ms: int, limit: int) -> list[Row]:
    """For the recovery loop: takes the leases of up to `limit` pending orders nobody is settling."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE orders SET lease_until = now() + make_interval(secs => %s)
               WHERE id IN (SELECT id FROM orders WHERE status = 'PENDING' AND lease_until <= now()
                            ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED)
               RETURNING *""",
            (lease_ms / 1000, limit),
        )
        return await cur.fetchall()


async def confirm(pool: AsyncConnectionPool, order_id: uuid.UUID) -> Row | None:
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """UPDATE orders SET status = 'CONFIRMED', failure_reason = NULL, updated_at = now()
               WHERE id = %s AND status = 'PENDING' RETURNING *""",
            (order_id,),
        )
        row = await cur.fetchone()
        if row is not None:
            event = events.order_confirmed(str(row["id"]), row["amount_cents"])
            await conn.execute(
                "INSERT INTO outbox (event_id, event_type, routing_key, payload) VALUES (%s, %s, %s, %s)",
                (event["eventId"], events.ORDER_CONFIRMED, events.ORDER_CONFIRMED_ROUTING_KEY, Jsonb(event)),
            )
        return row


async def decline(pool: AsyncConnectionPool, order_id: uuid.UUID) -> Row | None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE orders SET status = 'DECLINED', failure_reason = NULL, updated_at = now()
               WHERE id = %s AND status = 'PENDING' RETURNING *""",
            (order_id,),
        )
        return await cur.fetchone()


async def fail(pool: AsyncConnectionPool, order_id: uuid.UUID, reason: str) -> Row | None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE orders SET status = 'FAILED', failure_reason = %s, updated_at = now()
               WHERE id = %s AND status = 'PENDING' RETURNING *""",
            (reason, order_id),
        )
        return await cur.fetchone()


async def postpone(pool: AsyncConnectionPool, order_id: uuid.UUID, reason: str, deadline_ms: int) -> Row | None:
    """payments gave no answer: release the lease for the recovery loop, or, once the order is
    older than the deadline, give up and mark it FAILED."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE orders SET
                 status = CASE WHEN created_at <= now() - make_interval(secs => %s) THEN 'FAILED' ELSE status END,
                 failure_reason = %s, lease_until = now(), updated_at = now()
               WHERE id = %s AND status = 'PENDING' RETURNING *""",
            (deadline_ms / 1000, reason, order_id),
        )
        return await cur.fetchone()
