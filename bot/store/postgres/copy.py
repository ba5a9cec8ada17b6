"""`newsbrief migrate-store`: copy a SQLite database into PostgreSQL, table by table, ids kept.

The source is opened through ``SQLiteStore.open`` first, so an older file is brought to the
latest SQLite schema (which this copy is written against) before it is read; the target is
opened through ``PostgresStore.open``, which creates its schema. Rows go over in one
transaction with ``COPY`` (asyncpg's ``copy_records_to_table``), converted column by column
(SQLite's UTC text to timestamptz, 0/1 to booleans, JSON text to jsonb); the identity
sequences are then moved past the copied ids, and each table's row count is compared.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg

from bot.store.base import StoreError
from bot.store.postgres.base import store_error
from bot.store.postgres.store import PostgresStore
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.schema import from_db_time

Convert = Callable[[Any], Any]
_time: Convert = from_db_time


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class Table:
    """A table to copy: its columns (the same names on both sides) and their converters."""

    name: str
    columns: tuple[str, ...]
    convert: dict[str, Convert]
    identity: str | None = None  # the column whose sequence must follow the copied ids
    order_by: str = ""  # SQL order of the rows read, where the target's insertion order matters


# In dependency order (a row's foreign keys point at tables copied before it).
TABLES: tuple[Table, ...] = (
    Table(
        "articles",
        (
            "id", "url", "canonical_url", "content_hash", "title", "byline", "source",
            "published", "lang", "text", "fetched_at", "topic_score",
        ),
        {"published": _time, "fetched_at": _time},
        identity="id",
    ),
    Table("article_keys", ("key", "article_id"), {}),
    Table(
        "summaries",
        ("article_id", "method", "lang", "sentences", "figures", "created_at"),
        {"created_at": _time},
    ),
    Table(
        "feeds",
        (
            "url", "name", "etag", "last_modified", "last_success", "consecutive_failures",
            "last_error", "next_attempt",
        ),
        {"last_success": _time, "next_attempt": _time},
    ),
    Table("tenants", ("tenant", "seeded_at"), {"seeded_at": _time}),
    Table(
        "tenant_feeds", ("tenant", "url", "added_at", "undated_at_add"), {"added_at": _time}
    ),
    Table("article_feeds", ("article_id", "feed_url"), {}),
    Table(
        "subscriptions",
        (
            "id", "platform", "channel", "topic", "local_time", "timezone", "sentences",
            "enabled", "tenant",
        ),
        {"enabled": _bool},
        identity="id",
    ),
    Table(
        "channel_settings",
        ("platform", "channel", "sentences", "auto_summarize", "language"),
        {"auto_summarize": _bool},
    ),
    Table(
        "deliveries",
        (
            "id", "platform", "channel", "topic", "digest_date", "delivery_key", "state",
            "attempts", "message_ref", "last_error", "created_at", "sent_at", "lease_owner",
            "lease_until", "tenant", "planned_articles", "planned_stories",
        ),
        {"digest_date": _date, "created_at": _time, "sent_at": _time, "lease_until": _time},
        identity="id",
    ),
    Table(
        "sent_articles",
        ("platform", "channel", "article_id", "delivery_id", "sent_at"),
        {"sent_at": _time},
    ),
    Table(
        "delivered_stories",
        (
            "tenant", "platform", "channel", "story_key", "headline", "article_ids", "outlets",
            "figures", "message_ref", "delivery_id", "first_sent", "last_sent",
        ),
        {"first_sent": _time, "last_sent": _time},
    ),
    Table(
        "summary_controls",
        (
            "key", "platform", "tenant", "channel", "title", "url", "canonical_url", "source",
            "published", "lang", "method", "text", "shown", "created_at",
        ),
        {"published": _time, "created_at": _time},
    ),
    Table(
        "watches",
        (
            "id", "tenant", "platform", "channel", "what", "place", "condition", "threshold",
            "created_by", "created_at",
        ),
        {"created_at": _time},
        identity="id",
    ),
    Table(
        "watch_hits",
        (
            "watch_id", "article_id", "value", "surface", "period", "lang", "seen_at",
            "alerted",
        ),
        {"seen_at": _time, "alerted": _bool},
        order_by="rowid",  # the target's seq then orders same-time hits as SQLite's rowid did
    ),
    Table(
        "channel_filters",
        (
            "id", "platform", "channel", "topic", "mode", "kind", "value", "created_by",
            "created_at",
        ),
        {"created_at": _time},
        identity="id",
    ),
    Table(
        "slack_installations",
        (
            "workspace", "bot_token", "team_id", "team_name", "enterprise_id",
            "is_enterprise_install", "bot_id", "bot_user_id", "scopes", "installer",
            "installed_at",
        ),
        {"is_enterprise_install": _bool, "installed_at": _time},
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CopyReport:
    """Rows copied per table, in copy order."""

    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


def _read_rows(path: str, table: Table) -> list[tuple[Any, ...]]:
    uri = f"file:{Path(path).resolve()}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        order = f" ORDER BY {table.order_by}" if table.order_by else ""
        rows = db.execute(f"SELECT {', '.join(table.columns)} FROM {table.name}{order}").fetchall()
    finally:
        db.close()
    converters = [table.convert.get(column) for column in table.columns]
    return [
        tuple(value if fn is None else fn(value) for fn, value in zip(converters, row, strict=True))
        for row in rows
    ]


async def copy_sqlite_to_postgres(
    sqlite_path: str, dsn: str, *, force: bool = False, tables: Sequence[Table] = TABLES
) -> CopyReport:
    """Copy every table; refuse a target that holds rows unless ``force`` (which empties it)."""
    if not Path(sqlite_path).is_file():
        raise StoreError(f"There is no SQLite database at {sqlite_path}.")
    async with await SQLiteStore.open(sqlite_path):
        pass  # brings an older file to the latest schema, which TABLES describes
    async with await PostgresStore.open(dsn) as target:
        pool = target._pool  # the copy is this module's own business with the store's pool
        try:
            async with pool.acquire() as conn, conn.transaction():
                return await _copy(conn, sqlite_path, force, tables)
        except asyncpg.PostgresError as exc:
            raise store_error(exc) from exc


async def _copy(
    conn: asyncpg.Connection, sqlite_path: str, force: bool, tables: Sequence[Table]
) -> CopyReport:
    names = [table.name for table in tables]
    filled = [n for n in names if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {n})")]
    if filled and not force:
        raise StoreError(
            f"The PostgreSQL database already holds Newsbrief data ({', '.join(filled)}); "
            "give an empty one, or add --force to replace what it holds."
        )
    if filled:
        await conn.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    counts = []
    for table in tables:
        rows = _read_rows(sqlite_path, table)
        if rows:
            await conn.copy_records_to_table(table.name, records=rows, columns=table.columns)
        copied = await conn.fetchval(f"SELECT count(*) FROM {table.name}")
        if copied != len(rows):
            raise StoreError(
                f"Copying {table.name} gave {copied} rows for {len(rows)}; nothing was changed."
            )
        if table.identity is not None:
            # The next id the target hands out comes after the copied ones.
            await conn.execute(
                f"""SELECT setval(pg_get_serial_sequence('{table.name}', '{table.identity}'),
                    coalesce(max({table.identity}), 0) + 1, false) FROM {table.name}"""
            )
        counts.append((table.name, len(rows)))
    return CopyReport(tuple(counts))
