"""Pact's message-producer endpoint, mounted only when PACT_PROVIDER_STATES=on.

The verifier posts {"description": ..., "providerStates": [...]} and gets the message back: its
contents as the body, its metadata base64-encoded in the Pact-Message-Metadata header. The event
comes from events.order_confirmed, the same builder the outbox uses."""

import base64
import json
import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from common.problems import Problem
from orders import events

pact_messages_router = APIRouter()

MESSAGES = {"an OrderConfirmed event": lambda: events.order_confirmed(str(uuid.uuid4()), 4999)}


class MessageRequest(BaseModel):
    description: str


@pact_messages_router.post("/_pact/messages")
async def produce(request: MessageRequest) -> JSONResponse:
    build = MESSAGES.get(request.description)
    if build is None:
        raise Problem(404, "UNKNOWN_MESSAGE", f"No message is described as: {request.description}")
    metadata = {"contentType": "application/json"}
    encoded = base64.b64encode(json.dumps(metadata).encode()).decode()
    return JSONResponse(build(), headers={"Pact-Message-Metadata": encoded})
