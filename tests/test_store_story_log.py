"""The store's story log contract: a digest's plan wins after a crash, stories keep their first
post, and nothing crosses tenants (run against every backend in store_fixtures.BACKENDS)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from store_fixtures import DAY, T0, article, store

from bot.models import KeyFigure
from bot.store import DeliveredStory, SQLiteStore, Store
from bot.store.maintenance import prune_file

__all__ = ["store"]

TOLL = KeyFigure(40, "40", "40 dead in March", counted="dead", period="in March")
NEW_TOLL = KeyFigure(52, "52", "52 dead in March", counted="dead", period="in March")


async def ids(store: Store, count: int) -> list[int]:
    rows = [
        await store.upsert_article(article(f"https://n.example/{n}", f"Text {n}."))
        for n in range(count)
    ]
    return [row.id for row, _ in rows]


async def test_the_plan_is_logged_not_the_ids_a_later_attempt_rebuilt(store: Store) -> None:
    first, second, late = await ids(store, 3)
    delivery = await store.begin_delivery("slack", "C1", "migration", DAY, owner="a")
    story = DeliveredStory("a1", "Fire kills 40", (first, second), ("Wire A",), (TOLL,), ("en",))
    assert await store.plan_delivery(
        delivery.delivery_key, "a", tenant="slack:T1", article_ids=(first, second), stories=[story]
    )
    # The attempt posted, then died; the next one rebuilt a digest with an article that
    # arrived since, and found the post on the platform.
    done = await store.complete_delivery(
        delivery.delivery_key, message_ref="111.1", article_ids=(first, second, late)
    )
    assert (done.state, done.message_ref) == ("sent", "111.1")
    sent = await store.already_sent_article_ids("slack", "C1", (first, second, late))
    assert sent == {first, second}
    (logged,) = await store.delivered_stories("slack:T1", "slack", "C1", since=T0)
    assert (logged.story_key, logged.headline, logged.message_ref) == (
        "a1",
        "Fire kills 40",
        "111.1",
    )
    assert logged.figures == (TOLL,) and logged.article_ids == (first, second)
    # Completing again changes nothing.
    again = await store.complete_delivery(delivery.delivery_key, message_ref="999.9")
    assert again.message_ref == "111.1"


async def test_a_plan_needs_the_lease(store: Store) -> None:
    (first,) = await ids(store, 1)
    delivery = await store.begin_delivery("slack", "C1", "migration", DAY, owner="a")
    assert not await store.plan_delivery(
        delivery.delivery_key, "b", tenant="slack:T1", article_ids=(first,)
    )
    # No plan recorded: the caller's ids are logged (a row pending from an older version).
    await store.complete_delivery(delivery.delivery_key, article_ids=(first,))
    assert await store.already_sent_article_ids("slack", "C1", (first,)) == {first}


async def test_an_update_keeps_the_first_post_and_grows_the_story(store: Store) -> None:
    first, second = await ids(store, 2)
    story = DeliveredStory("a1", "Fire kills 40", (first,), ("Wire A",), (TOLL,), ("en",))
    for day, stories, ref, articles in (
        (DAY, [story], "111.1", (first,)),
        (
            DAY + timedelta(days=1),
            [DeliveredStory("a1", "ignored", (second,), ("Wire B",), (NEW_TOLL,), ("en",))],
            "222.2",
            (second,),
        ),
    ):
        delivery = await store.begin_delivery("slack", "C1", "migration", day, owner="a")
        await store.plan_delivery(
            delivery.delivery_key, "a", tenant="slack:T1", article_ids=articles, stories=stories
        )
        await store.complete_delivery(delivery.delivery_key, message_ref=ref, story_refs={})
    (logged,) = await store.delivered_stories("slack:T1", "slack", "C1", since=T0)
    assert logged.message_ref == "111.1" and logged.headline == "Fire kills 40"
    assert set(logged.article_ids) == {first, second}
    assert logged.outlets == ("Wire A", "Wire B") and logged.figures == (NEW_TOLL,)
    # Another tenant's channel of the same id, and stories older than ``since``, are not seen.
    assert await store.delivered_stories("slack:T2", "slack", "C1", since=T0) == []
    later = T0 + timedelta(days=30)
    assert await store.delivered_stories("slack:T1", "slack", "C1", since=later) == []


async def test_pruning_drops_stories_last_shown_before_the_cutoff(tmp_path: Path) -> None:
    path = tmp_path / "nb.db"
    async with await SQLiteStore.open(path, clock=lambda: T0) as opened:
        (first,) = await ids(opened, 1)
        delivery = await opened.begin_delivery("slack", "C1", "migration", DAY, owner="a")
        story = DeliveredStory("a1", "Fire kills 40", (first,), ("Wire A",))
        await opened.plan_delivery(
            delivery.delivery_key, "a", tenant="slack:T1", article_ids=(first,), stories=[story]
        )
        await opened.complete_delivery(delivery.delivery_key, message_ref="111.1")
    prune_file(path, 30, now=T0 + timedelta(days=29))
    async with await SQLiteStore.open(path) as opened:
        assert len(await opened.delivered_stories("slack:T1", "slack", "C1", since=T0)) == 1
    prune_file(path, 30, now=T0 + timedelta(days=31))
    async with await SQLiteStore.open(path) as opened:
        assert await opened.delivered_stories("slack:T1", "slack", "C1", since=T0) == []
