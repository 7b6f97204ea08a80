"""A client's bad input is refused by the models (a 400), never passed on to the database."""

import pytest
from pydantic import ValidationError

from orders.models import PlaceOrder
from payments.decision import decide
from payments.models import ChargeRequest

GOOD = {"items": [{"sku": "A", "quantity": 1}], "amountCents": 100, "paymentToken": "tok_approve"}


def test_a_good_order_is_accepted() -> None:
    assert PlaceOrder.model_validate(GOOD).amountCents == 100


@pytest.mark.parametrize(
    "bad",
    [
        {**GOOD, "items": []},
        {**GOOD, "items": [{"sku": "A\x00", "quantity": 1}]},
        {**GOOD, "items": [{"sku": "A", "quantity": 0}]},
        {**GOOD, "items": [{"sku": "A", "quantity": "1"}]},
        {**GOOD, "amountCents": 0},
        {**GOOD, "amountCents": "100"},
        {**GOOD, "amountCents": True},
        {**GOOD, "paymentToken": ""},
        {**GOOD, "paymentToken": "tok\x00"},
        {"items": GOOD["items"], "amountCents": 100},
    ],
)
def test_a_bad_order_is_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        PlaceOrder.model_validate(bad)


def test_a_charge_request_refuses_nul() -> None:
    with pytest.raises(ValidationError):
        ChargeRequest.model_validate({"orderId": "o\x00", "amountCents": 1, "token": "tok_approve"})


def test_only_the_approve_token_is_approved() -> None:
    assert decide("tok_approve") == "approved"
    assert decide("tok_decline") == "declined"
    assert decide("tok_anything_else") == "declined"
