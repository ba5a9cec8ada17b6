"""The store contract for summary buttons' rows and for timestamps, on every backend in
``store_fixtures.BACKENDS``: a key comes back whole, the channel's latest is the newest, and a
naive datetime is refused everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from store_fixtures import DAY, STORY, T0, Opener, article, store

from bot.models import Article
from bot.store import Store, Subscription
from bot.store.records.alerts import Watch
from bot.store.records.controls import SummaryControls

__all__ = ["store"]  # the fixture, imported for pytest

ARTICLE = Article(
    text=STORY,
    title="Crossings at a record",
    url="https://news.example/a?utm_source=x",
    canonical_url="https://news.example/a",
    source="Wire",
    published=T0 - timedelta(hours=3),
    lang="en",
)


def controls(key: str, channel: str = "C1", tenant: str = "slack:T1") -> SummaryControls:
    return SummaryControls(key, "slack", tenant, channel, ARTICLE, "newsbrief", ("Lead.", "One."))


async def test_a_summarys_controls_come_back_whole_under_their_key(store: Store) -> None:
    saved = await store.save_controls(controls("k1"))
    assert saved.created_at == T0  # the store's clock
    assert await store.get_controls("k1") == saved
    assert await store.get_controls("nope") is None
    assert await store.latest_controls("slack", "slack:T1", "C1") == "k1"
    assert await store.latest_controls("slack", "slack:T1", "C2") is None
    assert await store.latest_controls("slack", "slack:T9", "C1") is None  # another tenant


async def test_the_channels_latest_summary_is_the_newest(open_backend: Opener) -> None:
    now = [T0]
    async with await open_backend(clock=lambda: now[0]) as store:
        await store.save_controls(controls("old"))
        now[0] = T0 + timedelta(minutes=1)
        await store.save_controls(controls("new"))
        now[0] = T0 + timedelta(minutes=2)
        await store.save_controls(controls("elsewhere", channel="C2"))
        assert await store.latest_controls("slack", "slack:T1", "C1") == "new"


async def test_naive_timestamps_are_refused_by_every_backend(store: Store) -> None:
    naive = datetime(2026, 11, 28, 6, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.upsert_article(article("https://a.example/1"), fetched_at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.articles_since(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.begin_delivery("slack", "C1", "migration", DAY, at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        await store.add_watch(Watch("slack", "C1", "slack:T1", "people", created_at=naive))
    await store.subscribe(Subscription("slack", "C1"))  # nothing half-written by the above
    assert await store.pending_deliveries() == []
    assert await store.articles_since(T0 - timedelta(days=1)) == []
