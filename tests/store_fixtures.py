"""Shared pieces of the store tests: a fixed clock, a store of every backend, articles.

The ``store`` fixture runs each test once per entry of ``BACKENDS``: a new backend (say
PostgreSQL) gets the whole contract suite in tests/test_store*.py by adding its opener here.
Tests of one backend's own machinery (SQLite's files, WAL, locks) open it directly instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.models import Article
from bot.store import SQLiteStore, Store
from bot.store.postgres import PostgresStore
from bot.store.records import utc_now

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
DAY = date(2026, 11, 28)
STORY = (
    "More than 190,000 people crossed the border in November. Officials said the number "
    "was the highest on record."
)


Clock = Callable[[], datetime]
# A backend's opener: an empty store reading the time from ``clock``, in ``where`` (a folder
# for SQLite, the address of a new empty database for PostgreSQL: the ``pg_dsn`` fixture).
BACKENDS: dict[str, Callable[[str, Clock], Awaitable[Store]]] = {
    "sqlite": lambda where, clock: SQLiteStore.open(Path(where) / "newsbrief.db", clock=clock),
    "postgres": lambda where, clock: PostgresStore.open(where, clock=clock),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    """A backend's name and where it opens for this test: only the postgres param asks for
    ``pg_dsn`` (so it alone skips, or fails under NEWSBRIEF_REQUIRE_POSTGRES, without a server).
    A plain fixture: pytest-asyncio cannot set up an async fixture from inside another."""
    if request.param == "postgres":
        return request.param, str(request.getfixturevalue("pg_dsn"))
    return request.param, str(request.getfixturevalue("tmp_path"))


@pytest.fixture
async def store(backend: tuple[str, str]) -> AsyncIterator[Store]:
    name, where = backend
    async with await BACKENDS[name](where, lambda: T0) as opened:
        yield opened


Opener = Callable[..., Awaitable[Store]]


@pytest.fixture
def open_backend(backend: tuple[str, str]) -> Opener:
    """``await open_backend(clock=...)``: this test's store of each backend (the real clock by
    default); opened again, it is the same database, as after a restart."""
    name, where = backend
    return lambda clock=utc_now: BACKENDS[name](where, clock)


def article(url: str, text: str = STORY, **fields: object) -> Article:
    return Article(text=text, url=url, **fields)  # type: ignore[arg-type]
