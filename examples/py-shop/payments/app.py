"""payments: a simulated payment provider. `uvicorn payments.app:app` (cwd examples/py-shop).

POST /charges charges a token once per Idempotency-Key, GET /charges?orderId= lists an order's
charges, GET /health answers 200 while the database answers."""

import logging
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse

from common.db import apply_schema, is_healthy, make_pool
from common.fields import check_text
from common.fingerprint import fingerprint
from common.problems import PROBLEM_JSON, Problem, install_problem_handlers, invalid
from common.settings import env_str, env_switch
from payments import idempotency, store
from payments.decision import decide
from payments.models import ChargeRequest
from payments.pact_states import pact_states_router

logging.basicConfig(level=logging.INFO, format="%(asctime)s payments %(name)s %(levelname)s %(message)s")


@asynccontextmanager
async def lifespan(app: FastAPI):
    pool = make_pool(env_str("DATABASE_URL"))
    await pool.open(wait=False)
    await apply_schema(pool, Path(__file__).with_name("schema.sql"))
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()


app = FastAPI(title="payments", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
install_problem_handlers(app)
if env_switch("PACT_PROVIDER_STATES", default=False):
    app.include_router(pact_states_router)


def idempotency_key_of(value: str | None) -> str:
    if value is None:
        raise Problem(400, "IDEMPOTENCY_KEY_MISSING", "Idempotency-Key header is required")
    if not check_text(value, 255):
        raise invalid("/header/Idempotency-Key", "must be 1 to 255 characters without NUL")
    return value


def answer(status_code: int, body: object, replayed: bool) -> JSONResponse:
    media_type = "application/json" if status_code < 400 else PROBLEM_JSON
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(body, status_code=status_code, media_type=media_type, headers=headers)


@app.post("/charges")
async def create_charge(
    request: Request, charge: ChargeRequest, key: str | None = Header(default=None, alias="Idempotency-Key")
) -> JSONResponse:
    key = idempotency_key_of(key)
    pool = request.app.state.pool
    claim = await idempotency.claim(pool, key, fingerprint(charge.model_dump()))
    if claim.kind == "mismatch":
        raise Problem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key was used with a different body")
    if claim.kind == "in_flight":
        raise Problem(
            409,
            "IDEMPOTENCY_CONFLICT",
            "A request with this Idempotency-Key is in progress",
            headers={"Retry-After": "1"},
            retryAfterSeconds=1,
        )
    if claim.kind == "replay":
        return answer(claim.status_code, claim.body, replayed=True)
    try:
        status_code, body = await store.record_charge(
            pool, key, str(uuid.uuid4()), charge.orderId, charge.amountCents, decide(charge.token)
        )
    except BaseException:
        await idempotency.release(pool, key)
        raise
    return answer(status_code, body, replayed=False)


@app.get("/charges")
async def list_charges(request: Request, orderId: str = Query()) -> list[dict]:  # noqa: N803
    if not check_text(orderId, 100):
        raise invalid("/query/orderId", "must be 1 to 100 characters without NUL")
    return await store.charges_of_order(request.app.state.pool, orderId)


@app.get("/health")
async def health(request: Request) -> JSONResponse:
    if await is_healthy(request.app.state.pool):
        return JSONResponse({"status": "ok"})
    raise Problem(
        503, "DEPENDENCY_UNAVAILABLE", "Database unavailable", headers={"Retry-After": "1"}, retryAfterSeconds=1
    )
