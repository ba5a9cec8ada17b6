"""`digest` cannot be used to make the bot hammer third-party sites: the topic is checked
before any fetch, the command is rate-limited like summarize, an item whose page failed is
left alone for a while, and at most the newest 200 items of a feed are taken per poll."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from digest_site import FeedEntry, NewsSite
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.digests.feeds import MAX_ITEMS_PER_POLL, FeedPoller
from bot.digests.ingest import Ingestor, ItemBackoff
from bot.digests.service import DigestService, MemoryFeedState
from bot.digests.topics import load_profile
from bot.service import Summarizer
from bot.store import feed_item_key, open_store

NOW = datetime.now(UTC).replace(microsecond=0)
BROKEN = FeedEntry(
    guid="wire:broken",
    path="/broken-story",
    title="Migrants cross the border in record numbers",
    published=NOW - timedelta(hours=1),
    summary="Migration officials said more than 2,000 migrants and asylum seekers crossed.",
)
EDITOR = Caller("slack", "C1", "U1", can_manage=True)


@dataclass
class Newsroom:
    commands: Commands
    web: WebServer
    feed_paths: tuple[str, ...]
    feed_url: str

    def feed_hits(self) -> int:
        return sum(self.web.hits[path] for path in self.feed_paths)

    async def say(self, text: str, caller: Caller = EDITOR) -> str:
        reply = await self.commands.handle(Request(caller, text))
        return reply.text if reply.error else "digest"


async def newsroom(
    settings: Settings, web: WebServer, tmp_path: Path, limits: SummarizeLimits
) -> AsyncIterator[Newsroom]:
    site = NewsSite(web, NOW)
    seed = site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News")
    web.respond("/broken-story", "oops", status=500, content_type="text/plain")
    feeds = [site.feed("Wire", "/feeds/wire.xml", [seed, BROKEN])]
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        for url in feeds:
            await store.add_feed(url)
        digests = DigestService(settings, store, summarizer, clock=lambda: NOW)
        commands = Commands(summarizer, store, digests=digests, clock=lambda: NOW, limits=limits)
        yield Newsroom(commands, web, ("/feeds/wire.xml",), feeds[0])


@pytest.fixture
async def open_room(settings: Settings, web: WebServer, tmp_path: Path) -> AsyncIterator[Newsroom]:
    async for room in newsroom(settings, web, tmp_path, SummarizeLimits()):
        yield room


@pytest.fixture
async def limited_room(
    settings: Settings, web: WebServer, tmp_path: Path
) -> AsyncIterator[Newsroom]:
    async for room in newsroom(settings, web, tmp_path, SummarizeLimits.from_rates("1/60s", "off")):
        yield room


async def test_an_unknown_topic_is_refused_before_any_fetch(open_room: Newsroom) -> None:
    answer = await open_room.say("digest no-such-topic")

    assert open_room.feed_hits() == 0 and open_room.web.hits["/broken-story"] == 0
    assert answer == "There is no topic 'no-such-topic'; topics: migration."


async def test_digest_is_rate_limited_like_summarize(limited_room: Newsroom) -> None:
    assert await limited_room.say("digest") == "digest"
    hits = limited_room.feed_hits()
    assert hits == 1

    refused = await limited_room.say("digest migration")
    assert "try again" in refused.lower() and refused.endswith(".")
    assert limited_room.feed_hits() == hits  # the refused digest fetched nothing
    other = Caller("slack", "C1", "U2", can_manage=True)
    assert await limited_room.say("digest", other) == "digest"  # per person, like summarize


async def test_an_item_whose_page_failed_is_not_fetched_again_on_the_next_digest(
    open_room: Newsroom,
) -> None:
    for _ in range(3):
        assert await open_room.say("digest") == "digest"

    assert open_room.feed_hits() == 3  # the feed itself is polled (conditional GET) each time
    assert open_room.web.hits["/broken-story"] == 1


async def test_items_of_one_feed_with_opaque_guids_are_not_mistaken_for_each_other(
    open_room: Newsroom,
) -> None:
    # Both items have non-URL GUIDs ("wire:broken", "BBC News:seed-bbc"). Their store keys used
    # to collapse to the feed's URL, so the failed item was taken for the stored seed story.
    await open_room.say("digest")
    store = open_room.commands.store
    seed = await store.article_for_url(feed_item_key(open_room.feed_url, "BBC News:seed-bbc"))
    broken = await store.article_for_url(feed_item_key(open_room.feed_url, BROKEN.guid))
    assert seed is not None and seed.url.endswith("/bbc/us-mexico") and broken is None


async def test_a_failed_item_is_tried_again_once_its_backoff_is_over(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    web.respond("/broken-story", "oops", status=500, content_type="text/plain")
    feed = site.feed("Wire", "/feeds/wire.xml", [BROKEN])
    clock = [NOW]
    backoff = ItemBackoff(clock=lambda: clock[0])
    profile = load_profile("migration")
    async with Summarizer(settings) as summarizer:
        poll = await FeedPoller(summarizer.fetcher, MemoryFeedState()).poll([feed], NOW)
        ingestor = Ingestor(summarizer, backoff=backoff)
        first = await ingestor.ingest(poll.items, profile)
        clock[0] += timedelta(minutes=4)
        second = await ingestor.ingest(poll.items, profile)
        clock[0] += timedelta(minutes=2)  # 5 minutes after the failure
        third = await ingestor.ingest(poll.items, profile)
        clock[0] += timedelta(minutes=6)  # the second failure doubled the wait to 10 minutes
        fourth = await ingestor.ingest(poll.items, profile)

    assert (len(first.failed), first.deferred) == (1, 0)
    assert (len(second.failed), second.deferred) == (0, 1)
    assert (len(third.failed), third.deferred) == (1, 0)
    assert (len(fourth.failed), fourth.deferred) == (0, 1)
    assert web.hits["/broken-story"] == 2


async def test_a_poll_takes_only_the_newest_items_of_a_huge_feed(
    settings: Settings, web: WebServer
) -> None:
    count = MAX_ITEMS_PER_POLL * 5
    items = "".join(
        f"<item><title>Story {n}</title><link>https://news.example/{n}</link>"
        f"<pubDate>{format_datetime(NOW - timedelta(minutes=(n * 7919) % count))}</pubDate></item>"
        for n in range(count)
    )  # dates shuffled: the newest are spread through the feed
    web.respond(
        "/huge.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>{items}'
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    async with Summarizer(settings) as summarizer:
        poll = await FeedPoller(summarizer.fetcher, MemoryFeedState()).poll(
            [web.url("/huge.xml")], NOW
        )

    [outcome] = poll.outcomes
    assert outcome.status == "ok" and len(outcome.items) == MAX_ITEMS_PER_POLL == 200
    oldest_kept = min(item.published for item in outcome.items if item.published)
    assert oldest_kept == NOW - timedelta(minutes=MAX_ITEMS_PER_POLL - 1)
    kept = [int(item.url.rsplit("/", 1)[1]) for item in outcome.items]
    assert kept == sorted(kept)  # in the feed's own order
