"""The contracts parse: the OpenAPI documents are valid OpenAPI 3.1, the AsyncAPI document has the
channel, operations and message the services use."""

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from orders import events as orders_events
from shipping import consumer

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"


@pytest.mark.parametrize("name", ["orders", "payments", "shipping"])
def test_the_openapi_document_is_valid(name: str) -> None:
    spec = yaml.safe_load((CONTRACTS / "openapi" / f"{name}.yaml").read_text())
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_the_asyncapi_document_names_what_the_services_use() -> None:
    spec = yaml.safe_load((CONTRACTS / "asyncapi" / "events.yaml").read_text())
    assert spec["asyncapi"] == "3.0.0"
    exchange = spec["channels"]["orderEvents"]
    assert exchange["address"] == orders_events.EXCHANGE == consumer.EXCHANGE
    assert spec["channels"]["shippingOrderConfirmed"]["address"] == consumer.QUEUE
    assert orders_events.ORDER_CONFIRMED_ROUTING_KEY == consumer.ROUTING_KEY
    assert set(spec["components"]["messages"]) == {orders_events.ORDER_CONFIRMED}
    assert {op["action"] for op in spec["operations"].values()} == {"send", "receive"}
