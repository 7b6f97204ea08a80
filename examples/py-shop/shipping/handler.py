"""What shipping does with one delivered message, apart from the broker: parse and validate it,
then record the shipment once per event id. The consumer maps the outcome to ack or dead-letter;
the Pact message test runs messages through this same function."""

from collections.abc import Awaitable, Callable
from enum import Enum

from shipping.events import Malformed, OrderConfirmed, parse_order_confirmed


class Outcome(Enum):
    SHIPPED = "shipped"  # a shipment was created
    DUPLICATE = "duplicate"  # this event id was processed before: nothing changed
    MALFORMED = "malformed"  # not an OrderConfirmed: dead-letter it


Record = Callable[[OrderConfirmed], Awaitable[bool]]  # True if new, False if the event id was seen


async def handle(body: bytes | str, record: Record) -> Outcome:
    try:
        event = parse_order_confirmed(body)
    except Malformed:
        return Outcome.MALFORMED
    return Outcome.SHIPPED if await record(event) else Outcome.DUPLICATE
