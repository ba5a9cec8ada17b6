"""Every field of every store record survives a round trip, and misuse is refused in one sentence.

Contract tests over the ``store`` fixture (every backend in store_fixtures.BACKENDS). Mutation
testing found each field below read back by no test (docs/testing.md).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store_fixtures import DAY, STORY, T0, article, store

from bot.models import Article
from bot.store import ChannelSettings, Delivery, FeedState, Store, Subscription, delivery_key

__all__ = ["store"]  # the fixture, imported for pytest

PUBLISHED = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)
FULL = Article(
    text=STORY,
    title="Crossings hit a record",
    url="https://news.example/a?ref=home",
    canonical_url="https://news.example/a",
    byline="A. Writer",
    published=PUBLISHED,
    lang="es",
    source="Example News",
)


async def test_an_article_comes_back_whole(store: Store) -> None:
    stored, new = await store.upsert_article(FULL, topic_score=0.7)
    assert new
    assert stored.as_article() == FULL
    assert (stored.fetched_at, stored.topic_score, stored.lang) == (T0, 0.7, "es")
    assert stored.content_hash and stored.canonical_url == "https://news.example/a"
    for read in (
        await store.get_article(stored.id),
        await store.article_for_url("https://news.example/a"),
        (await store.articles_since(PUBLISHED - timedelta(hours=1)))[0],
    ):
        assert read == stored


async def test_a_repeat_keeps_what_is_known_and_takes_a_new_topic_score(store: Store) -> None:
    first, _ = await store.upsert_article(FULL, topic_score=0.4)
    bare = Article(text=STORY, url="https://mirror.example/a")  # same text, nothing else known
    again, new = await store.upsert_article(bare, topic_score=0.9)
    assert not new
    assert again == replace(first, topic_score=0.9)  # published, byline, ... all kept
    assert await store.get_article(first.id) == again


async def test_an_updated_text_under_a_known_guid_is_the_same_article(store: Store) -> None:
    guid = "https://feed.example/rss#guid=1234"
    first, _ = await store.upsert_article(article("https://news.example/one"), keys=[guid])
    updated = article("https://news.example/one-updated", text=STORY + " It was updated.")
    again, new = await store.upsert_article(updated, keys=[guid])
    assert (again.id, new, again.text) == (first.id, False, STORY)


async def test_a_feed_comes_back_whole(store: Store) -> None:
    await store.add_feed("https://feed.example/rss", "Example feed")
    await store.feed_succeeded("https://feed.example/rss", etag='"v1"', last_modified="Tue", at=T0)
    failed = await store.feed_failed("https://feed.example/rss", "The site is down.", at=T0)
    expected = FeedState(
        url="https://feed.example/rss",
        name="Example feed",
        etag='"v1"',
        last_modified="Tue",
        last_success=T0,
        consecutive_failures=1,
        last_error="The site is down.",
        next_attempt=T0 + timedelta(minutes=5),
    )
    assert failed == expected
    assert await store.get_feed("https://feed.example/rss") == expected
    assert await store.list_feeds() == [expected]


async def test_a_subscription_and_settings_come_back_whole(store: Store) -> None:
    wanted = Subscription(
        "discord", "C9", "elections", "18:45", "America/Bogota", sentences=5, enabled=False
    )
    saved = await store.subscribe(wanted)
    assert saved == replace(wanted, id=saved.id) and saved.id is not None
    assert await store.list_subscriptions(include_disabled=True) == [saved]
    settings = ChannelSettings("discord", "C9", sentences=7, auto_summarize=True, language="es")
    assert await store.save_channel_settings(settings) == settings
    assert await store.channel_settings("discord", "C9") == settings


async def test_a_delivery_comes_back_whole_and_finishing_twice_keeps_the_first(
    store: Store,
) -> None:
    begun = await store.begin_delivery("slack", "C1", "migration", DAY, at=T0)
    key = delivery_key("slack", "C1", "migration", DAY)
    assert begun == Delivery(
        id=begun.id,
        platform="slack",
        channel="C1",
        digest_date=DAY,
        topic="migration",
        delivery_key=key,
        state="pending",
        attempts=1,
        message_ref=None,
        last_error=None,
        created_at=T0,
        sent_at=None,
    )
    assert await store.pending_deliveries() == [begun]
    later = T0 + timedelta(minutes=1)
    sent = await store.finish_delivery(key, message_ref="m1", at=later)
    assert sent == replace(begun, state="sent", message_ref="m1", sent_at=later)
    assert await store.finish_delivery(key, message_ref="m2") == sent
    assert await store.get_delivery(key) == sent


@pytest.mark.parametrize(
    ("channel", "topic"),
    [("", "migration"), ("C1", ""), ("", "")],
    ids=["channel", "topic", "both"],
)
async def test_a_delivery_needs_a_channel_and_a_topic(
    store: Store, channel: str, topic: str
) -> None:
    message = "A delivery needs a known platform, a channel and a topic."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        await store.begin_delivery("slack", channel, topic, DAY)


async def test_a_delivery_is_for_a_day_not_a_moment(store: Store) -> None:
    message = "digest_date must be a date (the subscriber's local day)."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        await store.begin_delivery("slack", "C1", "migration", T0)  # type: ignore[arg-type]


async def test_unknown_delivery_keys_are_named(store: Store) -> None:
    for call in (store.finish_delivery("nope"), store.fail_delivery("nope", "x")):
        with pytest.raises(KeyError, match="no delivery nope"):
            await call


@pytest.mark.parametrize("sentences", [1, 10])
def test_one_to_ten_sentences_are_allowed(sentences: int) -> None:
    assert Subscription("slack", "C1", sentences=sentences).sentences == sentences
    assert ChannelSettings("slack", "C1", sentences=sentences).sentences == sentences


@pytest.mark.parametrize("sentences", [0, 11])
def test_fewer_than_one_or_more_than_ten_sentences_are_refused(sentences: int) -> None:
    message = f"Sentences must be between 1 and 10, not {sentences}."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Subscription("slack", "C1", sentences=sentences)
