"""PostgreSQL rows (asyncpg records) to the store's records."""

from __future__ import annotations

import json
from typing import cast

import asyncpg

from bot.models import Article
from bot.store.postgres.base import utc
from bot.store.records import (
    ChannelSettings,
    Delivery,
    FeedState,
    Platform,
    StoredArticle,
    Subscription,
)
from bot.store.records.alerts import Watch, WatchHit
from bot.store.records.controls import SummaryControls
from bot.store.records.filters import ChannelFilter
from bot.store.records.story_log import DeliveredStory, figures_from_json

Row = asyncpg.Record


def article_from_row(row: Row) -> StoredArticle:
    fetched = utc(row["fetched_at"])
    assert fetched is not None
    return StoredArticle(
        id=row["id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        content_hash=row["content_hash"],
        title=row["title"],
        byline=row["byline"],
        source=row["source"],
        published=utc(row["published"]),
        lang=row["lang"],
        text=row["text"],
        fetched_at=fetched,
        topic_score=row["topic_score"],
    )


def feed_from_row(row: Row) -> FeedState:
    return FeedState(
        url=row["url"],
        name=row["name"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success=utc(row["last_success"]),
        consecutive_failures=row["consecutive_failures"],
        last_error=row["last_error"],
        next_attempt=utc(row["next_attempt"]),
    )


def subscription_from_row(row: Row) -> Subscription:
    return Subscription(
        id=row["id"],
        platform=row["platform"],
        channel=row["channel"],
        topic=row["topic"],
        local_time=row["local_time"],
        timezone=row["timezone"],
        sentences=row["sentences"],
        enabled=row["enabled"],
        tenant=row["tenant"],
    )


def settings_from_row(row: Row) -> ChannelSettings:
    return ChannelSettings(
        platform=row["platform"],
        channel=row["channel"],
        sentences=row["sentences"],
        auto_summarize=row["auto_summarize"],
        language=row["language"],
    )


def delivery_from_row(row: Row) -> Delivery:
    created = utc(row["created_at"])
    assert created is not None
    return Delivery(
        id=row["id"],
        platform=row["platform"],
        channel=row["channel"],
        digest_date=row["digest_date"],
        topic=row["topic"],
        delivery_key=row["delivery_key"],
        state=row["state"],
        attempts=row["attempts"],
        message_ref=row["message_ref"],
        last_error=row["last_error"],
        created_at=created,
        sent_at=utc(row["sent_at"]),
        lease_owner=row["lease_owner"],
        lease_until=utc(row["lease_until"]),
    )


def story_from_row(row: Row) -> DeliveredStory:
    figures, langs = figures_from_json(row["figures"])
    return DeliveredStory(
        story_key=row["story_key"],
        headline=row["headline"],
        article_ids=tuple(int(i) for i in json.loads(row["article_ids"])),
        outlets=tuple(str(o) for o in json.loads(row["outlets"])),
        figures=figures,
        figure_langs=langs,
        message_ref=row["message_ref"],
        first_sent=utc(row["first_sent"]),
        last_sent=utc(row["last_sent"]),
    )


def watch_from_row(row: Row) -> Watch:
    return Watch(
        platform=row["platform"],
        channel=row["channel"],
        tenant=row["tenant"],
        what=row["what"],
        place=row["place"],
        condition=row["condition"],
        threshold=row["threshold"],
        created_by=row["created_by"],
        created_at=utc(row["created_at"]),
        id=row["id"],
    )


def hit_from_row(row: Row) -> WatchHit:
    seen = utc(row["seen_at"])
    assert seen is not None
    return WatchHit(
        watch_id=row["watch_id"],
        article_id=row["article_id"],
        value=row["value"],
        surface=row["surface"],
        period=row["period"],
        lang=row["lang"],
        seen_at=seen,
        alerted=row["alerted"],
    )


def filter_from_row(row: Row) -> ChannelFilter:
    return ChannelFilter(
        platform=row["platform"],
        channel=row["channel"],
        topic=row["topic"],
        mode=row["mode"],
        kind=row["kind"],
        value=row["value"],
        id=row["id"],
        created_by=row["created_by"],
        created_at=utc(row["created_at"]),
    )


def controls_from_row(row: Row) -> SummaryControls:
    article = Article(
        text=row["text"],
        title=row["title"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        source=row["source"],
        published=utc(row["published"]),
        lang=row["lang"],
    )
    return SummaryControls(
        key=row["key"],
        platform=cast(Platform, row["platform"]),
        tenant=row["tenant"],
        channel=row["channel"],
        article=article,
        method=row["method"],
        shown=tuple(json.loads(row["shown"])),
        created_at=utc(row["created_at"]),
    )


# Every column of ``articles`` but the search index, qualified (a search would ship it too).
_ARTICLE_FIELDS = (
    "id, url, canonical_url, content_hash, title, byline, source, published, lang, text, "
    "fetched_at, topic_score"
)
ARTICLE_COLUMNS = ", ".join(f"articles.{name}" for name in _ARTICLE_FIELDS.split(", "))
