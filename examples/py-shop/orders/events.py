"""The OrderConfirmed event (contracts/asyncapi/events.yaml). The outbox stores exactly what this
builds, and the Pact message endpoint answers with it too."""

import uuid
from datetime import UTC, datetime
from typing import Any

EXCHANGE = "orders"  # topic exchange, durable
ORDER_CONFIRMED = "OrderConfirmed"
ORDER_CONFIRMED_ROUTING_KEY = "order.confirmed"


def order_confirmed(order_id: str, amount_cents: int) -> dict[str, Any]:
    return {
        "eventId": str(uuid.uuid4()),
        "orderId": order_id,
        "amountCents": amount_cents,
        "occurredAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
