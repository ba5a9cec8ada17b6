"""Quiet first sync (issue 14, item 7): a feed a tenant adds does not backfill its old items.

End to end: feeds served on 127.0.0.1, added with `feeds add` through Commands at a known store
time, polled and built into each tenant's `digest`. Items dated up to an hour before the add
still count (the grace); older ones only for a tenant that listed the feed before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from digest_site import NewsSite, article_page
from store_fixtures import Opener
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.digests.service import DigestService
from bot.models import Digest
from bot.service import Summarizer

ADDED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # when Discord's server adds the feed
NOW = ADDED + timedelta(hours=3)  # when each channel asks for its digest
CONSOLE = Caller("console", "console", "me", can_manage=True, tenant="console")
DISCORD = Caller("discord", "42", "7", can_manage=True, tenant="G1")


def links(digest: Digest) -> set[str]:
    shown = {a.canonical_url or a.url for story in digest.stories for a in story.articles}
    return shown | {h.url for h in digest.more_headlines if h.url}


async def test_a_feed_added_later_brings_only_items_from_about_then(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    site = NewsSite(web, NOW)
    old = site.page("bbc-politics-013", "/p/asylum-row", outlet="Paper P", hours_ago=8)
    grace = site.page("bbc-politics-078", "/p/asylum-children", outlet="Paper P", hours_ago=3.5)
    new = site.page("bbc-politics-334", "/p/election-issue", outlet="Paper P", hours_ago=1)
    feed = site.feed("Paper P", "/feeds/p.xml", [old, grace, new])
    store_time = [ADDED - timedelta(days=2)]
    store = await open_backend(clock=lambda: store_time[0])
    async with store, Summarizer(settings) as summarizer:
        service = DigestService(settings, store, summarizer, clock=lambda: NOW)
        commands = Commands(
            summarizer, store, digests=service, clock=lambda: NOW, limits=SummarizeLimits()
        )

        async def digest_links(caller: Caller) -> set[str]:
            reply = await commands.handle(Request(caller, "digest"))
            assert reply.digest is not None, reply.text
            return links(reply.digest)

        async def add(caller: Caller) -> None:
            reply = await commands.handle(Request(caller, f"feeds add {feed}"))
            assert "Added" in reply.text, reply.text

        await add(CONSOLE)  # the console has listed it for two days
        store_time[0] = ADDED
        await add(DISCORD)  # the Discord server adds it now
        await add(CONSOLE)  # adding it again does not make it new for the console
        console = await digest_links(CONSOLE)
        discord = await digest_links(DISCORD)
        [discord_row] = await store.tenant_feeds("discord:G1")
    old_url, grace_url, new_url = (web.url(e.path) for e in (old, grace, new))
    assert discord_row.url == feed
    assert console == {old_url, grace_url, new_url}
    assert discord == {grace_url, new_url}  # 8 h old: before the feed was added, less an hour


async def test_feeds_from_the_operators_starting_list_are_not_quiet(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    # The operator's list (NEWSBRIEF_FEEDS, read into an empty database) is where a new install
    # starts: a tenant seeded from it gets the last day's news in its first digest.
    site = NewsSite(web, NOW)
    old = site.page("bbc-politics-013", "/p/asylum-row", outlet="Paper P", hours_ago=8)
    feed = site.feed("Paper P", "/feeds/p.xml", [old])
    store = await open_backend(clock=lambda: NOW)
    async with store, Summarizer(settings) as summarizer:
        await store.add_feed(feed)
        service = DigestService(settings, store, summarizer, clock=lambda: NOW)
        commands = Commands(
            summarizer, store, digests=service, clock=lambda: NOW, limits=SummarizeLimits()
        )
        reply = await commands.handle(Request(DISCORD, "digest"))
    assert reply.digest is not None, reply.text
    assert links(reply.digest) == {web.url(old.path)}


def undated_rss(web: WebServer, entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{web.url(path)}</link><guid>{path}</guid></item>"
        for path, title in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Undated</title><link>{web.url("/")}</link><description>d</description>{items}
</channel></rss>"""


async def test_undated_items_listed_when_the_feed_was_added_stay_out(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    # A feed without dates: what it lists at `feeds add` is its back catalogue, by name.
    site = NewsSite(web, NOW)
    for article_id, path in (("bbc-politics-013", "/u/old"), ("bbc-politics-334", "/u/new")):
        record = site.articles[article_id]
        page = article_page(record["title"], record["text"], outlet="Paper U", published=NOW)
        undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", page)
        web.respond(path, undated, content_type="text/html", charset="utf-8")
    old_title = site.articles["bbc-politics-013"]["title"]
    new_title = site.articles["bbc-politics-334"]["title"]
    web.respond("/feeds/u.xml", undated_rss(web, [("/u/old", old_title)]), content_type="text/xml")
    store = await open_backend(clock=lambda: ADDED)
    async with store, Summarizer(settings) as summarizer:
        service = DigestService(settings, store, summarizer, clock=lambda: NOW)
        commands = Commands(
            summarizer, store, digests=service, clock=lambda: NOW, limits=SummarizeLimits()
        )
        added = await commands.handle(Request(DISCORD, f"feeds add {web.url('/feeds/u.xml')}"))
        assert "Added" in added.text, added.text
        first = await commands.handle(Request(DISCORD, "digest"))
        both = [("/u/old", old_title), ("/u/new", new_title)]
        web.respond("/feeds/u.xml", undated_rss(web, both), content_type="text/xml")
        second = await commands.handle(Request(DISCORD, "digest"))
        [old] = await store.search_articles("discord:G1", [old_title])
    assert old.published is None  # really undated, so only its name tells it is old
    assert first.digest is not None and second.digest is not None
    assert links(first.digest) == set()
    assert links(second.digest) == {web.url("/u/new")}
