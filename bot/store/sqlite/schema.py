"""The SQLite schema as an ordered list of migrations, applied at open, plus the timestamp codec.

Timestamps are stored as ISO-8601 text in UTC with microseconds and a ``+00:00`` suffix, always
the same width, so ``ORDER BY`` and ``<=`` on the text agree with time order. Every write goes
through ``to_db_time``; ``PRAGMA user_version`` holds the number of migrations applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import overload

import aiosqlite

from bot.store.base import StoreError
from bot.store.sqlite.migrations import LATEST_VERSION, MIGRATIONS, Migration

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "SchemaError",
    "from_db_time",
    "migrate",
    "schema_version",
    "to_db_time",
]


class SchemaError(StoreError):
    """The database file was written by a newer Newsbrief than this one."""


async def schema_version(db: aiosqlite.Connection) -> int:
    """The number of migrations applied to this database."""
    rows = list(await db.execute_fetchall("PRAGMA user_version"))
    return int(rows[0][0])


async def migrate(db: aiosqlite.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the missing migrations in one transaction and return the resulting version.

    ``BEGIN IMMEDIATE`` comes before reading the version, so two processes opening a new file at
    once cannot both run the same step; a failing step rolls every step of this call back.
    ``db`` must be in autocommit mode (``isolation_level=None``).
    """
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise ValueError("Migrations must be numbered 1, 2, 3, ... in order.")
    await db.execute("BEGIN IMMEDIATE")
    try:
        current = await schema_version(db)
        if current > len(migrations):
            raise SchemaError(
                f"The database is at schema version {current}, newer than this program's "
                f"{len(migrations)}; upgrade Newsbrief or use another NEWSBRIEF_DB."
            )
        for migration in migrations[current:]:
            for statement in migration.statements:
                await db.execute(statement)
            # PRAGMA takes no bound parameters; the version is our own int.
            await db.execute(f"PRAGMA user_version = {int(migration.version)}")
        await db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            await db.execute("ROLLBACK")
        raise
    return max(current, len(migrations))


def to_db_time(value: datetime | None) -> str | None:
    """An aware datetime as fixed-width UTC ISO text; naive datetimes are a caller bug."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise ValueError(f"Timestamps must be timezone-aware (UTC), got naive {value!r}.")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def from_db_time(text: str) -> datetime: ...
@overload
def from_db_time(text: None) -> None: ...
def from_db_time(text: str | None) -> datetime | None:
    """The aware UTC datetime stored by ``to_db_time``."""
    return None if text is None else datetime.fromisoformat(text)
