"""Shared pieces of the store tests: a fixed clock, a store on a temporary file, articles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.models import Article
from bot.store import SQLiteStore

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
