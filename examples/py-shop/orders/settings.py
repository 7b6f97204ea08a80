"""Every setting of orders, from the environment, with its default."""

from dataclasses import dataclass

from common.settings import env_int, env_str, env_switch


@dataclass(frozen=True)
class PaymentsSettings:
    url: str = ""  # PAYMENTS_URL (required), e.g. http://127.0.0.1:8002
    timeout_ms: int = 1000  # PAYMENTS_TIMEOUT_MS: each attempt
    retry_attempts: int = 3  # PAYMENTS_RETRY_ATTEMPTS: total attempts, the first included
    retry_base_ms: int = 100  # PAYMENTS_RETRY_BASE_MS: first backoff (doubles, plus jitter)
    retry_max_ms: int = 1000  # PAYMENTS_RETRY_MAX_MS: longest backoff
    breaker_threshold: int = 5  # PAYMENTS_BREAKER_THRESHOLD: consecutive failed attempts that open it
    breaker_half_open_ms: int = 2000  # PAYMENTS_BREAKER_HALF_OPEN_MS: open for this long, then one trial
    bulkhead: int = 16  # PAYMENTS_BULKHEAD: concurrent calls; more are refused at once
    breaker: bool = True  # ORDERS_BREAKER=off removes the breaker (mutation testing)
    retries: bool = True  # ORDERS_RETRIES=off makes one attempt only (mutation testing)


@dataclass(frozen=True)
class Settings:
    database_url: str
    amqp_url: str
    payments: PaymentsSettings
    outbox_poll_ms: int = 200  # ORDERS_OUTBOX_POLL_MS: relay poll interval when idle
    recovery_interval_ms: int = 1000  # ORDERS_RECOVERY_INTERVAL_MS: how often pending orders are retried
    lease_ms: int = 10000  # ORDERS_LEASE_MS: a settling order is left alone this long
    settle_deadline_ms: int = 20000  # ORDERS_SETTLE_DEADLINE_MS: unpaid this long after creation: FAILED
    pact_endpoints: bool = False  # PACT_PROVIDER_STATES=on mounts POST /_pact/messages


def payments_from_env() -> PaymentsSettings:
    d = PaymentsSettings()
    return PaymentsSettings(
        url=env_str("PAYMENTS_URL").rstrip("/"),
        timeout_ms=env_int("PAYMENTS_TIMEOUT_MS", d.timeout_ms, minimum=1),
        retry_attempts=env_int("PAYMENTS_RETRY_ATTEMPTS", d.retry_attempts, minimum=1),
        retry_base_ms=env_int("PAYMENTS_RETRY_BASE_MS", d.retry_base_ms),
        retry_max_ms=env_int("PAYMENTS_RETRY_MAX_MS", d.retry_max_ms),
        breaker_threshold=env_int("PAYMENTS_BREAKER_THRESHOLD", d.breaker_threshold, minimum=1),
        breaker_half_open_ms=env_int("PAYMENTS_BREAKER_HALF_OPEN_MS", d.breaker_half_open_ms),
        bulkhead=env_int("PAYMENTS_BULKHEAD", d.bulkhead, minimum=1),
        breaker=env_switch("ORDERS_BREAKER", default=True),
        retries=env_switch("ORDERS_RETRIES", default=True),
    )


def from_env() -> Settings:
    return Settings(
        database_url=env_str("DATABASE_URL"),
        amqp_url=env_str("AMQP_URL"),
        payments=payments_from_env(),
        outbox_poll_ms=env_int("ORDERS_OUTBOX_POLL_MS", 200, minimum=10),
        recovery_interval_ms=env_int("ORDERS_RECOVERY_INTERVAL_MS", 1000, minimum=10),
        lease_ms=env_int("ORDERS_LEASE_MS", 10000, minimum=100),
        settle_deadline_ms=env_int("ORDERS_SETTLE_DEADLINE_MS", 20000, minimum=0),
        pact_endpoints=env_switch("PACT_PROVIDER_STATES", default=False),
    )
