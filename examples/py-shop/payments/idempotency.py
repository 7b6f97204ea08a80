"""Idempotency-Key handling: the first request with a key claims it and its answer is stored; the
same key with the same body replays that answer; with another body it is refused (422); while the
first request is still being processed a duplicate is told to retry (409)."""

from dataclasses import dataclass
from typing import Any, Literal

from psycopg_pool import AsyncConnectionPool

# A claim whose request never finished (its process died) is taken over after this long.
STALE_AFTER_SECONDS = 10


@dataclass(frozen=True)
class Claim:
    kind: Literal["new", "replay", "mismatch", "in_flight"]
    status_code: int | None = None
    body: Any = None


async def claim(pool: AsyncConnectionPool, key: str, fingerprint: str) -> Claim:
    async with pool.connection() as conn, conn.transaction():
        inserted = await conn.execute(
            """INSERT INTO idempotency_keys (key, fingerprint) VALUES (%s, %s)
               ON CONFLICT (key) DO NOTHING RETURNING key""",
            (key, fingerprint),
        )
        if await inserted.fetchone():
            return Claim("new")
        cur = await conn.execute(
            """SELECT fingerprint, status_code, response_body,
                      locked_at < now() - make_interval(secs => %s) AS stale
                 FROM idempotency_keys WHERE key = %s FOR UPDATE""",
            (STALE_AFTER_SECONDS, key),
        )
        row = await cur.fetchone()
        if row is None:  # released by a failed first request a moment ago
            return Claim("in_flight")
        if row["fingerprint"] != fingerprint:
            return Claim("mismatch")
        if row["status_code"] is not None:
            return Claim("replay", row["status_code"], row["response_body"])
        if row["stale"]:
            await conn.execute("UPDATE idempotency_keys SET locked_at = now() WHERE key = %s", (key,))
            return Claim("new")
        return Claim("in_flight")


async def release(pool: AsyncConnectionPool, key: str) -> None:
    """Best effort, after a failure: the key may be used again at once (else it goes stale)."""
    try:
        async with pool.connection() as conn:
            await conn.execute("DELETE FROM idempotency_keys WHERE key = %s AND status_code IS NULL", (key,))
    except Exception:
        pass
