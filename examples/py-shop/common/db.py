"""PostgreSQL access: a connection pool, the service's schema applied at startup, a health probe.
Each service gets only its own DATABASE_URL."""

import asyncio
import logging
import time
from pathlib import Path

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("db")


def make_pool(url: str, max_size: int = 10) -> AsyncConnectionPool:
    return AsyncConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        open=False,
        timeout=2.0,  # wait at most this long for a free connection, then 503
        check=AsyncConnectionPool.check_connection,  # drop connections a restart broke
        kwargs={"connect_timeout": 2, "row_factory": dict_row},  # rows are dicts
    )


async def apply_schema(pool: AsyncConnectionPool, schema_file: Path, deadline_s: float = 30.0) -> None:
    """Runs the idempotent CREATE ... IF NOT EXISTS script, waiting for the database to come up."""
    sql = schema_file.read_text()
    give_up = time.monotonic() + deadline_s
    while True:
        try:
            async with pool.connection() as conn, conn.transaction():
                # One instance at a time, so two starting instances do not race on CREATE TABLE.
                await conn.execute("SELECT pg_advisory_xact_lock(7415)")
                await conn.execute(sql)
            return
        except psycopg.OperationalError as exc:
            if time.monotonic() > give_up:
                raise
            log.warning("database not ready (%s), retrying", exc)
            await asyncio.sleep(1)


async def is_healthy(pool: AsyncConnectionPool) -> bool:
    try:
        async with pool.connection(timeout=1.0) as conn:
            await conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False
