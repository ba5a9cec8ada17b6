"""Care of the SQLite file: a consistent online backup, a quick integrity check, and pruning.

Each works on the database *file* through a connection of its own, so it runs beside a live
bot (WAL lets readers and one writer share the file) and from the `newsbrief` CLI alike.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.store.base import StoreError
from bot.store.records import utc_now
from bot.store.sqlite.schema import to_db_time

BUSY_TIMEOUT_S = 30.0
MIN_KEEP_DAYS = 3
_PAGES_PER_STEP = 1024  # copy in steps so a running bot's writers are not held off for long


class DamagedDatabaseError(StoreError):
    """The database file fails its integrity check; the message says what to do."""


def ensure_sound(path: str | os.PathLike[str]) -> None:
    """Raise DamagedDatabaseError when an existing database file fails ``quick_check``."""
    target = Path(path)
    if not target.is_file():
        return  # a new database is created by the store
    problems = quick_check_file(target)
    if problems:
        raise DamagedDatabaseError(
            f"The database {target} is damaged ({problems[0]}); restore the last backup over it "
            "as docs/operations.md says (Restore), then start again."
        )


def _connect(path: str | os.PathLike[str], *, write: bool = False) -> sqlite3.Connection:
    target = Path(path)
    if not target.is_file():
        raise StoreError(f"There is no database file at {target}.")
    uri = f"file:{target.resolve()}?mode={'rw' if write else 'ro'}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _quick_check(db: sqlite3.Connection) -> list[str]:
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:  # "file is not a database", "malformed" ...
        return [str(err)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def quick_check_file(path: str | os.PathLike[str]) -> list[str]:
    """The problems ``PRAGMA quick_check`` finds in the file (empty when it is sound)."""
    try:
        db = _connect(path)
    except StoreError as err:
        return [err.message]
    except sqlite3.DatabaseError as err:
        return [str(err)]
    try:
        return _quick_check(db)
    finally:
        db.close()


def backup_file(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> int:
    """Copy the database to ``target`` consistently while it may be in use; returns its bytes.

    SQLite's online backup API copies a snapshot even as the bot writes; the copy is written
    next to ``target`` and renamed into place only once it passes ``quick_check``, so a failed
    backup never leaves a half-written file where a good one is expected.
    """
    destination = Path(target)
    if destination.is_dir():
        raise StoreError(f"{destination} is a folder; give a file name for the backup.")
    if not destination.parent.is_dir():
        raise StoreError(f"The folder {destination.parent} does not exist; create it first.")
    if destination.exists() and destination.resolve() == Path(source).resolve():
        raise StoreError(f"{destination} is the database itself; give another file name.")
    partial = destination.with_name(destination.name + ".partial")
    db = _connect(source)
    try:
        copy = sqlite3.connect(partial)
        try:
            db.backup(copy, pages=_PAGES_PER_STEP)
            problems = _quick_check(copy)
        finally:
            copy.close()
    except sqlite3.Error as err:
        partial.unlink(missing_ok=True)
        raise StoreError(f"The backup failed ({err}).") from err
    finally:
        db.close()
    if problems:
        partial.unlink(missing_ok=True)
        raise StoreError(f"The backup copy is damaged ({problems[0]}); the source may be too.")
    os.replace(partial, destination)
    return destination.stat().st_size


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What one pruning pass emptied."""

    texts_emptied: int
    summaries_deleted: int


def prune_file(
    path: str | os.PathLike[str], keep_days: int, *, now: datetime | None = None
) -> PruneResult:
    """Empty the texts and drop the summaries of articles fetched more than ``keep_days`` ago.

    The article rows, their URL/GUID keys, the sent log and the sent-article marks stay: they
    are what keeps an old item from being fetched or delivered again (exactly once), and they
    are small. ``keep_days`` is at least ``MIN_KEEP_DAYS``, longer than a digest's window and
    the two days over which a story's articles are grouped, so no digest needs a pruned text;
    an old feed item that shows up again is recognised by its key and has no text to match.
    """
    if keep_days < MIN_KEEP_DAYS:
        raise ValueError(f"keep_days must be at least {MIN_KEEP_DAYS}")
    cutoff = to_db_time((now or utc_now()) - timedelta(days=keep_days))
    db = _connect(path, write=True)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            summaries = db.execute(
                "DELETE FROM summaries WHERE article_id IN "
                "(SELECT id FROM articles WHERE fetched_at < ?)",
                (cutoff,),
            ).rowcount
            texts = db.execute(
                "UPDATE articles SET text = '' WHERE fetched_at < ? AND text != ''", (cutoff,)
            ).rowcount
            # The copies kept for summary buttons go at the same age (their clicks then say so).
            db.execute(
                "UPDATE summary_controls SET text = '', shown = '[]' "
                "WHERE created_at < ? AND text != ''",
                (cutoff,),
            )
            # The story log at the same age: its articles have no text left to cluster with.
            db.execute("DELETE FROM delivered_stories WHERE last_sent < ?", (cutoff,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    except sqlite3.Error as err:
        raise StoreError(f"Pruning old articles failed ({err}).") from err
    finally:
        db.close()
    return PruneResult(texts_emptied=texts, summaries_deleted=summaries)


async def prune(path: str | os.PathLike[str], keep_days: int) -> PruneResult:
    """``prune_file`` in a worker thread, for the running bot's daily job."""
    return await asyncio.to_thread(prune_file, path, keep_days)
