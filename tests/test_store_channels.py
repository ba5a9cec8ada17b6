"""The SQLite store through real aiosqlite files: feeds, channels and the sent log."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from store_fixtures import DAY, T0, article, store

from bot.store import (
    ChannelSettings,
    Store,
    Subscription,
    delivery_key,
    feed_backoff,
)

__all__ = ["store"]  # the fixture, imported for pytest


# --- feeds ---


def test_backoff_doubles_from_five_minutes_up_to_six_hours() -> None:
    waits = [feed_backoff(n) for n in range(0, 10)]
    assert [w.total_seconds() / 60 for w in waits] == [0, 5, 10, 20, 40, 80, 160, 320, 360, 360]
    assert feed_backoff(10_000) == timedelta(hours=6)


async def test_feed_backoff_progression_and_reset_on_success(store: Store) -> None:
    url = "https://feeds.example/rss"
    await store.add_feed(url, "Example")
    await store.feed_succeeded(url, etag='"v1"', last_modified="Sat, 28 Nov 2026 05:00:00 GMT")
    now, waits = T0, []
    for failures in range(1, 10):
        state = await store.feed_failed(url, "HTTP 503", at=now)
        assert state.consecutive_failures == failures and state.next_attempt is not None
        waits.append((state.next_attempt - now).total_seconds() / 60)
        assert await store.due_feeds(state.next_attempt - timedelta(seconds=1)) == []
        assert [f.url for f in await store.due_feeds(state.next_attempt)] == [url]
        now = state.next_attempt
    assert waits == [5, 10, 20, 40, 80, 160, 320, 360, 360]
    assert state.last_error == "HTTP 503"
    ok = await store.feed_succeeded(url, at=now)
    assert ok.consecutive_failures == 0 and ok.last_error is None and ok.next_attempt is None
    assert ok.last_success == now
    assert ok.etag == '"v1"'  # a 304 without validators keeps the old ones
    assert ok.last_modified == "Sat, 28 Nov 2026 05:00:00 GMT"
    assert [f.url for f in await store.due_feeds(now)] == [url]


async def test_feeds_add_rename_list_remove(store: Store) -> None:
    await store.add_feed("https://b.example/feed", "B")
    await store.feed_failed("https://b.example/feed", "timeout")
    renamed = await store.add_feed("https://b.example/feed", "B News")
    assert renamed.name == "B News" and renamed.consecutive_failures == 1
    assert (await store.add_feed("https://b.example/feed")).name == "B News"
    await store.add_feed("https://a.example/feed")
    assert [f.url for f in await store.list_feeds()] == [
        "https://a.example/feed",
        "https://b.example/feed",
    ]
    assert await store.remove_feed("https://a.example/feed")
    assert not await store.remove_feed("https://a.example/feed")
    assert await store.get_feed("https://a.example/feed") is None
    with pytest.raises(KeyError):
        await store.feed_failed("https://a.example/feed", "gone")
    with pytest.raises(KeyError):
        await store.feed_succeeded("https://a.example/feed")


# --- subscriptions and channel settings ---


async def test_subscriptions_crud(store: Store) -> None:
    first = await store.subscribe(Subscription("slack", "C1"))
    assert first.id is not None and (first.topic, first.local_time, first.timezone) == (
        "migration",
        "07:00",
        "UTC",
    )
    moved = await store.subscribe(
        Subscription("slack", "C1", local_time="08:30", timezone="America/Mexico_City")
    )
    assert moved.id == first.id and moved.time_of_day.hour == 8
    await store.subscribe(Subscription("slack", "C1", topic="asylum", sentences=5))
    await store.subscribe(Subscription("discord", "D1", enabled=False))
    assert [(s.channel, s.topic) for s in await store.list_subscriptions()] == [
        ("C1", "asylum"),
        ("C1", "migration"),
    ]
    everything = await store.list_subscriptions(include_disabled=True)
    assert [s.platform for s in everything] == ["discord", "slack", "slack"]
    assert len(await store.list_subscriptions(platform="discord")) == 0
    assert len(await store.list_subscriptions(channel="D1", include_disabled=True)) == 1
    assert await store.unsubscribe("slack", "C1", "asylum") == 1
    assert await store.unsubscribe("slack", "C1", "asylum") == 0
    await store.subscribe(Subscription("slack", "C1", topic="asylum"))
    assert await store.unsubscribe("slack", "C1") == 2
    assert await store.list_subscriptions(platform="slack") == []


@pytest.mark.parametrize(
    "fields",
    [
        {"local_time": "25:00"},
        {"local_time": "7:00"},
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "../etc/passwd"},
        {"sentences": 0},
        {"sentences": 11},
        {"platform": "irc"},
        {"channel": ""},
    ],
)
def test_invalid_subscriptions_are_refused(fields: dict[str, object]) -> None:
    values: dict[str, object] = {"platform": "slack", "channel": "C1", **fields}
    with pytest.raises(ValueError):
        Subscription(**values)  # type: ignore[arg-type]


async def test_channel_settings_default_then_saved(store: Store) -> None:
    assert await store.channel_settings("discord", "D9") == ChannelSettings("discord", "D9")
    saved = await store.save_channel_settings(
        ChannelSettings("discord", "D9", sentences=5, auto_summarize=True, language="es")
    )
    assert await store.channel_settings("discord", "D9") == saved
    assert saved.auto_summarize is True and saved.language == "es"
    await store.save_channel_settings(ChannelSettings("discord", "D9", sentences=2))
    assert (await store.channel_settings("discord", "D9")).auto_summarize is False
    assert await store.channel_settings("slack", "D9") == ChannelSettings("slack", "D9")
    with pytest.raises(ValueError):
        ChannelSettings("slack", "C1", language="fr")  # type: ignore[arg-type]


# --- the sent log ---


async def test_delivery_is_recorded_once_and_sent_once(store: Store) -> None:
    a, _ = await store.upsert_article(article("https://a.example/1", text="One."))
    b, _ = await store.upsert_article(article("https://a.example/2", text="Two."))
    begun = await store.begin_delivery("slack", "C1", "migration", DAY)
    assert (begun.state, begun.attempts) == ("pending", 1)
    assert begun.delivery_key == "digest:slack:C1:2026-11-28:migration"
    assert begun.delivery_key == delivery_key("slack", "C1", "migration", DAY)
    again = await store.begin_delivery("slack", "C1", "migration", DAY)
    assert (again.id, again.state, again.attempts) == (begun.id, "pending", 2)
    assert [d.id for d in await store.pending_deliveries()] == [begun.id]

    sent = await store.finish_delivery(
        begun.delivery_key, message_ref="1700000000.000100", article_ids=[a.id, a.id]
    )
    assert (sent.state, sent.message_ref, sent.sent_at) == ("sent", "1700000000.000100", T0)
    after = await store.begin_delivery("slack", "C1", "migration", DAY)
    assert (after.id, after.state, after.attempts) == (begun.id, "sent", 2)
    assert await store.pending_deliveries() == []
    assert (await store.fail_delivery(begun.delivery_key, "late error")).state == "sent"
    assert await store.already_sent_article_ids("slack", "C1", [a.id, b.id]) == {a.id}
    assert await store.already_sent_article_ids("slack", "C2", [a.id, b.id]) == set()
    assert await store.already_sent_article_ids("discord", "C1", [a.id]) == set()
    assert await store.already_sent_article_ids("slack", "C1", []) == set()

    tomorrow = await store.begin_delivery("slack", "C1", "migration", DAY + timedelta(days=1))
    assert tomorrow.id != begun.id and tomorrow.state == "pending"


async def test_failed_delivery_can_be_retried(store: Store) -> None:
    begun = await store.begin_delivery("discord", "D1", "migration", DAY)
    failed = await store.fail_delivery(begun.delivery_key, "HTTP 500 from Discord")
    assert (failed.state, failed.last_error) == ("failed", "HTTP 500 from Discord")
    assert await store.pending_deliveries() == []
    retry = await store.begin_delivery("discord", "D1", "migration", DAY)
    assert (retry.id, retry.state, retry.attempts) == (begun.id, "pending", 2)
    done = await store.finish_delivery(retry.delivery_key, message_ref="m1")
    assert done.state == "sent" and done.last_error is None
    assert (await store.get_delivery(retry.delivery_key)) == done
    assert await store.get_delivery("digest:discord:D1:2000-01-01:migration") is None


async def test_delivery_misuse_is_refused(store: Store) -> None:
    with pytest.raises(KeyError):
        await store.finish_delivery("digest:slack:C1:2026-11-28:nothing")
    with pytest.raises(KeyError):
        await store.fail_delivery("digest:slack:C1:2026-11-28:nothing", "x")
    with pytest.raises(ValueError):
        await store.begin_delivery("slack", "C1", "migration", T0)  # a datetime, not a date
    with pytest.raises(ValueError):
        await store.begin_delivery("irc", "C1", "migration", DAY)  # type: ignore[arg-type]


async def test_concurrent_begins_share_one_row(store: Store) -> None:
    rows = await asyncio.gather(
        *(store.begin_delivery("console", "tty", "migration", DAY) for _ in range(5))
    )
    assert {row.id for row in rows} == {rows[0].id}
    assert sorted(row.attempts for row in rows) == [1, 2, 3, 4, 5]
