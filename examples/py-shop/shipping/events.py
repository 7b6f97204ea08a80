"""The OrderConfirmed event as shipping reads it (contracts/asyncapi/events.yaml). A message that
does not parse into this is malformed and goes to the dead-letter queue."""

import uuid
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from common.fields import Text


class OrderConfirmed(BaseModel):
    model_config = ConfigDict(frozen=True)

    eventId: uuid.UUID  # noqa: N815 - the JSON field names of the contract
    orderId: Text(100)  # noqa: N815
    amountCents: Annotated[int, Field(ge=1, strict=True)]  # noqa: N815
    occurredAt: AwareDatetime  # noqa: N815


class Malformed(Exception):
    pass


def parse_order_confirmed(body: bytes | str) -> OrderConfirmed:
    try:
        return OrderConfirmed.model_validate_json(body)
    except ValidationError as exc:
        raise Malformed(str(exc)) from exc
