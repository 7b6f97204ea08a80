"""The request and answer shapes of orders' API (contracts/openapi/orders.yaml)."""

from datetime import UTC
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from common.fields import Cents, Text


class Item(BaseModel):
    model_config = ConfigDict(strict=True)

    sku: Text(64)
    quantity: Annotated[int, Field(ge=1, le=1000)]


class PlaceOrder(BaseModel):
    model_config = ConfigDict(strict=True)

    items: Annotated[list[Item], Field(min_length=1, max_length=50)]
    amountCents: Cents  # noqa: N815 - the JSON field names of the contract
    paymentToken: Text(128)  # noqa: N815


def order_json(row: dict[str, Any]) -> dict[str, Any]:
    """An order as the API shows it; built from the stored row only, so replays are identical."""
    return {
        "id": str(row["id"]),
        "status": row["status"],
        "items": row["items"],
        "amountCents": row["amount_cents"],
        "createdAt": row["created_at"].astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
