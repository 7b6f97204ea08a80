"""Shipments in shipping's database."""

import uuid
from datetime import UTC
from typing import Any

from psycopg_pool import AsyncConnectionPool

from shipping.events import OrderConfirmed


async def record_shipment(pool: AsyncConnectionPool, event: OrderConfirmed) -> bool:
    """Dedupe and side effect in one transaction: True if the shipment was created now."""
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            "INSERT INTO processed_events (event_id) VALUES (%s) ON CONFLICT DO NOTHING RETURNING event_id",
            (event.eventId,),
        )
        if await cur.fetchone() is None:
            return False
        await conn.execute(
            "INSERT INTO shipments (id, order_id, event_id, amount_cents) VALUES (%s, %s, %s, %s)",
            (uuid.uuid4(), event.orderId, event.eventId, event.amountCents),
        )
        return True


def shipment_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "orderId": row["order_id"],
        "eventId": str(row["event_id"]),
        "amountCents": row["amount_cents"],
        "status": row["status"],
        "createdAt": row["created_at"].astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


async def shipments_of_order(pool: AsyncConnectionPool, order_id: str) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT * FROM shipments WHERE order_id = %s ORDER BY created_at", (order_id,))
        return [shipment_json(row) for row in await cur.fetchall()]
