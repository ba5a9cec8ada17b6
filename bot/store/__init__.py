"""Newsbrief's persistent store: the ``Store`` interface, its records, and ``open_store``.

Callers type against ``Store`` and get one from ``open_store``; only this package knows the
backend, chosen from the path or URL: SQLite (a path or ``sqlite:///``, the default) or
PostgreSQL (``postgresql://``, ``bot.store.postgres``).
"""

from __future__ import annotations

import os

from bot.store.base import Store, StoreError
from bot.store.records import (
    DELIVERY_LEASE,
    FEED_BACKOFF_BASE,
    FEED_BACKOFF_CAP,
    OPERATOR_TENANT,
    ChannelSettings,
    Delivery,
    DeliveryState,
    FeedState,
    Language,
    Platform,
    StoredArticle,
    Subscription,
    delivery_key,
    feed_backoff,
    feed_item_key,
)
from bot.store.records.story_log import DeliveredStory, new_story_key
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.base import DEFAULT_BUSY_TIMEOUT_MS
from bot.store.sqlite.schema import SchemaError

__all__ = [
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DELIVERY_LEASE",
    "FEED_BACKOFF_BASE",
    "FEED_BACKOFF_CAP",
    "OPERATOR_TENANT",
    "ChannelSettings",
    "DeliveredStory",
    "Delivery",
    "DeliveryState",
    "FeedState",
    "Language",
    "Platform",
    "SQLiteStore",
    "SchemaError",
    "Store",
    "StoreError",
    "StoredArticle",
    "Subscription",
    "delivery_key",
    "feed_backoff",
    "feed_item_key",
    "new_story_key",
    "open_store",
]

_SQLITE_PREFIX = "sqlite:///"  # SQLAlchemy's spelling: sqlite:///relative.db, sqlite:////abs.db


async def open_store(
    target: str | os.PathLike[str],
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> Store:
    """Open the store at a path or URL, such as ``Settings.db_path`` (``NEWSBRIEF_DB``).

    A plain path or ``sqlite:///path`` opens SQLite, creating the directory; a
    ``postgresql://`` address opens PostgreSQL (migrating it); the caller closes the store with
    ``await store.aclose()`` (or ``async with``). The store takes a location,
    not ``Settings``, so that it sits below the configuration (which imports the chat layer).
    """
    location = os.fspath(target)
    if location.startswith(("postgres://", "postgresql://")):
        from bot.store.postgres import PostgresStore  # asyncpg loads only for PostgreSQL

        return await PostgresStore.open(location)
    if "://" in location and not location.startswith(_SQLITE_PREFIX):
        raise StoreError(
            "NEWSBRIEF_DB must be a file path, a sqlite:/// URL or a postgresql:// address."
        )
    return await SQLiteStore.open(
        location.removeprefix(_SQLITE_PREFIX), busy_timeout_ms=busy_timeout_ms
    )
