"""SQLite rows to store records (the reverse of what the SQLite store's statements write)."""

from __future__ import annotations

import sqlite3
from datetime import date

from bot.store.records import ChannelSettings, Delivery, FeedState, StoredArticle, Subscription
from bot.store.sqlite.schema import from_db_time


def article_from_row(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        id=row["id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        content_hash=row["content_hash"],
        title=row["title"],
        byline=row["byline"],
        source=row["source"],
        published=from_db_time(row["published"]),
        lang=row["lang"],
        text=row["text"],
        fetched_at=from_db_time(row["fetched_at"]),
        topic_score=row["topic_score"],
    )


def feed_from_row(row: sqlite3.Row) -> FeedState:
    return FeedState(
        url=row["url"],
        name=row["name"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success=from_db_time(row["last_success"]),
        consecutive_failures=row["consecutive_failures"],
        last_error=row["last_error"],
        next_attempt=from_db_time(row["next_attempt"]),
    )


def subscription_from_row(row: sqlite3.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        channel=row["channel"],
        topic=row["topic"],
        local_time=row["local_time"],
        timezone=row["timezone"],
        sentences=row["sentences"],
        enabled=bool(row["enabled"]),
        tenant=row["tenant"],
    )


def settings_from_row(row: sqlite3.Row) -> ChannelSettings:
    return ChannelSettings(
        platform=row["platform"],
        channel=row["channel"],
        sentences=row["sentences"],
        auto_summarize=bool(row["auto_summarize"]),
        language=row["language"],
    )


def delivery_from_row(row: sqlite3.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        platform=row["platform"],
        channel=row["channel"],
        digest_date=date.fromisoformat(row["digest_date"]),
        topic=row["topic"],
        delivery_key=row["delivery_key"],
        state=row["state"],
        attempts=row["attempts"],
        message_ref=row["message_ref"],
        last_error=row["last_error"],
        created_at=from_db_time(row["created_at"]),
        sent_at=from_db_time(row["sent_at"]),
        lease_owner=row["lease_owner"],
        lease_until=from_db_time(row["lease_until"]),
    )
