"""Backup, quick check and pruning of the SQLite file, beside a store that is open and writing."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import Article
from bot.store import SQLiteStore, StoreError
from bot.store.maintenance import backup_file, prune_file, quick_check_file

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _article(n: int) -> Article:
    return Article(
        text=f"Story number {n} about the border and 1,200 arrivals.",
        url=f"https://news.example/{n}",
    )


async def test_backup_while_the_bot_writes_is_a_sound_complete_copy(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "live.db")
    try:
        for n in range(50):
            await store.upsert_article(_article(n))
        writing = True

        async def keep_writing() -> None:
            n = 50
            while writing:
                await store.upsert_article(_article(n))
                n += 1

        writer = asyncio.create_task(keep_writing())
        size = await asyncio.to_thread(backup_file, tmp_path / "live.db", tmp_path / "copy.db")
        writing = False
        await writer
    finally:
        await store.aclose()
    assert size > 0 and quick_check_file(tmp_path / "copy.db") == []
    assert not (tmp_path / "copy.db.partial").exists()
    copy = await SQLiteStore.open(tmp_path / "copy.db")
    try:
        assert await copy.integrity_check()
        assert all([await copy.article_for_url(f"https://news.example/{n}") for n in range(50)])
    finally:
        await copy.aclose()


def test_quick_check_names_a_damaged_file_and_backup_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(f"row {n} " * 40,) for n in range(2000)])
    db.commit()
    db.close()
    raw = bytearray(path.read_bytes())
    raw[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000  # overwrite the middle of a page
    path.write_bytes(bytes(raw))
    assert quick_check_file(path)
    with pytest.raises(StoreError):
        backup_file(path, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()
    assert quick_check_file(tmp_path / "missing.db") == [
        f"There is no database file at {tmp_path / 'missing.db'}."
    ]


async def test_prune_empties_old_texts_and_keeps_what_exactly_once_needs(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    store = await SQLiteStore.open(path)
    try:
        old, _ = await store.upsert_article(
            _article(1), keys=["guid-old"], fetched_at=NOW - timedelta(days=40)
        )
        new, _ = await store.upsert_article(_article(2), fetched_at=NOW - timedelta(days=1))
        begun = await store.begin_delivery("slack", "C1", "migration", date(2026, 10, 28))
        await store.finish_delivery(begun.delivery_key, article_ids=[old.id])
    finally:
        await store.aclose()

    result = prune_file(path, keep_days=30, now=NOW)
    assert result.texts_emptied == 1

    store = await SQLiteStore.open(path)
    try:
        pruned = await store.get_article(old.id)
        kept = await store.get_article(new.id)
        assert pruned is not None and pruned.text == ""
        assert kept is not None and kept.text == _article(2).text
        assert await store.article_for_url("guid-old") is not None  # the feed GUID is still known
        assert await store.already_sent_article_ids("slack", "C1", [old.id]) == {old.id}
        delivery = await store.get_delivery(begun.delivery_key)
        assert delivery is not None and delivery.state == "sent"
    finally:
        await store.aclose()
    assert prune_file(path, keep_days=30, now=NOW).texts_emptied == 0  # idempotent
    with pytest.raises(ValueError):
        prune_file(path, keep_days=1, now=NOW)
