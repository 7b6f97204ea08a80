"""Settling an order: charge it through payments and record the outcome.

A new order is settled by the request that placed it. When payments gives no answer the order
stays PENDING (the client gets 503 + Retry-After) and the recovery loop settles it later with the
same Idempotency-Key, so it is charged at most once; an order still unpaid after
ORDERS_SETTLE_DEADLINE_MS is marked FAILED. Every order is terminal within about that deadline
plus one lease and one recovery interval."""

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

from orders import store
from orders.payments_client import Declined, InProgress, PaymentsClient, UnexpectedAnswer
from orders.resilience import Unavailable
from orders.settings import Settings

log = logging.getLogger("settlement")


@dataclass(frozen=True)
class Settled:
    order: dict[str, Any]  # the row after settling: CONFIRMED, DECLINED, FAILED, or still PENDING
    retry_after_s: int = 1  # when still PENDING: when to ask again


class Settler:
    def __init__(self, pool: AsyncConnectionPool, payments: PaymentsClient, settings: Settings) -> None:
        self.pool = pool
        self.payments = payments
        self.settings = settings

    async def settle(self, order: dict[str, Any]) -> Settled:
        """`order` is a PENDING row whose lease the caller holds."""
        order_id = order["id"]
        try:
            await self.payments.charge(str(order_id), order["amount_cents"], order["payment_token"])
        except Declined:
            return Settled(await store.decline(self.pool, order_id) or await store.get(self.pool, order_id))
        except (Unavailable, InProgress) as exc:
            reason = exc.reason if isinstance(exc, Unavailable) else "charge in progress at payments"
            retry_after = exc.retry_after_s if isinstance(exc, Unavailable) else 1
            log.warning("order %s: payments unavailable (%s)", order_id, reason)
            row = await store.postpone(self.pool, order_id, reason, self.settings.settle_deadline_ms)
            return Settled(row or await store.get(self.pool, order_id), retry_after)
        except UnexpectedAnswer as exc:
            log.error("order %s: %s", order_id, exc)
            return Settled(await store.fail(self.pool, order_id, str(exc)) or await store.get(self.pool, order_id))
        return Settled(await store.confirm(self.pool, order_id) or await store.get(self.pool, order_id))

    async def recover_once(self, batch: int = 20) -> int:
        due = await store.claim_due(self.pool, self.settings.lease_ms, batch)
        await asyncio.gather(*(self.settle(order) for order in due), return_exceptions=True)
        return len(due)

    async def recovery_loop(self) -> None:
        """Settles pending orders whose lease ran out: payments was unavailable, or the process that
        took the order died before settling it."""
        while True:
            try:
                await self.recover_once()
            except Exception as exc:
                log.warning("recovery pass failed: %s", exc)
            await asyncio.sleep(self.settings.recovery_interval_ms / 1000)
