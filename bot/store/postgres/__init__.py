"""The PostgreSQL backend of the ``Store`` (``NEWSBRIEF_DB=postgresql://user:pass@host/db``).

asyncpg with a small pool; its own versioned migrations (``schema``) run at open under an
advisory lock; claims (delivery leases, alerts, tenant seeding) are made by the database, so
several processes can share it. ``copy`` moves a SQLite deployment across (``migrate-store``).
"""

from __future__ import annotations

from bot.store.postgres.base import where
from bot.store.postgres.schema import LATEST_VERSION
from bot.store.postgres.store import PostgresStore

__all__ = ["LATEST_VERSION", "PostgresStore", "is_postgres_url", "where"]


def is_postgres_url(location: str) -> bool:
    """Whether NEWSBRIEF_DB names a PostgreSQL server rather than a SQLite file."""
    return location.startswith(("postgres://", "postgresql://"))
