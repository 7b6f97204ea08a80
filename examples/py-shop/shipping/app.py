"""shipping: creates a shipment for every confirmed order, from the OrderConfirmed events.
`uvicorn shipping.app:app` (cwd examples/py-shop).

GET /shipments?orderId= lists an order's shipments, GET /health answers 200 while the database
answers."""

import asyncio
import contextlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

from common.db import apply_schema, is_healthy, make_pool
from common.fields import check_text
from common.problems import Problem, install_problem_handlers, invalid
from common.settings import env_str
from shipping import store
from shipping.consumer import run_consumer

logging.basicConfig(level=logging.INFO, format="%(asctime)s shipping %(name)s %(levelname)s %(message)s")


@asynccontextmanager
async def lifespan(app: FastAPI):
    pool = make_pool(env_str("DATABASE_URL"))
    await pool.open(wait=False)
    await apply_schema(pool, Path(__file__).with_name("schema.sql"))
    app.state.pool = pool
    consumer = asyncio.create_task(run_consumer(pool, env_str("AMQP_URL")))
    try:
        yield
    finally:
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
        await pool.close()


app = FastAPI(title="shipping", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
install_problem_handlers(app)


@app.get("/shipments")
async def list_shipments(request: Request, orderId: str = Query()) -> list[dict]:  # noqa: N803
    if not check_text(orderId, 100):
        raise invalid("/query/orderId", "must be 1 to 100 characters without NUL")
    return await store.shipments_of_order(request.app.state.pool, orderId)


@app.get("/health")
async def health(request: Request) -> JSONResponse:
    if await is_healthy(request.app.state.pool):
        return JSONResponse({"status": "ok"})
    raise Problem(
        503, "DEPENDENCY_UNAVAILABLE", "Database unavailable", headers={"Retry-After": "1"}, retryAfterSeconds=1
    )
