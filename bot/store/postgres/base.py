"""The PostgreSQL connection pool under the store: opening, migrations, transactions, errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Self
from urllib.parse import urlsplit

import asyncpg

from bot.store.base import DatabaseUnavailableError, StoreError
from bot.store.postgres.schema import LATEST_VERSION, migrate, schema_version
from bot.store.records import utc_now

log = logging.getLogger(__name__)
# A small pool: one process's writes are short transactions, and the server's connection budget
# is shared by every replica (max_connections is 100 on a default server).
POOL_MIN = 1
POOL_MAX = 5
CONNECT_TIMEOUT_S = 10.0
APPLICATION_NAME = "newsbrief"
# asyncpg's errors that mean "no usable connection", as opposed to a failed statement.
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidPasswordError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.ConnectionFailureError,
    # A session the server ended (a restart, a failover, pg_terminate_backend) can surface as a
    # protocol-state error on its next use; the pool then replaces the connection.
    asyncpg.InternalClientError,
)


def where(dsn: str) -> str:
    """The server and database a DSN names, for messages: never the user or password."""
    parts = urlsplit(dsn)
    host = parts.hostname or "the local socket"
    port = f":{parts.port}" if parts.port else ""
    database = parts.path.lstrip("/") or "the default database"
    return f"{host}{port}/{database}"


def connect_error(dsn: str, exc: BaseException) -> DatabaseUnavailableError:
    """One sentence for a server that cannot be reached or refuses us (no credentials in it)."""
    if isinstance(
        exc, asyncpg.InvalidPasswordError | asyncpg.InvalidAuthorizationSpecificationError
    ):
        reason = "the user name or password was refused"
    elif isinstance(exc, asyncpg.InvalidCatalogNameError):
        reason = "that database does not exist"
    elif isinstance(exc, TimeoutError):
        reason = f"no answer within {CONNECT_TIMEOUT_S:g} s"
    else:
        reason = type(exc).__name__ if isinstance(exc, asyncpg.PostgresError) else str(exc)
    return DatabaseUnavailableError(
        f"Cannot connect to PostgreSQL at {where(dsn)} ({reason}); check NEWSBRIEF_DB and that "
        "the server is running."
    )


def store_error(exc: BaseException) -> StoreError:
    """The user-readable ``StoreError`` for a failed statement or a lost connection."""
    if isinstance(exc, asyncpg.PostgresError):
        return StoreError(f"The database failed ({exc.sqlstate}: {exc}).")
    return StoreError(f"The connection to PostgreSQL failed ({type(exc).__name__}).")


def ts(value: datetime | None) -> datetime | None:
    """An aware datetime in UTC for a timestamptz parameter; naive ones are a caller bug."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise ValueError(f"Timestamps must be timezone-aware (UTC), got naive {value!r}.")
    return value.astimezone(UTC)


def utc(value: datetime | None) -> datetime | None:
    """A timestamptz read back, as UTC (asyncpg's are already; this keeps the promise explicit)."""
    return None if value is None else value.astimezone(UTC)


class PgBase:
    """An asyncpg pool; each store method is one transaction on one pooled connection."""

    def __init__(self, pool: asyncpg.Pool, dsn: str, clock: Callable[[], datetime]) -> None:
        self._pool = pool
        self._clock = clock
        self.location = where(dsn)  # safe to log

    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        clock: Callable[[], datetime] = utc_now,
        min_size: int = POOL_MIN,
        max_size: int = POOL_MAX,
    ) -> Self:
        """Connect, apply the missing migrations (under the migration lock), and return."""
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=min_size,
                max_size=max_size,
                timeout=CONNECT_TIMEOUT_S,
                # How the operator tells our sessions apart in pg_stat_activity.
                server_settings={"application_name": APPLICATION_NAME},
            )
        except _CONNECTION_ERRORS as exc:
            raise connect_error(dsn, exc) from None
        except asyncpg.PostgresError as exc:
            raise connect_error(dsn, exc) from None
        try:
            async with pool.acquire() as conn:
                await migrate(conn)
        except StoreError:
            await pool.close()
            raise
        except (asyncpg.PostgresError, *_CONNECTION_ERRORS) as exc:
            await pool.close()
            raise store_error(exc) from exc
        except BaseException:
            await pool.close()
            raise
        return cls(pool, dsn, clock)

    async def aclose(self) -> None:
        await self._pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """BEGIN ... COMMIT on a pooled connection (READ COMMITTED), rolled back on any error.

        Commits are durable (synchronous_commit is the server's, on by default): the sent log
        needs no per-transaction switch as SQLite's does.
        """
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                yield conn
        except (asyncpg.PostgresError, *_CONNECTION_ERRORS) as exc:
            raise store_error(exc) from exc

    async def _read(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """All rows of one query."""
        try:
            async with self._pool.acquire() as conn:
                return list(await conn.fetch(sql, *args))
        except (asyncpg.PostgresError, *_CONNECTION_ERRORS) as exc:
            raise store_error(exc) from exc

    async def schema_version(self) -> int:
        try:
            async with self._pool.acquire() as conn:
                return await schema_version(conn)
        except (asyncpg.PostgresError, *_CONNECTION_ERRORS) as exc:
            raise store_error(exc) from exc

    async def integrity_check(self) -> bool:
        """Whether the server answers and the schema is this program's (PostgreSQL checks its
        own pages; ``amcheck`` is an operator's tool, not something to run at start)."""
        try:
            return await self.schema_version() == LATEST_VERSION
        except StoreError:
            return False
