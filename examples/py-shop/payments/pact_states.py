"""Pact's provider-state change endpoint, mounted only when PACT_PROVIDER_STATES=on.

The verifier posts {"state": ..., "params": {...}, "action": "setup" | "teardown"} before each
interaction. States (see README.md):
- `no charge exists for the order` (params: orderId): deletes that order's charge and stored answers.
"""

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from common.problems import Problem
from payments import store

pact_states_router = APIRouter()


class StateChange(BaseModel):
    state: str
    params: dict[str, Any] = {}
    action: str = "setup"


@pact_states_router.post("/_pact/provider-states")
async def change_state(request: Request, change: StateChange) -> dict[str, Any]:
    if change.action != "setup":
        return {}
    if change.state == "no charge exists for the order":
        order_id = str(change.params.get("orderId", ""))
        if not order_id:
            raise Problem(400, "VALIDATION_FAILED", "params.orderId is required for this state")
        await store.forget_order(request.app.state.pool, order_id)
        return {}
    raise Problem(400, "UNKNOWN_PROVIDER_STATE", f"Unknown provider state: {change.state}")
