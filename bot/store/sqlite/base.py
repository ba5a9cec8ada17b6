"""The SQLite connection under the store: WAL, busy timeout, migrations, transactions."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.store.base import StoreError
from bot.store.records import utc_now
from bot.store.sqlite.schema import migrate

DEFAULT_BUSY_TIMEOUT_MS = 5000
log = logging.getLogger(__name__)


def _file_identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the database file; None for ":memory:" or a missing file."""
    if path == ":memory:":
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)  # gone: never equal to the identity taken at open
    return stat.st_dev, stat.st_ino


def store_error(exc: sqlite3.Error) -> StoreError:
    """The user-readable ``StoreError`` for an SQLite failure."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError("The database is busy with another writer; try again in a moment.")
    return StoreError(f"The database failed ({text}).")


class SQLiteBase:
    """One aiosqlite connection; an asyncio lock keeps each method's transaction whole."""

    def __init__(self, db: aiosqlite.Connection, path: str, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock
        # Coroutines share one connection, so their statements must not interleave.
        self._lock = asyncio.Lock()
        self.path = path
        self._identity = _file_identity(path)  # to notice the file deleted or replaced
        self._gone_logged = False

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        clock: Callable[[], datetime] = utc_now,
    ) -> Self:
        """Open (creating the file and its directory) and migrate the database at ``path``."""
        target = os.fspath(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE/COMMIT ourselves, so a transaction
        # takes the write lock up front (waiting out busy_timeout) instead of failing mid-way.
        db = await aiosqlite.connect(target, timeout=busy_timeout_ms / 1000, isolation_level=None)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode loses no commit when the process dies, only on power loss or an
            # OS crash; the sent log switches to FULL for its own transactions.
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await migrate(db)
        except sqlite3.Error as exc:
            await db.close()
            raise store_error(exc) from exc
        except BaseException:
            await db.close()
            raise
        return cls(db, target, clock)

    async def aclose(self) -> None:
        """Close the connection (its worker thread would otherwise keep the process alive)."""
        async with self._lock:
            await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def _transaction(self, *, durable: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error.

        ``durable`` fsyncs the WAL at commit (synchronous=FULL): a sent-log row that vanished in
        a power cut after the message went out would let the digest be posted twice.
        """
        async with self._lock:
            db = self._db
            self._check_file()
            try:
                if durable:
                    await db.execute("PRAGMA synchronous = FULL")
                await db.execute("BEGIN IMMEDIATE")
                yield db
                await db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise store_error(exc) from exc
            finally:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                if durable:
                    await db.execute("PRAGMA synchronous = NORMAL")

    def _check_file(self) -> None:
        """Refuse to write when the file was deleted or replaced under the open connection.

        SQLite keeps writing to a deleted file's inode: every write would report success and
        vanish at the next start. One stat per transaction notices it.
        """
        if self._identity is None or _file_identity(self.path) == self._identity:
            return
        if not self._gone_logged:
            log.error("The database file %s was deleted or replaced while running", self.path)
            self._gone_logged = True
        raise StoreError(
            f"The database file {self.path} was deleted or replaced while the bot was running, "
            "so nothing can be saved; restart Newsbrief (restore the last backup if needed)."
        )

    async def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """All rows of one query, outside any other coroutine's transaction."""
        async with self._lock:
            try:
                return list(await self._db.execute_fetchall(sql, tuple(params)))
            except sqlite3.OperationalError as exc:
                raise store_error(exc) from exc

    async def integrity_check(self) -> bool:
        """Whether ``PRAGMA integrity_check`` finds the file sound."""
        try:
            rows = await self._read("PRAGMA integrity_check")
        except (StoreError, sqlite3.DatabaseError):
            return False  # a file too damaged to even run the check
        return [tuple(row) for row in rows] == [("ok",)]
