"""The store contract for channel filters, the archive and the quiet first sync, run against
every backend in ``store_fixtures.BACKENDS`` (a new backend must pass it unchanged)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_fixtures import DAY, T0, article, store

from bot.store import Store, Subscription
from bot.store.records.filters import ChannelFilter

__all__ = ["store"]  # the fixture, imported for pytest


async def test_channel_filters_are_per_channel_and_topic(store: Store) -> None:
    term = ChannelFilter("slack", "C1", "migration", "include", "figure", "deaths", created_by="U")
    first, new = await store.add_channel_filter(term)
    again, again_new = await store.add_channel_filter(term)
    other, _ = await store.add_channel_filter(
        ChannelFilter("slack", "C1", "economy", "exclude", "regex", "oil|gas")
    )
    assert (new, again_new, again.id) == (True, False, first.id)
    assert first.created_at == T0 and first.describe() == "figure deaths"
    assert [f.id for f in await store.channel_filters("slack", "C1")] == [first.id, other.id]
    assert [f.id for f in await store.channel_filters("slack", "C1", "economy")] == [other.id]
    assert not await store.remove_channel_filter("slack", "C2", first.id)  # not its channel
    assert await store.remove_channel_filter("slack", "C1", first.id)
    assert await store.clear_channel_filters("slack", "C1", "migration") == 0
    assert await store.clear_channel_filters("slack", "C1") == 1
    with pytest.raises(ValueError):
        ChannelFilter("slack", "C1", "migration", "only", "word", "x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "words",
    [['"unclosed'], ["NEAR(a b)"], ["a OR", "NOT", "AND"], ["*^:-+()"], ["title:caravan"], [""]],
)
async def test_search_words_are_never_syntax(store: Store, words: list[str]) -> None:
    await store.upsert_article(article("https://a.example/1", title="Caravan reaches Tapachula"))
    found = await store.search_articles("slack:T1", words)
    assert found == [] or found[0].title == "Caravan reaches Tapachula"


async def test_search_sees_the_tenants_feeds_its_sent_articles_and_unrecorded_ones(
    store: Store,
) -> None:
    ours, _ = await store.upsert_article(
        article("https://a.example/1", "Boats reached Lampedusa at dawn.", title="Lampedusa")
    )
    theirs, _ = await store.upsert_article(
        article("https://b.example/1", "Boats reached Lampedusa at night.", title="Night")
    )
    sent, _ = await store.upsert_article(
        article("https://c.example/1", "Boats reached Lampedusa at noon.", title="Noon")
    )
    unrecorded, _ = await store.upsert_article(
        article("https://d.example/1", "Boats reached Lampedusa at dusk.", title="Dusk")
    )
    await store.add_tenant_feed("slack:T1", "https://a.example/feed")
    await store.add_tenant_feed("discord:G1", "https://b.example/feed")
    await store.add_tenant_feed("discord:G1", "https://c.example/feed")
    await store.link_article_feeds(
        [
            ("https://a.example/1", "https://a.example/feed"),
            ("https://b.example/1", "https://b.example/feed"),
            ("https://c.example/1", "https://c.example/feed"),
        ]
    )
    await store.subscribe(Subscription("slack", "C1", tenant="slack:T1"))
    delivery = await store.begin_delivery("slack", "C1", "migration", DAY)
    await store.finish_delivery(delivery.delivery_key, article_ids=[sent.id])
    found = {a.id for a in await store.search_articles("slack:T1", ["lampedusa"], limit=10)}
    assert found == {ours.id, sent.id, unrecorded.id}
    found = {a.id for a in await store.search_articles("discord:G1", ["lampedusa"], limit=10)}
    assert found == {theirs.id, sent.id, unrecorded.id}  # its feeds, never slack:T1's
    [digest] = await store.sent_digests("slack", "C1", DAY)
    assert digest.delivery.state == "sent" and [a.id for a in digest.articles] == [sent.id]
    assert await store.sent_digests("slack", "C1", DAY + timedelta(days=1)) == []
    assert await store.sent_digests("slack", "C2", DAY) == []


async def test_a_tenants_added_feed_counts_from_an_hour_before_it_was_added(
    store: Store,
) -> None:
    feed = "https://a.example/feed"
    dated = [
        (
            await store.upsert_article(
                article(f"https://a.example/{hours}", f"Report {hours}.", published=when)
            )
        )[0]
        for hours, when in ((3, T0 - timedelta(hours=3)), (0.5, T0 - timedelta(minutes=30)))
    ]
    undated_old, _ = await store.upsert_article(article("https://a.example/u1", "Undated one."))
    undated_new, _ = await store.upsert_article(article("https://a.example/u2", "Undated two."))
    await store.add_tenant_feed("slack:T1", feed, undated=["https://a.example/u1"])
    await store.add_feed(feed)  # the operator's list: no date, counts from the start
    await store.link_article_feeds((a.url, feed) for a in (*dated, undated_old, undated_new))
    ids = [a.id for a in (*dated, undated_old, undated_new)]
    assert await store.articles_for_tenant("slack:T1", ids) == {dated[1].id, undated_new.id}
    assert await store.articles_for_tenant("discord:G9", ids) == set(ids)  # seeded copy
