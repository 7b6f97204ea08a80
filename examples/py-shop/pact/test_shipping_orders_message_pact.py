"""Message pact: shipping consumes OrderConfirmed from orders. Each message of the pact goes
through shipping's real handler (parse + validate + record); the pact is written to
$PACT_DIR/shipping-orders.json.

orders produces the message for verification at POST /_pact/messages (description
`an OrderConfirmed event`)."""

import asyncio
from pathlib import Path

from pact import Pact, match
from shipping.events import OrderConfirmed
from shipping.handler import Outcome, handle

ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"


def test_order_confirmed_is_shipped(pact_dir: Path, fresh_pact_file) -> None:
    fresh_pact_file("shipping", "orders")
    pact = Pact("shipping", "orders").with_specification("V4")
    (
        pact.upon_receiving("an OrderConfirmed event", "Async")
        .with_body(
            {
                "eventId": match.uuid("6f1c2f8e-0b7a-4d0e-9a51-3c2f8b9a7d10"),
                "orderId": match.uuid("3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10"),
                "amountCents": match.int(1999),
                "occurredAt": match.regex("2026-01-01T12:00:00.000Z", regex=ISO_DATETIME),
            },
            "application/json",
        )
        .with_metadata({"contentType": "application/json"})
    )

    recorded: list[OrderConfirmed] = []

    async def record(event: OrderConfirmed) -> bool:
        recorded.append(event)
        return True

    def handler(body: str | bytes | None, metadata: dict[str, object]) -> None:
        assert body is not None
        outcome = asyncio.run(handle(body, record))
        assert outcome is Outcome.SHIPPED, outcome

    pact.verify(handler, "Async")
    assert [str(e.orderId) for e in recorded] == ["3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10"]
    pact.write_file(pact_dir)
