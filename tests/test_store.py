"""The SQLite store through real aiosqlite files: schema, articles and summaries."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest
from store_fixtures import STORY, T0, article, store

from bot.config import Settings
from bot.models import Article
from bot.store import (
    SchemaError,
    SQLiteStore,
    Store,
    StoreError,
    feed_item_key,
    open_store,
)
from bot.store.sqlite.schema import LATEST_VERSION, Migration, migrate, schema_version
from summarizers.types import KeyFigure, TextSummary

__all__ = ["store"]  # the fixture, imported for pytest


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
    async with await open_store(settings.db_path) as store:
        assert isinstance(store, Store)
        assert isinstance(store, SQLiteStore)
        assert store.path == str(settings.db_path)
    url_path = tmp_path / "by-url" / "x.db"
    async with await open_store(f"sqlite:///{url_path}") as store:
        assert await store.integrity_check()
    assert url_path.exists()
    # A PostgreSQL address opens PostgreSQL (tests/test_pg_*.py); nothing listens on port 1.
    with pytest.raises(StoreError) as error:
        await open_store("postgresql://user:secret@127.0.0.1:1/newsbrief")
    assert error.value.message.startswith("Cannot connect to PostgreSQL at 127.0.0.1:1/newsbrief")
    assert "secret" not in error.value.message
    with pytest.raises(StoreError) as error:
        await open_store("mysql://user:secret@db/newsbrief")
    assert error.value.message == (
        "NEWSBRIEF_DB must be a file path, a sqlite:/// URL or a postgresql:// address."
    )


# --- articles ---


async def test_same_canonical_url_is_one_article(store: Store) -> None:
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


async def test_same_text_under_another_url_or_guid_is_one_article(store: Store) -> None:
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


async def test_bare_guids_from_two_feeds_stay_two_articles(store: Store) -> None:
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
    store: Store,
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


async def test_concurrent_upserts_of_one_story_make_one_row(store: Store) -> None:
    results = await asyncio.gather(
        *(store.upsert_article(article(f"https://mirror{i}.example/story")) for i in range(20))
    )
    assert len({stored.id for stored, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_articles_need_a_url_and_text(store: Store) -> None:
    with pytest.raises(ValueError, match="URL"):
        await store.upsert_article(Article(text=STORY))
    with pytest.raises(ValueError, match="text"):
        await store.upsert_article(article("https://a.example/empty", text="  \n"))


async def test_topic_score_is_kept_and_updated(store: Store) -> None:
    stored, _ = await store.upsert_article(article("https://a.example/x"), topic_score=0.4)
    assert stored.topic_score == 0.4
    await store.set_topic_score(stored.id, 0.9)
    refreshed = await store.get_article(stored.id)
    assert refreshed is not None and refreshed.topic_score == 0.9
    assert await store.get_article(stored.id + 1000) is None


async def test_summary_round_trip_and_replace(store: Store) -> None:
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
