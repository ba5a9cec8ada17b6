"""The store's sentences and file care, found by mutation testing (docs/testing.md).

A real SQLite file in a temporary folder each time. What is pinned is what an operator or a
user meets: the one sentence a bad value, a damaged or vanished file or a failed backup gives,
and what pruning and backup leave behind.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import Article
from bot.store import (
    ChannelSettings,
    SQLiteStore,
    StoreError,
    Subscription,
    feed_item_key,
    open_store,
)
from bot.store.maintenance import backup_file, ensure_sound, prune, prune_file
from summarizers.types import TextSummary

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _article(n: int) -> Article:
    return Article(
        text=f"Story {n}: 1,200 people crossed the border.", url=f"https://n.example/{n}"
    )


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (lambda: Subscription("irc", "C1"), "Platform must be one of console, discord, slack"),
        (lambda: Subscription("slack", ""), "A channel id is required."),
        (lambda: Subscription("slack", "C1", "  "), "A topic is required."),
        (
            lambda: Subscription("slack", "C1", local_time="25:00"),
            "Time must be HH:MM on a 24-hour clock, not '25:00'.",
        ),
        (
            lambda: Subscription("slack", "C1", timezone="Mars/Olympus"),
            "'Mars/Olympus' is not a known time zone; use a name like Europe/Madrid.",
        ),
        (
            lambda: ChannelSettings("slack", "C1", language="fr"),
            "Language must be one of en, es, not 'fr'.",
        ),
    ],
)
def test_a_bad_subscription_or_setting_is_refused_in_one_sentence(make, sentence: str) -> None:
    with pytest.raises(ValueError) as refused:
        make()
    assert str(refused.value).startswith(sentence)


async def test_a_file_that_is_not_a_database_is_named_as_a_failure_not_as_busy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsbrief.db"
    path.write_bytes(b"these are my notes, not a database" * 200)
    with pytest.raises(StoreError) as failed:
        await open_store(path)
    assert str(failed.value) == "The database failed (file is not a database)."


async def test_a_database_deleted_under_the_bot_refuses_writes_and_says_so_once_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "newsbrief.db"
    async with await open_store(path) as store:
        await store.upsert_article(_article(1))
        path.unlink()
        caplog.set_level(logging.ERROR, logger="bot.store.sqlite.base")
        for n in (2, 3):
            with pytest.raises(StoreError) as refused:
                await store.upsert_article(_article(n))
            assert str(refused.value) == (
                f"The database file {path} was deleted or replaced while the bot was running, "
                "so nothing can be saved; restart Newsbrief (restore the last backup if needed)."
            )
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.store.sqlite.base"]
    assert logged == [f"The database file {path} was deleted or replaced while running"]


async def test_an_in_memory_store_keeps_working(tmp_path: Path) -> None:
    async with await SQLiteStore.open(":memory:") as store:
        stored, _ = await store.upsert_article(_article(1))
        assert (await store.get_article(stored.id)) is not None


async def test_an_http_guid_names_the_article_in_every_feed(tmp_path: Path) -> None:
    async with await open_store(tmp_path / "newsbrief.db") as store:
        guid = "http://n.example/story"
        first, _ = await store.upsert_article(
            _article(1), keys=[feed_item_key("https://a/rss", guid)]
        )
        again, created = await store.upsert_article(
            _article(1), keys=[feed_item_key("https://b/rss", guid)]
        )
        assert (again.id, created) == (first.id, False)
        found = await store.article_for_url(guid)
        assert found is not None and found.id == first.id


async def _filled(path: Path) -> None:
    async with await open_store(path) as store:
        for n in range(3):
            await store.upsert_article(_article(n))


async def test_backup_refuses_a_folder_a_missing_folder_and_the_database_itself(
    tmp_path: Path,
) -> None:
    source = tmp_path / "newsbrief.db"
    await _filled(source)
    cases = [
        (tmp_path, f"{tmp_path} is a folder; give a file name for the backup."),
        (
            tmp_path / "nowhere" / "copy.db",
            f"The folder {tmp_path / 'nowhere'} does not exist; create it first.",
        ),
        (source, f"{source} is the database itself; give another file name."),
    ]
    for target, sentence in cases:
        with pytest.raises(StoreError) as refused:
            backup_file(source, target)
        assert str(refused.value) == sentence
    # An older backup under the wanted name is replaced, not refused.
    older = tmp_path / "copy.db"
    older.write_bytes(b"yesterday's copy")
    assert backup_file(source, older) == older.stat().st_size
    async with await open_store(older) as copy:
        assert await copy.article_for_url("https://n.example/2") is not None
    with pytest.raises(StoreError) as missing:
        backup_file(tmp_path / "gone.db", tmp_path / "copy2.db")
    assert str(missing.value) == f"There is no database file at {tmp_path / 'gone.db'}."


def test_backup_of_a_damaged_file_says_the_copy_is_damaged_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "damaged.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(f"row {n} " * 40,) for n in range(2000)])
    db.commit()
    db.close()
    raw = bytearray(path.read_bytes())
    raw[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError) as refused:
        backup_file(path, tmp_path / "copy.db")
    assert str(refused.value).startswith("The backup copy is damaged (")
    assert str(refused.value).endswith("); the source may be too.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.db"]
    with pytest.raises(StoreError) as damaged:
        ensure_sound(path)
    assert str(damaged.value).startswith(f"The database {path} is damaged (")
    assert "restore the last backup over it as docs/operations.md says (Restore)" in str(
        damaged.value
    )
    ensure_sound(tmp_path / "new.db")  # no file yet: the store will create it


async def test_prune_counts_the_summaries_it_drops_and_keeps_at_least_three_days(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsbrief.db"
    async with await open_store(path) as store:
        old, _ = await store.upsert_article(_article(1), fetched_at=NOW - timedelta(days=4))
        new, _ = await store.upsert_article(_article(2), fetched_at=NOW - timedelta(days=1))
        for stored in (old, new):
            await store.save_summary(stored.id, TextSummary(("One line.",), (), "lead"))
    with pytest.raises(ValueError) as refused:
        prune_file(path, keep_days=2, now=NOW)
    assert str(refused.value) == "keep_days must be at least 3"
    result = prune_file(path, keep_days=3, now=NOW)  # the smallest allowed
    assert (result.texts_emptied, result.summaries_deleted) == (1, 1)
    async with await open_store(path) as store:
        assert await store.get_summary(old.id, "lead") is None
        assert await store.get_summary(new.id, "lead") is not None


async def test_prune_reads_the_given_day_and_the_bots_job_reads_today(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    recent = datetime.now(UTC) - timedelta(days=1)
    async with await open_store(path) as store:
        await store.upsert_article(_article(1), fetched_at=recent)
    # A year on, yesterday's article is old; today it is not.
    assert prune_file(path, keep_days=30, now=recent + timedelta(days=365)).texts_emptied == 1
    async with await open_store(path) as store:
        await store.upsert_article(_article(2), fetched_at=recent)
    assert (await prune(path, 30)).texts_emptied == 0


def test_pruning_a_file_that_is_not_newsbriefs_fails_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as failed:
        prune_file(path, keep_days=30, now=NOW)
    assert str(failed.value) == "Pruning old articles failed (no such table: summaries)."


@pytest.fixture
def madrid_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The host's local time zone is Madrid's (with its October clock change)."""
    monkeypatch.setenv("TZ", "Europe/Madrid")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_on_a_host_not_in_utc_the_last_day_survives_the_clock_change(
    tmp_path: Path, madrid_clock: None
) -> None:
    # 25 October 2026: Madrid's clocks go back from 03:00 to 02:00 at 01:00 UTC.
    change = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    async with await open_store(tmp_path / "newsbrief.db") as store:
        for n, minutes in enumerate((-15, 30)):
            await store.upsert_article(_article(n), fetched_at=change + timedelta(minutes=minutes))
        since = change - timedelta(minutes=20)
        found = await store.articles_since(since)
    assert sorted(a.url for a in found) == ["https://n.example/0", "https://n.example/1"]


async def test_a_failed_feed_is_due_again_at_the_very_moment_its_backoff_ends(
    tmp_path: Path,
) -> None:
    async with await open_store(tmp_path / "newsbrief.db") as store:
        await store.add_feed("https://a.example/rss")
        failed = await store.feed_failed("https://a.example/rss", "timeout", at=NOW)
        assert failed.next_attempt is not None and failed.next_attempt > NOW
        before = failed.next_attempt - timedelta(microseconds=1)
        assert [f.url for f in await store.due_feeds(before)] == []
        assert [f.url for f in await store.due_feeds(failed.next_attempt)] == [
            "https://a.example/rss"
        ]
        # The feed's own state (what `feeds` checks before a fetch) agrees with the store.
        assert failed.is_due(failed.next_attempt) and not failed.is_due(before)


async def test_backing_up_a_file_that_is_not_a_database_fails_in_one_sentence(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"not a database at all " * 300)
    with pytest.raises(StoreError) as failed:
        backup_file(notes, tmp_path / "copy.db")
    assert str(failed.value) == "The backup failed (file is not a database)."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
