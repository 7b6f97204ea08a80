"""Consumer pact: orders -> payments. orders' real PaymentsClient (with its resilience policy)
talks to Pact's mock server; the interactions are written to $PACT_DIR/orders-payments.json.

Provider state used (payments implements it at POST /_pact/provider-states):
- `no charge exists for the order` with params {orderId}."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from orders.payments_client import Charge, Declined, PaymentsClient
from orders.resilience import Policy
from orders.settings import PaymentsSettings
from pact import Pact, match

APPROVED_ORDER = "3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10"
DECLINED_ORDER = "9b2e7c41-5f3a-4d8e-8a6b-1c0d2e3f4a5b"
STATE = "no charge exists for the order"


@pytest.fixture(scope="module", autouse=True)
def _fresh_file(fresh_pact_file) -> None:
    fresh_pact_file("orders", "payments")


@pytest.fixture
def pact(pact_dir: Path) -> Iterator[Pact]:
    pact = Pact("orders", "payments").with_specification("V4")
    yield pact
    pact.write_file(pact_dir)


def charge(url: str, order_id: str, amount_cents: int, token: str) -> Charge:
    async def run() -> Charge:
        client = PaymentsClient.create(url, Policy(PaymentsSettings(retry_attempts=1)))
        try:
            return await client.charge(order_id, amount_cents, token)
        finally:
            await client.aclose()

    return asyncio.run(run())


def expect_charge(pact: Pact, description: str, order_id: str, amount_cents: int, token: str):
    return (
        pact.upon_receiving(description)
        .given(STATE, orderId=order_id)
        .with_request("POST", "/charges")
        .with_header("Idempotency-Key", f"charge-{order_id}")
        .with_header("Content-Type", "application/json")
        .with_body({"orderId": order_id, "amountCents": amount_cents, "token": token}, "application/json")
    )


def test_an_approved_charge(pact: Pact) -> None:
    (
        expect_charge(pact, "a charge with an approvable token", APPROVED_ORDER, 1999, "tok_approve")
        .will_respond_with(201)
        .with_header("Content-Type", "application/json")
        .with_body(
            {
                "id": match.uuid("0eaff784-9aab-43bd-a0ed-84d05eba413a"),
                "orderId": APPROVED_ORDER,
                "amountCents": 1999,
                "status": "approved",
            },
            "application/json",
        )
    )
    with pact.serve(addr="127.0.0.1") as server:
        result = charge(str(server.url), APPROVED_ORDER, 1999, "tok_approve")
    assert result.order_id == APPROVED_ORDER
    assert result.amount_cents == 1999


def test_a_declined_charge(pact: Pact) -> None:
    (
        expect_charge(pact, "a charge with a declined token", DECLINED_ORDER, 2500, "tok_decline")
        .will_respond_with(402)
        .with_header("Content-Type", "application/problem+json")
        .with_body(
            {
                "type": match.str("/problems/payment-declined"),
                "title": match.str("Payment declined"),
                "status": 402,
                "code": "PAYMENT_DECLINED",
            },
            "application/problem+json",
        )
    )
    with pact.serve(addr="127.0.0.1") as server, pytest.raises(Declined):
        charge(str(server.url), DECLINED_ORDER, 2500, "tok_decline")
