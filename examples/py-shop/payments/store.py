"""Charges in payments' database. The charge and the stored idempotent answer are written in one
transaction, so a replay always finds the answer of the charge that was made."""

from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from common.problems import Problem


def charge_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "orderId": row["order_id"],
        "amountCents": row["amount_cents"],
        "status": row["status"],
    }


async def record_charge(
    pool: AsyncConnectionPool, key: str, charge_id: str, order_id: str, amount_cents: int, status: str
) -> tuple[int, Any]:
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """INSERT INTO charges (id, order_id, amount_cents, status) VALUES (%s, %s, %s, %s)
               ON CONFLICT (order_id) DO NOTHING RETURNING id, order_id, amount_cents, status""",
            (charge_id, order_id, amount_cents, status),
        )
        row = await cur.fetchone()
        if row is None:
            answer = Problem(409, "ORDER_ALREADY_CHARGED", "This order already has a charge", orderId=order_id)
            status_code, body = answer.status, answer.body("/charges")
        elif row["status"] == "approved":
            status_code, body = 201, charge_json(row)
        else:
            answer = Problem(402, "PAYMENT_DECLINED", "Payment declined", "The card issuer declined the payment.")
            status_code, body = answer.status, answer.body("/charges")
        await conn.execute(
            "UPDATE idempotency_keys SET status_code = %s, response_body = %s WHERE key = %s",
            (status_code, Jsonb(body), key),
        )
        return status_code, body


async def charges_of_order(pool: AsyncConnectionPool, order_id: str) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, order_id, amount_cents, status FROM charges WHERE order_id = %s ORDER BY created_at",
            (order_id,),
        )
        return [charge_json(row) for row in await cur.fetchall()]


async def forget_order(pool: AsyncConnectionPool, order_id: str) -> None:
    """For Pact provider states only: no charge and no stored answer for this order."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("DELETE FROM charges WHERE order_id = %s", (order_id,))
        await conn.execute("DELETE FROM idempotency_keys WHERE response_body->>'orderId' = %s", (order_id,))
        await conn.execute("DELETE FROM idempotency_keys WHERE key = %s", (f"charge-{order_id}",))
