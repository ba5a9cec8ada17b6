"""Digests end to end: feeds and article pages served locally -> topic filter -> stories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from digest_site import NewsSite, article_page
from webserver import WebServer

from bot.config import Settings
from bot.digests.service import DigestService, dry_run_digest
from bot.service import Summarizer
from bot.store import Subscription, open_store

NOW = datetime.now(UTC).replace(microsecond=0)


def build_site(web: WebServer) -> tuple[NewsSite, list[str]]:
    site = NewsSite(web, NOW)
    wire_a = site.page("synthetic-wire-a", "/a/blinken-talks", outlet="Wire A")
    wire_b = site.page("synthetic-wire-b", "/b/mexico-pledge", outlet="Wire B")
    seed = site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News")
    clarke_1 = site.page("bbc-politics-153", "/bbc/clarke-plan", outlet="BBC News", hours_ago=5)
    clarke_2 = site.page("bbc-politics-220", "/c/clarke-points", outlet="Paper C", hours_ago=4)
    oil = site.page("bbc-business-138", "/bbc/oil", outlet="BBC News")
    nintendo = site.page("bbc-tech-351", "/c/nintendo", outlet="Paper C")
    sport = site.page("bbc-sport-082", "/a/greek-pair", outlet="Wire A")
    old = site.page("bbc-politics-078", "/a/asylum-children", outlet="Wire A", hours_ago=72)
    feeds = [
        site.feed("Wire A", "/feeds/a.xml", [wire_a, sport, old]),
        site.feed("Wire B", "/feeds/b.xml", [wire_b]),
        site.feed("BBC News", "/feeds/bbc.xml", [seed, clarke_1, oil]),
        site.feed(
            "Paper C",
            "/feeds/c.xml",
            [
                clarke_2,
                nintendo,
                # the BBC seed again, through a tracking-parameter variant of its URL ...
                replace(seed, guid="c:seed-copy", path="/bbc/us-mexico?utm_source=rss&fbclid=x"),
            ],
        ),
    ]
    # ... and republished under a new URL and GUID by another feed.
    site.web.respond("/d/republished", _page_body(site, "seed-bbc"), content_type="text/html")
    feeds.append(
        site.feed(
            "Aggregator D", "/feeds/d.xml", [replace(seed, guid="d:1", path="/d/republished")]
        )
    )
    web.respond("/feeds/broken.xml", "<rss><channel><title>Broken", content_type="text/xml")
    web.respond("/feeds/down.xml", "oops", status=500, content_type="text/plain")
    return site, [*feeds, web.url("/feeds/broken.xml"), web.url("/feeds/down.xml")]


def _page_body(site: NewsSite, article_id: str) -> str:
    record = site.articles[article_id]
    return article_page(
        record["title"], record["text"], outlet="Aggregator D", published=NOW - timedelta(hours=1)
    )


async def test_dry_run_selects_migration_stories_merges_duplicates_and_clusters(
    web: WebServer, settings: Settings
) -> None:
    _, feeds = build_site(web)
    async with Summarizer(settings) as summarizer:
        digest = await dry_run_digest(summarizer, feeds, since=timedelta(hours=24), now=NOW)

    titles = [story.title for story in digest.stories]
    assert len(digest.stories) == 2, titles
    talks, clarke = digest.stories
    # The US-Mexico talks: BBC (page + URL variant + republished copy = one report) and 2 wires.
    assert {a.source for a in talks.articles} == {"BBC News", "Wire A", "Wire B"}
    assert len(talks.articles) == 3
    assert all("utm_" not in (a.url or "") for a in talks.articles)  # the clean variant is shown
    assert any(f.value == 190000 for f in talks.figures)
    # The Clarke immigration plan, reported by two outlets.
    assert {a.source for a in clarke.articles} == {"BBC News", "Paper C"}
    # Off topic (oil, Nintendo, doping) and too old (72 h) are left out.
    everything = " ".join(a.title or "" for s in digest.stories for a in s.articles)
    for absent in ("oil", "Nintendo", "Greek", "children"):
        assert absent not in everything
    assert set(digest.feeds_failed) == {"127.0.0.1/feeds/broken.xml", "127.0.0.1/feeds/down.xml"}
    assert talks.score > clarke.score  # three outlets outrank two
    # Off-topic pages are never fetched: their feed entries did not match the topic.
    assert web.hits["/bbc/oil"] == 0 and web.hits["/c/nintendo"] == 0


async def test_store_backed_digest_is_never_repeated_to_a_channel(
    web: WebServer, settings: Settings, tmp_path
) -> None:
    _, feeds = build_site(web)
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        for url in feeds:
            await store.add_feed(url)
        service = DigestService(settings, store, summarizer, clock=lambda: NOW)
        report = await service.refresh()
        assert len(report.poll.failed) == 2
        articles = await store.articles_since(NOW - timedelta(hours=24))
        texts = [a.text for a in articles]
        assert len(texts) == len(set(texts))  # the copies became one article

        sub = Subscription(platform="slack", channel="C1", timezone="America/Mexico_City")
        built = await service.for_subscription(sub, since=NOW - timedelta(hours=24), until=NOW)
        assert len(built.digest.stories) == 2 and built.article_ids
        delivery = await store.begin_delivery("slack", "C1", "migration", NOW.date())
        await store.finish_delivery(delivery.delivery_key, article_ids=built.article_ids)

        # A second poll finds nothing new; the channel gets nothing twice, another channel all.
        await service.refresh()
        again = await service.for_subscription(sub, since=NOW - timedelta(hours=24), until=NOW)
        assert again.digest.stories == ()
        other = replace(sub, channel="C2")
        fresh = await service.for_subscription(other, since=NOW - timedelta(hours=24), until=NOW)
        assert len(fresh.digest.stories) == 2


@pytest.mark.parametrize("since_hours, expected", [(24, 2), (1, 0)])
async def test_since_is_measured_against_published_dates(
    web: WebServer, settings: Settings, since_hours: int, expected: int
) -> None:
    _, feeds = build_site(web)
    async with Summarizer(settings) as summarizer:
        digest = await dry_run_digest(
            summarizer, feeds, since=timedelta(hours=since_hours), now=NOW
        )
    assert len(digest.stories) == expected
