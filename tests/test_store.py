"""The SQLite store through real aiosqlite files: schema, dedupe, feeds, channels and sent log."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.config import Settings
from bot.models import Article
from bot.store import (
    ChannelSettings,
    SchemaError,
    SQLiteStore,
    Store,
    StoreError,
    Subscription,
    delivery_key,
    feed_backoff,
    feed_item_key,
    open_store,
)
from bot.store.schema import LATEST_VERSION, Migration, migrate, schema_version
from summarizers.types import KeyFigure, TextSummary

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
DAY = date(2026, 11, 28)
STORY = (
    "More than 190,000 people crossed the border in November. Officials said the number "
    "was the highest on record."
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    async with await SQLiteStore.open(tmp_path / "newsbrief.db", clock=lambda: T0) as opened:
        yield opened


def article(url: str, text: str = STORY, **fields: object) -> Article:
    return Article(text=text, url=url, **fields)  # type: ignore[arg-type]


# --- schema and opening ---


async def test_open_creates_directory_migrates_and_reopens_idempotently(tmp_path: Path) -> None:
    path = tmp_path / "data" / "sub" / "newsbrief.db"
    async with await SQLiteStore.open(path) as store:
        assert await store.integrity_check()
        await store.add_feed("https://example.com/feed.xml", "Example")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "article_keys", "summaries", "feeds", "subscriptions"} <= tables
    assert {"channel_settings", "deliveries", "sent_articles"} <= tables
    raw.close()
    async with await SQLiteStore.open(path) as store:
        assert [feed.name for feed in await store.list_feeds()] == ["Example"]


async def test_open_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(SchemaError, match="newer"):
        await SQLiteStore.open(path)


async def test_open_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    path.write_bytes(b"this is not an SQLite file, just some text " * 100)
    with pytest.raises(StoreError):
        await SQLiteStore.open(path)


async def test_integrity_check_notices_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    async with await SQLiteStore.open(path) as store:
        for n in range(200):
            await store.upsert_article(article(f"https://a.example/{n}", text=f"Story {n}."))
        assert await store.integrity_check()
    page_size = 4096
    with path.open("r+b") as raw:  # scribble over a page of articles and their indexes
        raw.seek(page_size * 4)
        raw.write(bytes(range(256)) * 16)
    async with await SQLiteStore.open(path) as store:
        assert not await store.integrity_check()


async def test_migrations_apply_once_in_order_and_a_failure_rolls_all_back(
    tmp_path: Path,
) -> None:
    first = Migration(1, "a", ("CREATE TABLE a (x INTEGER)",))
    second = Migration(2, "b", ("CREATE TABLE b (x INTEGER)", "INSERT INTO a VALUES (1)"))
    broken = Migration(3, "broken", ("CREATE TABLE c (x INTEGER)", "NOT SQL AT ALL"))
    async with aiosqlite.connect(tmp_path / "m.db", isolation_level=None) as db:
        with pytest.raises(sqlite3.OperationalError):
            await migrate(db, [first, second, broken])
        assert await schema_version(db) == 0
        assert not list(await db.execute_fetchall("SELECT name FROM sqlite_master"))
        assert await migrate(db, [first, second]) == 2
        assert await migrate(db, [first, second]) == 2  # nothing left to run: no duplicate row
        assert list(await db.execute_fetchall("SELECT x FROM a")) == [(1,)]
        with pytest.raises(ValueError, match="numbered"):
            await migrate(db, [second])


async def test_open_store_picks_sqlite_from_settings_path_or_url(
    settings: Settings, tmp_path: Path
) -> None:
    async with await open_store(settings) as store:
        assert isinstance(store, Store)
        assert isinstance(store, SQLiteStore)
        assert store.path == str(settings.db_path)
    url_path = tmp_path / "by-url" / "x.db"
    async with await open_store(f"sqlite:///{url_path}") as store:
        assert await store.integrity_check()
    assert url_path.exists()
    with pytest.raises(StoreError, match="PostgreSQL"):
        await open_store("postgresql://user:secret@db/newsbrief")
    with pytest.raises(StoreError) as error:
        await open_store("mysql://user:secret@db/newsbrief")
    assert "secret" not in str(error.value)


# --- articles ---


async def test_same_canonical_url_is_one_article(store: SQLiteStore) -> None:
    first, created = await store.upsert_article(
        article("https://www.example.com/news/border?utm_source=rss", title=None)
    )
    again, created_again = await store.upsert_article(
        article(
            "https://example.com/news/border",
            text=STORY + " Updated with a correction.",
            title="Border crossings peak",
        )
    )
    assert created and not created_again
    assert again.id == first.id
    assert again.text == STORY  # the first text stays
    assert again.title == "Border crossings peak"  # a missing field is filled in


async def test_same_text_under_another_url_or_guid_is_one_article(store: SQLiteStore) -> None:
    original, _ = await store.upsert_article(
        article("https://news.example/a/1"), keys=["urn:guid:first"]
    )
    republished, created = await store.upsert_article(
        article("https://news.example/a/1-republished", text=STORY.upper().replace(" ", "  ")),
        keys=["urn:guid:second"],
    )
    assert not created and republished.id == original.id
    for name in ("urn:guid:first", "urn:guid:second", "https://news.example/a/1-republished"):
        found = await store.article_for_url(name)
        assert found is not None and found.id == original.id
    tracked = await store.article_for_url("https://www.news.example/a/1?utm_medium=social")
    assert tracked is not None and tracked.id == original.id
    assert await store.article_for_url("urn:guid:never-seen") is None


async def test_bare_guids_from_two_feeds_stay_two_articles(store: SQLiteStore) -> None:
    feed_a, feed_b = "https://a.example/rss", "https://b.example/atom"
    a, _ = await store.upsert_article(
        article("https://a.example/story", text="Story A."), keys=[feed_item_key(feed_a, "123")]
    )
    b, created = await store.upsert_article(
        article("https://b.example/story", text="Story B."), keys=[feed_item_key(feed_b, "123")]
    )
    assert created and a.id != b.id
    found = await store.article_for_url(feed_item_key(feed_b, "123"))
    assert found is not None and found.id == b.id
    assert feed_item_key(feed_a, "https://a.example/p?id=1") == "https://a.example/p?id=1"


async def test_different_stories_are_kept_apart_and_listed_newest_first(
    store: SQLiteStore,
) -> None:
    old, _ = await store.upsert_article(
        article("https://a.example/old", text="An old story.", published=T0 - timedelta(days=3))
    )
    dated, _ = await store.upsert_article(
        article("https://a.example/new", text="A new story.", published=T0 - timedelta(hours=1))
    )
    undated, _ = await store.upsert_article(
        article("https://a.example/undated", text="A story without a date."),
        fetched_at=T0 + timedelta(minutes=1),
    )
    assert len({old.id, dated.id, undated.id}) == 3
    recent = await store.articles_since(T0 - timedelta(days=1))
    assert [a.id for a in recent] == [undated.id, dated.id]
    assert [a.id for a in await store.articles_since(T0 - timedelta(days=1), limit=1)] == [
        undated.id
    ]
    assert recent[1].published == T0 - timedelta(hours=1)
    assert recent[1].published.tzinfo is not None
    assert recent[1].as_article().url == "https://a.example/new"
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.articles_since(datetime(2026, 11, 28))


async def test_concurrent_upserts_of_one_story_make_one_row(store: SQLiteStore) -> None:
    results = await asyncio.gather(
        *(store.upsert_article(article(f"https://mirror{i}.example/story")) for i in range(20))
    )
    assert len({stored.id for stored, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_articles_need_a_url_and_text(store: SQLiteStore) -> None:
    with pytest.raises(ValueError, match="URL"):
        await store.upsert_article(Article(text=STORY))
    with pytest.raises(ValueError, match="text"):
        await store.upsert_article(article("https://a.example/empty", text="  \n"))


async def test_topic_score_is_kept_and_updated(store: SQLiteStore) -> None:
    stored, _ = await store.upsert_article(article("https://a.example/x"), topic_score=0.4)
    assert stored.topic_score == 0.4
    await store.set_topic_score(stored.id, 0.9)
    refreshed = await store.get_article(stored.id)
    assert refreshed is not None and refreshed.topic_score == 0.9
    assert await store.get_article(stored.id + 1000) is None


async def test_summary_round_trip_and_replace(store: SQLiteStore) -> None:
    stored, _ = await store.upsert_article(article("https://a.example/s"))
    figure = KeyFigure(
        value=190000.0,
        surface="190,000",
        sentence=STORY.split(". ")[0] + ".",
        qualifier="more than",
        counted="people crossed the border",
        period="in November",
        score=0.75,
    )
    summary = TextSummary(sentences=("Más de 190.000 personas.",), figures=(figure,), method="nb")
    await store.save_summary(stored.id, summary)
    assert await store.get_summary(stored.id, "nb") == summary
    assert await store.get_summary(stored.id, "lexrank") is None
    shorter = TextSummary(sentences=("Only one.",), figures=(), method="nb", lang="es")
    await store.save_summary(stored.id, shorter)
    assert await store.get_summary(stored.id, "nb") == shorter
    with pytest.raises(KeyError):
        await store.save_summary(stored.id + 1000, summary)


# --- feeds ---


def test_backoff_doubles_from_five_minutes_up_to_six_hours() -> None:
    waits = [feed_backoff(n) for n in range(0, 10)]
    assert [w.total_seconds() / 60 for w in waits] == [0, 5, 10, 20, 40, 80, 160, 320, 360, 360]
    assert feed_backoff(10_000) == timedelta(hours=6)


async def test_feed_backoff_progression_and_reset_on_success(store: SQLiteStore) -> None:
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


async def test_feeds_add_rename_list_remove(store: SQLiteStore) -> None:
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


async def test_subscriptions_crud(store: SQLiteStore) -> None:
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


async def test_channel_settings_default_then_saved(store: SQLiteStore) -> None:
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


async def test_delivery_is_recorded_once_and_sent_once(store: SQLiteStore) -> None:
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


async def test_failed_delivery_can_be_retried(store: SQLiteStore) -> None:
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


async def test_delivery_misuse_is_refused(store: SQLiteStore) -> None:
    with pytest.raises(KeyError):
        await store.finish_delivery("digest:slack:C1:2026-11-28:nothing")
    with pytest.raises(KeyError):
        await store.fail_delivery("digest:slack:C1:2026-11-28:nothing", "x")
    with pytest.raises(ValueError):
        await store.begin_delivery("slack", "C1", "migration", T0)  # a datetime, not a date
    with pytest.raises(ValueError):
        await store.begin_delivery("irc", "C1", "migration", DAY)  # type: ignore[arg-type]


async def test_concurrent_begins_share_one_row(store: SQLiteStore) -> None:
    rows = await asyncio.gather(
        *(store.begin_delivery("console", "tty", "migration", DAY) for _ in range(5))
    )
    assert {row.id for row in rows} == {rows[0].id}
    assert sorted(row.attempts for row in rows) == [1, 2, 3, 4, 5]
