"""The resilience wiring of orders' payments call, against httpx.MockTransport (no network)."""

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest

from orders.payments_client import Declined, PaymentsClient
from orders.resilience import Policy, Unavailable
from orders.settings import PaymentsSettings, payments_from_env

ORDER = "3f6c1a52-8d1e-4b8a-9c7e-2a1f5e9d4b10"
APPROVED = {"id": "0eaff784-9aab-43bd-a0ed-84d05eba413a", "orderId": ORDER, "amountCents": 100, "status": "approved"}
FAST = {"retry_base_ms": 1, "retry_max_ms": 2}


class Payments:
    """A scripted payments: answers[i] is what the i-th call gets (a status, or an exception)."""

    def __init__(self, *answers: int | Exception, then: int | Exception = 201) -> None:
        self.answers = list(answers)
        self.then = then
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else self.then
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json=APPROVED if answer == 201 else {"status": answer})


def client(payments: Callable, **settings: object) -> PaymentsClient:
    policy = Policy(PaymentsSettings(**{**FAST, **settings}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(payments), base_url="http://payments.invalid")
    return PaymentsClient(http, policy)


def charge(c: PaymentsClient):
    return asyncio.run(c.charge(ORDER, 100, "tok_approve"))


def test_retries_a_5xx_with_the_same_idempotency_key() -> None:
    payments = Payments(503, 500)
    assert charge(client(payments)).id == APPROVED["id"]
    assert len(payments.requests) == 3
    assert {r.headers["Idempotency-Key"] for r in payments.requests} == {f"charge-{ORDER}"}


def test_retries_connection_errors_and_timeouts() -> None:
    payments = Payments(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"))
    assert charge(client(payments)).order_id == ORDER
    assert len(payments.requests) == 3


def test_gives_up_after_the_configured_attempts() -> None:
    payments = Payments(then=503)
    with pytest.raises(Unavailable):
        charge(client(payments, retry_attempts=4, breaker_threshold=100))
    assert len(payments.requests) == 4


def test_does_not_retry_a_decline() -> None:
    payments = Payments(402)
    with pytest.raises(Declined):
        charge(client(payments))
    assert len(payments.requests) == 1


def test_retries_off_makes_one_attempt() -> None:
    payments = Payments(503)
    with pytest.raises(Unavailable):
        charge(client(payments, retries=False))
    assert len(payments.requests) == 1


def test_the_breaker_counts_every_attempt_and_then_fails_fast() -> None:
    payments = Payments(then=503)
    c = client(payments, retry_attempts=3, breaker_threshold=3, breaker_half_open_ms=60_000)
    with pytest.raises(Unavailable):
        charge(c)  # three attempts; the third opens the breaker
    assert len(payments.requests) == 3
    started = time.monotonic()
    with pytest.raises(Unavailable) as failure:
        charge(c)
    assert failure.value.reason == "circuit breaker open"
    assert len(payments.requests) == 3  # nothing reached payments
    assert time.monotonic() - started < 0.1
    assert failure.value.retry_after_s == 60


def test_the_breaker_half_opens_after_the_delay() -> None:
    payments = Payments(503, 503)
    c = client(payments, retries=False, breaker_threshold=2, breaker_half_open_ms=50)
    for _ in range(2):
        with pytest.raises(Unavailable):
            charge(c)
    with pytest.raises(Unavailable, match="circuit breaker open"):
        charge(c)
    time.sleep(0.06)
    assert charge(c).order_id == ORDER  # the trial call succeeds and closes it
    assert c.policy.breaker is not None and c.policy.breaker.current_state == "closed"


def test_breaker_off_means_no_breaker() -> None:
    payments = Payments(then=503)
    c = client(payments, breaker=False, retries=False, breaker_threshold=1)
    assert c.policy.breaker is None
    for _ in range(5):
        with pytest.raises(Unavailable) as failure:
            charge(c)
        assert failure.value.reason != "circuit breaker open"
    assert len(payments.requests) == 5  # every call reached payments


def test_the_bulkhead_refuses_calls_beyond_its_limit() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def slow_payments(request: httpx.Request) -> httpx.Response:
            await release.wait()
            return httpx.Response(201, json=APPROVED)

        c = client(slow_payments, bulkhead=1)
        first = asyncio.create_task(c.charge(ORDER, 100, "tok_approve"))
        await asyncio.sleep(0.01)
        with pytest.raises(Unavailable, match="bulkhead full"):
            await c.charge(ORDER, 100, "tok_approve")
        release.set()
        assert (await first).id == APPROVED["id"]

    asyncio.run(scenario())


def test_the_switches_and_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMENTS_URL", "http://127.0.0.1:9/")
    defaults = payments_from_env()
    assert (defaults.timeout_ms, defaults.retry_attempts, defaults.retry_base_ms, defaults.retry_max_ms) == (
        1000,
        3,
        100,
        1000,
    )
    assert (defaults.breaker_threshold, defaults.breaker_half_open_ms, defaults.bulkhead) == (5, 2000, 16)
    assert defaults.breaker and defaults.retries and defaults.url == "http://127.0.0.1:9"
    assert Policy(defaults).breaker is not None

    monkeypatch.setenv("ORDERS_BREAKER", "off")
    monkeypatch.setenv("ORDERS_RETRIES", "off")
    monkeypatch.setenv("PAYMENTS_RETRY_ATTEMPTS", "5")
    switched = payments_from_env()
    assert not switched.breaker and not switched.retries and switched.retry_attempts == 5
    assert Policy(switched).breaker is None


def test_half_open_lets_one_probe_through_and_fails_the_others_fast() -> None:
    async def scenario() -> tuple[int, list[str]]:
        started = asyncio.Event()
        release = asyncio.Event()
        seen: list[httpx.Request] = []

        async def slow_payments(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            started.set()
            await release.wait()
            return httpx.Response(201, json=APPROVED)

        policy = Policy(PaymentsSettings(**{**FAST, "breaker_threshold": 1, "breaker_half_open_ms": 1}))
        assert policy.breaker is not None
        policy.breaker.open()
        await asyncio.sleep(0.01)  # past the half-open delay
        http = httpx.AsyncClient(transport=httpx.MockTransport(slow_payments), base_url="http://payments.invalid")
        c = PaymentsClient(http, policy)
        probe = asyncio.create_task(c.charge(ORDER, 100, "tok_approve"))
        await started.wait()
        outcomes: list[str] = []
        for _ in range(5):
            try:
                await asyncio.wait_for(c.charge(ORDER, 100, "tok_approve"), timeout=1)
                outcomes.append("charged")
            except Unavailable as exc:
                outcomes.append(exc.reason)
            except TimeoutError:
                outcomes.append("sent as another probe, still waiting")
        release.set()
        await probe
        return len(seen), outcomes

    calls, outcomes = asyncio.run(scenario())
    assert calls == 1
    assert outcomes == ["circuit breaker open"] * 5
