"""The PostgreSQL store's versioned migrations, applied at start under an advisory lock.

PostgreSQL has its own ordered list (its first step is SQLite's ten at once, in PostgreSQL's
types): ``schema_version`` holds one row per step applied. ``migrate`` takes a transaction-level
advisory lock before reading it, so two replicas starting at once do not both migrate, and runs
every missing step in that one transaction (PostgreSQL's DDL is transactional).

Timestamps are ``timestamptz`` (asyncpg hands back aware UTC datetimes, microseconds, the same
values and order as SQLite's fixed-width UTC text); digest days are ``date``. Text columns that
the store sorts by are ``COLLATE "C"``: byte order, as SQLite's BINARY, whatever the server's
default locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from bot.store.postgres.schema_v1 import V1
from bot.store.sqlite.schema import SchemaError

# pg_advisory_xact_lock key for migrations: fixed, any bigint no other program is likely to use.
MIGRATION_LOCK = 0x6E6577736272  # "newsbr"


@dataclass(frozen=True, slots=True)
class PgMigration:
    """One schema step; ``version`` is its position (1-based) in ``MIGRATIONS``."""

    version: int
    description: str
    statements: tuple[str, ...]


# The distributed Slack app, as SQLite's migration 11: one bot token per workspace (team id, or
# enterprise id for an org-wide install), and the one-time state of each install.
_SLACK_INSTALLS = (
    """CREATE TABLE slack_installations (
        workspace text COLLATE "C" PRIMARY KEY,
        bot_token text NOT NULL,
        team_id text,
        team_name text,
        enterprise_id text,
        is_enterprise_install boolean NOT NULL DEFAULT false,
        bot_id text,
        bot_user_id text,
        scopes text NOT NULL DEFAULT '',
        installer text,
        installed_at timestamptz NOT NULL
    )""",
    """CREATE TABLE oauth_states (
        state text COLLATE "C" PRIMARY KEY,
        expires_at timestamptz NOT NULL
    )""",
)

# Issue 15: what several `run` replicas share (bot/store/postgres/leases.py); never copied by
# migrate-store (live leases and recent hits mean nothing to another deployment).
_REPLICA_LEASES = (
    """CREATE TABLE leases (
        name text COLLATE "C" PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
    )""",
    """CREATE TABLE rate_hits (
        key text COLLATE "C" NOT NULL,
        at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
    )""",
    "CREATE INDEX rate_hits_by_key ON rate_hits (key, at)",
    "CREATE INDEX rate_hits_by_expiry ON rate_hits (expires_at)",
)

# begin_delivery's ON CONFLICT names delivery_key; a second unique constraint on the same
# columns (delivery_key is made of them) made two replicas inserting one new digest at once fail
# with a unique violation instead of one of them updating. A plain index serves sent_digests.
_ONE_DELIVERY_KEY = (
    "ALTER TABLE deliveries DROP CONSTRAINT deliveries_platform_channel_topic_digest_date_key",
    "CREATE INDEX deliveries_by_channel_day ON deliveries (platform, channel, digest_date)",
)

MIGRATIONS: tuple[PgMigration, ...] = (
    PgMigration(1, "every table of SQLite's schema 10, full-text search", V1),
    PgMigration(2, "Slack installations (distributed app) and OAuth states", _SLACK_INSTALLS),
    PgMigration(3, "leases and rate windows shared by replicas", _REPLICA_LEASES),
    PgMigration(4, "deliveries unique by delivery_key only", _ONE_DELIVERY_KEY),
)
LATEST_VERSION = len(MIGRATIONS)

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


async def schema_version(conn: asyncpg.Connection) -> int:
    """The highest step applied (0 for a database Newsbrief never used)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version"))


async def migrate(conn: asyncpg.Connection, migrations: Sequence[PgMigration] = MIGRATIONS) -> int:
    """Apply the missing steps in one transaction under the migration lock; the new version."""
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise ValueError("Migrations must be numbered 1, 2, 3, ... in order.")
    async with conn.transaction():
        # Held until this transaction ends: a second replica waits here, then finds it done.
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute(_VERSION_TABLE)
        current = await schema_version(conn)
        if current > len(migrations):
            raise SchemaError(
                f"The database is at schema version {current}, newer than this program's "
                f"{len(migrations)}; upgrade Newsbrief or use another NEWSBRIEF_DB."
            )
        for migration in migrations[current:]:
            for statement in migration.statements:
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
                migration.version,
                migration.description,
            )
    return max(current, len(migrations))
