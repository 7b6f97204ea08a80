"""OrderConfirmed as orders builds it conforms to contracts/asyncapi/events.yaml, and shipping's
handler ships it once, skips a duplicate and dead-letters what is malformed."""

import asyncio
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml

from orders.events import order_confirmed
from shipping.events import OrderConfirmed
from shipping.handler import Outcome, handle

EVENTS = Path(__file__).resolve().parent.parent / "contracts" / "asyncapi" / "events.yaml"


def payload_schema() -> dict:
    spec = yaml.safe_load(EVENTS.read_text())
    return spec["components"]["schemas"]["OrderConfirmedPayload"]


def test_the_built_event_conforms_to_the_asyncapi_schema() -> None:
    event = order_confirmed(str(uuid.uuid4()), 1999)
    jsonschema.validate(event, payload_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


class Inbox:
    """The idempotent consumer's dedupe, in memory."""

    def __init__(self) -> None:
        self.seen: set[uuid.UUID] = set()

    async def record(self, event: OrderConfirmed) -> bool:
        if event.eventId in self.seen:
            return False
        self.seen.add(event.eventId)
        return True


def test_shipping_ships_an_event_once() -> None:
    inbox = Inbox()
    body = json.dumps(order_confirmed(str(uuid.uuid4()), 1999)).encode()
    assert asyncio.run(handle(body, inbox.record)) is Outcome.SHIPPED
    assert asyncio.run(handle(body, inbox.record)) is Outcome.DUPLICATE


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        json.dumps(
            {"eventId": "nope", "orderId": "o", "amountCents": 1, "occurredAt": "2026-01-01T00:00:00Z"}
        ).encode(),
        json.dumps(
            {"eventId": str(uuid.uuid4()), "orderId": "o", "amountCents": "1", "occurredAt": "2026-01-01T00:00:00Z"}
        ).encode(),
        json.dumps(
            {"eventId": str(uuid.uuid4()), "orderId": "o\u0000", "amountCents": 1, "occurredAt": "2026-01-01T00:00:00Z"}
        ).encode(),
        json.dumps(
            {"eventId": str(uuid.uuid4()), "orderId": "o", "amountCents": 1, "occurredAt": "2026-01-01T00:00:00"}
        ).encode(),
    ],
)
def test_a_malformed_message_is_dead_lettered(body: bytes) -> None:
    inbox = Inbox()
    assert asyncio.run(handle(body, inbox.record)) is Outcome.MALFORMED
    assert not inbox.seen
