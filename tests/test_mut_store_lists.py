"""Subscriptions paused by tenant or channel, tenants' lists, the process lock and quick checks.

Found by mutation testing (docs/testing.md): each behaviour here had a mutant no test noticed.
Real SQLite files in a temporary folder; the process lock is the real ``flock``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.store import OPERATOR_TENANT, StoreError, Subscription, open_store
from bot.store.maintenance import ensure_sound, quick_check_file
from bot.store.process_lock import DatabaseInUseError, hold_database_lock


async def test_pausing_by_tenant_or_by_channel_pauses_only_those_and_names_them(
    tmp_path: Path,
) -> None:
    async with await open_store(tmp_path / "newsbrief.db") as store:
        for channel, tenant in [("C1", "T1"), ("C2", "T1"), ("C3", "T2"), ("C4", None)]:
            await store.subscribe(Subscription("slack", channel, tenant=tenant))
        await store.subscribe(Subscription("discord", "42", tenant="T1"))

        paused = await store.disable_subscriptions("slack", tenant="T1")
        assert sorted((s.channel, s.tenant, s.enabled) for s in paused) == [
            ("C1", "T1", False),
            ("C2", "T1", False),
        ]
        paused = await store.disable_subscriptions("slack", channels=["C4", "C9"])
        assert [(s.channel, s.tenant) for s in paused] == [("C4", None)]
        live = await store.list_subscriptions()
        assert sorted((s.platform, s.channel, s.tenant) for s in live) == [
            ("discord", "42", "T1"),
            ("slack", "C3", "T2"),
        ]
        # No channels and no tenant: the platform's token is gone, every one of its digests.
        paused = await store.disable_subscriptions("slack")
        assert [s.channel for s in paused] == ["C3"]
        assert [s.platform for s in await store.list_subscriptions()] == ["discord"]


async def test_a_tenant_starts_from_the_operators_list_and_needs_an_id(tmp_path: Path) -> None:
    async with await open_store(tmp_path / "newsbrief.db") as store:
        await store.add_tenant_feed(OPERATOR_TENANT, "https://a.example/rss")
        assert [f.url for f in await store.tenant_feeds("T1")] == ["https://a.example/rss"]
        await store.add_tenant_feed("T1", "https://b.example/rss")
        assert await store.remove_tenant_feed("T1", "https://a.example/rss")
        assert not await store.remove_tenant_feed("T1", "https://a.example/rss")
        # The operator's copy stays, so the feed is still polled.
        assert [f.url for f in await store.list_feeds()] == [
            "https://a.example/rss",
            "https://b.example/rss",
        ]
        assert [f.url for f in await store.tenant_feeds("T1")] == ["https://b.example/rss"]
        with pytest.raises(ValueError) as refused:
            await store.add_tenant_feed("", "https://c.example/rss")
        assert str(refused.value) == "A tenant id is required."


def test_a_second_bot_on_one_database_is_refused_and_the_lock_file_names_the_first(
    tmp_path: Path,
) -> None:
    database = tmp_path / "newsbrief.db"
    with hold_database_lock(database):
        lock = tmp_path / "newsbrief.db.lock"
        assert lock.read_text() == f"{os.getpid()}\n"
        with pytest.raises(DatabaseInUseError) as refused, hold_database_lock(str(database)):
            pass
        assert str(refused.value) == (
            f"Another Newsbrief is running on NEWSBRIEF_DB {database}; stop it first, "
            "or give this one its own NEWSBRIEF_DB."
        )
    with hold_database_lock(database):  # released when the first one ended
        pass


def test_quick_check_names_a_broken_rule_and_a_file_that_is_not_a_database(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.db"
    db = sqlite3.connect(broken)
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("INSERT INTO t VALUES (NULL)")
    db.commit()
    # The row was stored before the rule existed: the file now breaks its own schema.
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE t (x TEXT NOT NULL)' WHERE name = 't'")
    db.commit()
    db.close()
    assert quick_check_file(broken) == ["NULL value in t.x"]
    with pytest.raises(StoreError, match=r"is damaged \(NULL value in t\.x\)"):
        ensure_sound(broken)

    notes = tmp_path / "notes.db"
    notes.write_bytes(b"not a database at all " * 300)
    assert quick_check_file(notes) == ["file is not a database"]
