"""Store contract for figure alerts, on every backend: watches per tenant and channel, and the
(watch, article) rows that make an alert go out once."""

from __future__ import annotations

from datetime import timedelta

from store_fixtures import T0, article, store

from bot.store import Store
from bot.store.records.alerts import Watch, WatchHit

__all__ = ["store"]


def hit(watch_id: int, article_id: int, value: float, *, minutes: int, alerted: bool) -> WatchHit:
    return WatchHit(
        watch_id, article_id, value, f"{value:,.0f}", "in November", "en",
        T0 + timedelta(minutes=minutes), alerted,
    )  # fmt: skip


async def test_watches_stay_in_their_tenant_and_channel(store: Store) -> None:
    ours = await store.add_watch(Watch("slack", "C1", "slack:T1", "deaths", place="Rio Grande"))
    await store.add_watch(
        Watch("slack", "C1", "slack:T2", "muertes", condition="above", threshold=5)
    )
    await store.add_watch(Watch("slack", "C2", "slack:T1", "arrivals"))

    assert ours.id is not None and ours.created_at == T0  # the store's clock
    assert [w.what for w in await store.list_watches("slack:T1", "slack", "C1")] == ["deaths"]
    assert [w.what for w in await store.list_watches("slack:T1")] == ["deaths", "arrivals"]
    assert len(await store.list_watches()) == 3
    (theirs,) = await store.list_watches("slack:T2")
    assert (theirs.condition, theirs.threshold, theirs.place) == ("above", 5, None)
    # Another tenant or channel cannot remove it; its own can, once.
    assert not await store.remove_watch("slack:T2", "slack", "C1", ours.id)
    assert not await store.remove_watch("slack:T1", "slack", "C2", ours.id)
    assert await store.remove_watch("slack:T1", "slack", "C1", ours.id)
    assert not await store.remove_watch("slack:T1", "slack", "C1", ours.id)


async def test_a_watch_article_pair_is_recorded_once(store: Store) -> None:
    watch = await store.add_watch(Watch("console", "console", "console:console", "deaths"))
    first, _ = await store.upsert_article(article("https://n.example/a"))
    second, _ = await store.upsert_article(article("https://n.example/b", "Another text. Here."))
    assert watch.id is not None

    assert await store.record_watch_hit(hit(watch.id, first.id, 10, minutes=1, alerted=True))
    assert not await store.record_watch_hit(hit(watch.id, first.id, 99, minutes=2, alerted=True))
    assert await store.record_watch_hit(hit(watch.id, second.id, 12, minutes=3, alerted=False))
    assert await store.has_watch_hit(watch.id, first.id)

    newest, oldest = await store.watch_hits(watch.id)
    assert (newest.value, newest.alerted) == (12, False)
    assert (oldest.value, oldest.alerted, oldest.surface) == (10, True, "10")
    await store.remove_watch("console:console", "console", "console", watch.id)
    assert await store.watch_hits(watch.id) == []  # removed with its watch
