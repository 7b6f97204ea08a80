"""shipping's RabbitMQ consumer: declares its queue (bound to orders' exchange) and its
dead-letter queue, then handles each delivery with manual acknowledgement:

- shipped or duplicate: ack, after the database transaction committed;
- malformed: reject without requeue, so the broker dead-letters it;
- database unavailable: wait a moment, then nack with requeue (redelivered later).

When the broker goes away it reconnects and carries on."""

import asyncio
import logging

import aio_pika
from psycopg_pool import AsyncConnectionPool

from shipping import store
from shipping.handler import Outcome, handle

log = logging.getLogger("consumer")

EXCHANGE = "orders"  # orders' topic exchange
ROUTING_KEY = "order.confirmed"
QUEUE = "shipping.order-confirmed"
DEAD_LETTER_EXCHANGE = "shipping.dead-letter"
DEAD_LETTER_QUEUE = "shipping.order-confirmed.dead-letter"
PREFETCH = 10


async def declare(channel: aio_pika.abc.AbstractChannel) -> aio_pika.abc.AbstractQueue:
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    dead_letters = await channel.declare_exchange(DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True)
    dead_letter_queue = await channel.declare_queue(DEAD_LETTER_QUEUE, durable=True)
    await dead_letter_queue.bind(dead_letters)
    queue = await channel.declare_queue(QUEUE, durable=True, arguments={"x-dead-letter-exchange": DEAD_LETTER_EXCHANGE})
    await queue.bind(exchange, routing_key=ROUTING_KEY)
    return queue


async def on_message(pool: AsyncConnectionPool, message: aio_pika.abc.AbstractIncomingMessage) -> None:
    try:
        outcome = await handle(message.body, lambda event: store.record_shipment(pool, event))
    except Exception as exc:
        log.warning("message %s not processed (%s), requeueing", message.message_id, exc)
        await asyncio.sleep(1)
        await message.nack(requeue=True)
        return
    if outcome is Outcome.MALFORMED:
        log.warning("message %s is malformed, dead-lettering it", message.message_id)
        await message.reject(requeue=False)
    else:
        log.info("message %s: %s", message.message_id, outcome.value)
        await message.ack()


async def run_consumer(pool: AsyncConnectionPool, amqp_url: str) -> None:
    while True:
        try:
            connection = await aio_pika.connect(amqp_url, timeout=5)
            async with connection:
                channel = await connection.channel()
                await channel.set_qos(prefetch_count=PREFETCH)
                queue = await declare(channel)
                log.info("consuming %s", QUEUE)
                async with queue.iterator() as deliveries:
                    async for message in deliveries:
                        await on_message(pool, message)
            log.warning("broker connection closed; reconnecting")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("consumer: %s: %s; reconnecting in 1 s", type(exc).__name__, exc)
        await asyncio.sleep(1)
