"""The outbox relay: publishes unpublished outbox rows to RabbitMQ with publisher confirms and
marks a row published only after the broker confirmed it. While the broker is down (or nothing is
bound to route the event to, since messages are published `mandatory`) it keeps the rows and
retries, so no confirmed order's event is lost. Delivery is at least once: consumers dedupe on
eventId."""

import asyncio
import json
import logging

import aio_pika
from psycopg_pool import AsyncConnectionPool

from orders import events

log = logging.getLogger("outbox")
BATCH = 50
PUBLISH_TIMEOUT_S = 5


def to_message(row: dict) -> aio_pika.Message:
    return aio_pika.Message(
        body=json.dumps(row["payload"]).encode(),
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(row["event_id"]),
        type=row["event_type"],
        headers={"eventId": str(row["event_id"]), "eventType": row["event_type"]},
    )


async def publish_pending(pool: AsyncConnectionPool, exchange: aio_pika.abc.AbstractExchange) -> int:
    """Publishes one batch in one transaction; rows stay locked (and unpublished) until it commits."""
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """SELECT event_id, event_type, routing_key, payload FROM outbox WHERE published_at IS NULL
               ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED""",
            (BATCH,),
        )
        rows = await cur.fetchall()
        for row in rows:
            # Returns once the broker confirmed it; raises if the broker nacks or returns it unroutable.
            await exchange.publish(
                to_message(row), routing_key=row["routing_key"], mandatory=True, timeout=PUBLISH_TIMEOUT_S
            )
            await conn.execute("UPDATE outbox SET published_at = now() WHERE event_id = %s", (row["event_id"],))
        return len(rows)


async def run_relay(pool: AsyncConnectionPool, amqp_url: str, poll_ms: int) -> None:
    while True:
        try:
            connection = await aio_pika.connect(amqp_url, timeout=5)
            async with connection:
                channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
                exchange = await channel.declare_exchange(events.EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
                log.info("outbox relay connected")
                while True:
                    if await publish_pending(pool, exchange) == 0:
                        await asyncio.sleep(poll_ms / 1000)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("outbox relay: %s: %s; retrying in 1 s", type(exc).__name__, exc)
            await asyncio.sleep(1)
