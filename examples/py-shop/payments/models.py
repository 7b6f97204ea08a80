"""The request and answer shapes of payments' API (contracts/openapi/payments.yaml)."""

from pydantic import BaseModel, ConfigDict

from common.fields import Cents, Text


class ChargeRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    orderId: Text(100)  # noqa: N815 - the JSON field names of the contract
    amountCents: Cents  # noqa: N815
    token: Text(128)
