"""The store across processes: SIGKILL in the middle of writes, and another process's write lock."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.store import SQLiteStore, Store, StoreError, open_store

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 11, 28)

# Records a pending digest, then writes articles until it is killed.
WRITE_ARTICLES_UNTIL_KILLED = """
import asyncio, sys
from datetime import date
from bot.models import Article
from bot.store import SQLiteStore

async def main(path):
    store = await SQLiteStore.open(path)
    await store.begin_delivery("slack", "C1", "migration", date(2026, 11, 28))
    n = 0
    while True:
        await store.upsert_article(
            Article(text=f"Story number {n} about the border.", url=f"https://news.example/{n}"),
            keys=[f"guid-{n}"],
        )
        n += 1
        if n == 30:
            print("ready", flush=True)

asyncio.run(main(sys.argv[1]))
"""

# One digest a day, each with its own article: begin, then finish, until it is killed.
SEND_DIGESTS_UNTIL_KILLED = """
import asyncio, sys
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from bot.models import Article
from bot.store import SQLiteStore

async def main(path):
    store = await SQLiteStore.open(path)
    n = 0
    while True:
        day = date(2026, 1, 1) + timedelta(days=n)
        stored, _ = await store.upsert_article(
            Article(text=f"Digest story {n}.", url=f"https://news.example/d/{n}")
        )
        begun = await store.begin_delivery("discord", "D1", "migration", day)
        await store.finish_delivery(
            begun.delivery_key, message_ref=f"m{n}", article_ids=[stored.id]
        )
        n += 1
        if n == 20:
            print("ready", flush=True)

asyncio.run(main(sys.argv[1]))
"""

# Holds SQLite's write lock from another process for argv[2] seconds.
HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO feeds (url) VALUES ('https://held.example/feed')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows read with a plain sqlite3 connection, independent of the store under test."""
    raw = sqlite3.connect(path)
    try:
        return raw.execute(sql).fetchall()
    finally:
        raw.close()


async def start(script: str, *args: str) -> asyncio.subprocess.Process:
    """Run ``script`` in a child Python and wait for its first line of output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), timeout=20)
    assert line.strip() in (b"ready", b"locked"), "the child died before it was ready"
    return child


async def kill(child: asyncio.subprocess.Process, after_s: float) -> None:
    await asyncio.sleep(after_s)
    assert child.returncode is None, "the child stopped by itself"
    child.send_signal(signal.SIGKILL)
    assert await child.wait() == -signal.SIGKILL


async def test_sigkill_while_writing_keeps_committed_rows_and_the_pending_digest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsbrief.db"
    await kill(await start(WRITE_ARTICLES_UNTIL_KILLED, str(path)), after_s=0.3)

    async with await SQLiteStore.open(path) as store:
        assert await store.integrity_check()
        [pending] = await store.pending_deliveries()
        assert (pending.delivery_key, pending.attempts) == (
            "digest:slack:C1:2026-11-28:migration",
            1,
        )
        articles = query(path, "SELECT id, text FROM articles ORDER BY id")
        assert len(articles) >= 30
        # Every committed article is whole and reachable by the GUID written with it.
        for n, (article_id, text) in enumerate(articles):
            assert (article_id, text) == (n + 1, f"Story number {n} about the border.")
        last = await store.article_for_url(f"guid-{len(articles) - 1}")
        assert last is not None and last.id == len(articles)

        # Recovery: the same row comes back flagged as a retry, then is sent exactly once.
        retry = await store.begin_delivery("slack", "C1", "migration", DAY)
        assert (retry.id, retry.state, retry.attempts) == (pending.id, "pending", 2)
        await store.finish_delivery(retry.delivery_key, message_ref="ts-1", article_ids=[1])
        assert (await store.begin_delivery("slack", "C1", "migration", DAY)).state == "sent"
        assert await store.pending_deliveries() == []


async def test_sigkill_between_record_and_confirmation_never_half_logs(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    await kill(await start(SEND_DIGESTS_UNTIL_KILLED, str(path)), after_s=0.3)

    async with await SQLiteStore.open(path) as store:
        assert await store.integrity_check()
    rows = query(
        path,
        """SELECT d.digest_date, d.state, d.message_ref, s.article_id
        FROM deliveries d LEFT JOIN sent_articles s ON s.delivery_id = d.id
        ORDER BY d.digest_date""",
    )
    assert len(rows) >= 20
    days = [date.fromisoformat(str(row[0])) for row in rows]
    assert days == [date(2026, 1, 1) + timedelta(days=n) for n in range(len(rows))]
    *done, last = rows
    # "sent" always comes with its message and its article, in the same commit.
    for n, (_, state, message_ref, article_id) in enumerate(done):
        assert (state, message_ref, article_id) == ("sent", f"m{n}", n + 1)
    if last[1] == "pending":  # killed between begin and finish: nothing logged as sent yet
        assert (last[2], last[3]) == (None, None)
    else:
        assert (last[1], last[2], last[3]) == ("sent", f"m{len(done)}", len(rows))


async def test_a_write_waits_out_another_process_holding_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "newsbrief.db"
    async with await SQLiteStore.open(path, busy_timeout_ms=5000) as store:
        holder = await start(HOLD_WRITE_LOCK, str(path), "1.0")
        started = time.monotonic()
        await store.add_feed("https://ours.example/feed")
        waited = time.monotonic() - started
        assert await holder.wait() == 0
        assert waited > 0.5  # it really did wait for the other process
        urls = {feed.url for feed in await store.list_feeds()}
    assert urls == {"https://held.example/feed", "https://ours.example/feed"}


@pytest.mark.parametrize(
    "opener", [SQLiteStore.open, open_store], ids=["SQLiteStore", "open_store"]
)
async def test_a_short_busy_timeout_gives_a_readable_store_error(
    tmp_path: Path, opener: Callable[..., Awaitable[Store]]
) -> None:
    path = tmp_path / "newsbrief.db"
    async with await opener(path, busy_timeout_ms=100) as store:
        holder = await start(HOLD_WRITE_LOCK, str(path), "0.6")
        # In WAL mode a read never waits for a writer: one that waited would have given up
        # after 100 ms with StoreError, as the write below does, since the lock is held 600 ms.
        assert await store.list_feeds() == []
        with pytest.raises(StoreError) as busy:
            await store.add_feed("https://ours.example/feed")
        message = "The database is busy with another writer; try again in a moment."
        assert busy.value.message == message
        assert await holder.wait() == 0
        # The refused write left nothing behind and the connection is usable again.
        assert [feed.url for feed in await store.list_feeds()] == ["https://held.example/feed"]
        await store.add_feed("https://ours.example/feed")
    assert query(path, "SELECT count(*) FROM feeds") == [(2,)]
