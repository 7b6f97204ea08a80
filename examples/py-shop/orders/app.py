"""orders: takes orders, charges them through payments, publishes OrderConfirmed.
`uvicorn orders.app:app` (cwd examples/py-shop).

POST /orders places an order (Idempotency-Key required), GET /orders/{id} reads one, GET /health
answers 200 while the database answers."""

import asyncio
import contextlib
import logging
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from common.db import apply_schema, is_healthy, make_pool
from common.fields import check_text
from common.fingerprint import fingerprint
from common.problems import Problem, install_problem_handlers, invalid
from orders import settings as orders_settings
from orders import store
from orders.models import PlaceOrder, order_json
from orders.outbox_relay import run_relay
from orders.pact_messages import pact_messages_router
from orders.payments_client import PaymentsClient
from orders.resilience import Policy
from orders.settlement import Settled, Settler

logging.basicConfig(level=logging.INFO, format="%(asctime)s orders %(name)s %(levelname)s %(message)s")
logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per payments call is too much
settings = orders_settings.from_env()


@asynccontextmanager
async def lifespan(app: FastAPI):
    pool = make_pool(settings.database_url, max_size=20)
    await pool.open(wait=False)
    await apply_schema(pool, Path(__file__).with_name("schema.sql"))
    payments = PaymentsClient.create(settings.payments.url, Policy(settings.payments))
    settler = Settler(pool, payments, settings)
    app.state.pool, app.state.settler = pool, settler
    background = [
        asyncio.create_task(run_relay(pool, settings.amqp_url, settings.outbox_poll_ms)),
        asyncio.create_task(settler.recovery_loop()),
    ]
    try:
        yield
    finally:
        for task in background:
            task.cancel()
        for task in background:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await payments.aclose()
        await pool.close()


app = FastAPI(title="orders", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
install_problem_handlers(app)
if settings.pact_endpoints:
    app.include_router(pact_messages_router)


def outcome(settled: Settled, replayed: bool = False) -> JSONResponse:
    """The answer for an order's state; a replay of a settled order gives the same answer again."""
    order = settled.order
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    status, order_id = order["status"], str(order["id"])
    if status == "CONFIRMED":
        return JSONResponse(order_json(order), status_code=201, headers={**headers, "Location": f"/orders/{order_id}"})
    if status == "DECLINED":
        problem = Problem(
            402,
            "PAYMENT_DECLINED",
            "Payment declined",
            "The card issuer declined the payment.",
            headers=headers,
            orderId=order_id,
        )
    elif status == "FAILED":
        problem = Problem(
            503,
            "PAYMENTS_UNAVAILABLE",
            "Payments unavailable",
            "Payments stayed unavailable and the order failed; place it again with a new Idempotency-Key.",
            headers=headers,
            orderId=order_id,
            orderStatus=status,
        )
    else:  # still PENDING: the recovery loop settles it; asking again with the same key gives the result
        retry = str(settled.retry_after_s)
        problem = Problem(
            503,
            "PAYMENTS_UNAVAILABLE",
            "Payments unavailable",
            "The order is pending and will be settled; ask again with the same Idempotency-Key.",
            headers={**headers, "Retry-After": retry},
            orderId=order_id,
            orderStatus=status,
            retryAfterSeconds=settled.retry_after_s,
        )
    return problem.response("/orders")


@app.post("/orders")
async def place_order(
    request: Request, order: PlaceOrder, key: str | None = Header(default=None, alias="Idempotency-Key")
) -> JSONResponse:
    if key is None:
        raise Problem(400, "IDEMPOTENCY_KEY_MISSING", "Idempotency-Key header is required")
    if not check_text(key, 255):
        raise invalid("/header/Idempotency-Key", "must be 1 to 255 characters without NUL")
    pool, settler = request.app.state.pool, request.app.state.settler
    body = order.model_dump()
    row, created = await store.create(pool, key, fingerprint(body), body, settings.lease_ms)
    if created:
        return outcome(await settler.settle(row))
    if row["fingerprint"] != fingerprint(body):
        raise Problem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key was used with a different body")
    if row["status"] != "PENDING":
        return outcome(Settled(row), replayed=True)
    claimed = await store.claim(pool, row["id"], settings.lease_ms)
    if claimed is None:  # another request or the recovery loop is settling it right now
        raise Problem(
            409,
            "IDEMPOTENCY_CONFLICT",
            "A request with this Idempotency-Key is in progress",
            headers={"Retry-After": "1"},
            retryAfterSeconds=1,
            orderId=str(row["id"]),
        )
    return outcome(await settler.settle(claimed))


@app.get("/orders/{order_id}")
async def get_order(request: Request, order_id: str) -> dict[str, Any]:
    try:
        parsed = uuid.UUID(order_id)
    except ValueError:
        parsed = None
    row = await store.get(request.app.state.pool, parsed) if parsed else None
    if row is None:
        raise Problem(404, "ORDER_NOT_FOUND", "Order not found")
    return order_json(row)


@app.get("/health")
async def health(request: Request) -> JSONResponse:
    if await is_healthy(request.app.state.pool):
        return JSONResponse({"status": "ok"})
    raise Problem(
        503, "DEPENDENCY_UNAVAILABLE", "Database unavailable", headers={"Retry-After": "1"}, retryAfterSeconds=1
    )
