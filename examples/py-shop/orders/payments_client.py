"""orders' client of payments' POST /charges (contracts/openapi/payments.yaml), under the
resilience policy. The Idempotency-Key is derived from the order id, so every retry, every replay
and the recovery loop ask for the same charge and payments charges an order at most once."""

from dataclasses import dataclass

import httpx

from orders.resilience import Policy, ServerError, Unavailable


@dataclass(frozen=True)
class Charge:
    id: str
    order_id: str
    amount_cents: int


class Declined(Exception):
    """payments declined the charge (402)."""


class InProgress(Exception):
    """payments is still processing the same charge (409): ask again later."""


class UnexpectedAnswer(Exception):
    """payments answered something the contract does not allow for this request."""


def idempotency_key(order_id: str) -> str:
    return f"charge-{order_id}"


class PaymentsClient:
    def __init__(self, http: httpx.AsyncClient, policy: Policy) -> None:
        self.http = http
        self.policy = policy

    @classmethod
    def create(cls, base_url: str, policy: Policy) -> "PaymentsClient":
        timeout = httpx.Timeout(policy.settings.timeout_ms / 1000)
        return cls(httpx.AsyncClient(base_url=base_url, timeout=timeout), policy)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def charge(self, order_id: str, amount_cents: int, token: str) -> Charge:
        """Raises Declined, InProgress, UnexpectedAnswer, or resilience.Unavailable."""
        body = {"orderId": order_id, "amountCents": amount_cents, "token": token}
        headers = {"Idempotency-Key": idempotency_key(order_id)}

        async def attempt() -> httpx.Response:
            response = await self.http.post("/charges", json=body, headers=headers)
            if response.status_code >= 500:
                raise ServerError(response.status_code)
            return response

        response = await self.policy.run(attempt)
        if response.status_code == 201:
            try:
                charge = response.json()
                return Charge(id=charge["id"], order_id=charge["orderId"], amount_cents=charge["amountCents"])
            except (ValueError, KeyError, TypeError) as exc:
                # The charge exists; asking again with the same key replays a readable answer.
                raise Unavailable(f"unreadable charge: {exc}") from exc
        if response.status_code == 402:
            raise Declined()
        if response.status_code == 409:
            raise InProgress()
        raise UnexpectedAnswer(f"payments answered {response.status_code}: {response.text[:200]}")
