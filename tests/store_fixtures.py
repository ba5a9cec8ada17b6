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

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
DAY = date(2026, 11, 28)
STORY = (
    "More than 190,000 people crossed the border in November. Officials said the number "
    "was the highest on record."
)


Clock = Callable[[], datetime]
# A backend's opener: an empty store in ``tmp_path`` reading the time from ``clock``.
BACKENDS: dict[str, Callable[[Path, Clock], Awaitable[Store]]] = {
    "sqlite": lambda tmp_path, clock: SQLiteStore.open(tmp_path / "newsbrief.db", clock=clock),
}


@pytest.fixture(params=sorted(BACKENDS))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with await BACKENDS[request.param](tmp_path, lambda: T0) as opened:
        yield opened


def article(url: str, text: str = STORY, **fields: object) -> Article:
    return Article(text=text, url=url, **fields)  # type: ignore[arg-type]
