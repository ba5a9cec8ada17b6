"""Feeds that fail and a database another process holds: each failure is one sentence, alone.

Feeds go through the real FeedPoller and Fetcher against the local web server: the nasty feed
corpus (truncated, not XML, wrong charsets, character references feedparser chokes on), an
empty 200 answer, 20 MB feeds, and servers that die halfway through the body. The database
tests hold SQLite's write lock from a child process while the command layer summarizes,
subscribes and builds digests.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.web import Request as HTTPRequest
from aiohttp.web import StreamResponse
from digest_site import NewsSite
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.digests.feeds import FeedOutcome, FeedPoller
from bot.digests.service import DigestService
from bot.service import Summarizer
from bot.store import Store, open_store
from bot.web.fetch import Fetcher

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "nasty"
NOW = datetime.now(UTC).replace(microsecond=0)
FEED_TYPE = "application/rss+xml"
DEFAULT_CAP = Settings.model_fields["max_page_bytes"].default  # 5 MB, as shipped
TOO_LARGE = "The page is larger than the 5 MB limit."
INCOMPLETE = "The page from 127.0.0.1 arrived incomplete or damaged."
UNEXPECTED = "The feed could not be read because of an unexpected error."
BUSY = "The database is busy with another writer; try again in a moment."

# One item of a big feed, about 200 bytes.
ITEM = (
    b"<item><title>Border crossings hit a record</title><link>https://frontera.example/a</link>"
    b"<description>More than 190,000 migrants were stopped at the southern border in November"
    b", officials said on Tuesday.</description></item>\n"
)
RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
TWENTY_MB = 20 * 1024 * 1024


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


@pytest.fixture
async def shipped_cap_fetcher(settings: Settings) -> AsyncIterator[Fetcher]:
    async with Fetcher(settings.model_copy(update={"max_page_bytes": DEFAULT_CAP})) as client:
        yield client


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def twenty_mb_feed() -> bytes:
    return RSS_HEAD + ITEM * (TWENTY_MB // len(ITEM)) + b"</channel></rss>"


def serve_streamed_feed(web: WebServer, path: str, size: int) -> None:
    """A chunked feed of ``size`` bytes (no Content-Length): the cap must stop the reading."""

    async def handler(request: HTTPRequest) -> StreamResponse:
        response = StreamResponse(headers={"Content-Type": FEED_TYPE})
        await response.prepare(request)
        chunk = ITEM * 200
        with contextlib.suppress(ConnectionError):  # the client hangs up at the cap
            await response.write(RSS_HEAD)
            for _ in range(size // len(chunk)):
                await response.write(chunk)
            await response.write_eof()
        return response

    web.route(path, handler)


def serve_dying_feed(web: WebServer, path: str, body: bytes, *, declare_length: bool) -> None:
    """Sends the first half of ``body``, then closes the connection."""

    async def handler(request: HTTPRequest) -> StreamResponse:
        response = StreamResponse(headers={"Content-Type": FEED_TYPE})
        if declare_length:
            response.content_length = len(body)
        await response.prepare(request)
        await response.write(body[: len(body) // 2])
        assert request.transport is not None
        request.transport.close()
        response.force_close()
        return response

    web.route(path, handler)


async def poll(fetcher: Fetcher, store: Store, urls: list[str]) -> dict[str, FeedOutcome]:
    for url in urls:
        await store.add_feed(url)
    report = await FeedPoller(fetcher, store).poll(urls, NOW)
    return {outcome.url: outcome for outcome in report.outcomes}


def titles(outcome: FeedOutcome) -> list[str]:
    return [item.title for item in outcome.items]


GOOD_TITLES = [
    "Récord de cruces en la frontera de Ciudad Juárez",
    "Albergues en São Paulo y El Paso, al límite",
    "Reabren los cruces ferroviarios en Eagle Pass",
    "Reunión bilateral en la Ciudad de México",
]
# Feed bodies served with a content type: (path, body, Content-Type header or None)
FEED_BODIES = [
    ("/good.rss", corpus("feed-good.rss"), FEED_TYPE),
    ("/truncated.rss", corpus("feed-truncated.rss"), FEED_TYPE),
    ("/truncated-header.rss", corpus("feed-truncated-header.rss"), FEED_TYPE),
    ("/homepage-as-rss", corpus("feed-is-html.html"), FEED_TYPE),
    ("/homepage.html", corpus("feed-is-html.html"), "text/html"),
    ("/latin1.rss", corpus("feed-latin1-declared-utf8.rss"), f"{FEED_TYPE}; charset=utf-8"),
    ("/utf8.rss", corpus("feed-utf8-declared-latin1.rss"), f"{FEED_TYPE}; charset=iso-8859-1"),
    ("/empty.rss", b"", FEED_TYPE),
    ("/empty", b"", None),
    ("/surrogates.rss", corpus("feed-surrogate-charrefs.rss"), FEED_TYPE),
    ("/noncharacter.rss", corpus("feed-noncharacter.rss"), FEED_TYPE),
]
GENERATED_FEEDS = ["/20mb-chunked.rss", "/20mb-declared.rss", "/20mb-gzip.rss"]
DYING_FEEDS = ["/dies-sized.rss", "/dies-chunked.rss", "/dies-undelimited.rss"]


async def test_every_bad_feed_gets_its_own_outcome_and_the_good_ones_parse(
    web: WebServer, shipped_cap_fetcher: Fetcher, store: Store
) -> None:
    for path, body, content_type in FEED_BODIES:
        web.respond(path, body, content_type=content_type)
    serve_streamed_feed(web, "/20mb-chunked.rss", TWENTY_MB)
    web.respond("/20mb-declared.rss", twenty_mb_feed(), content_type=FEED_TYPE)
    compressed = gzip.compress(twenty_mb_feed(), 6, mtime=0)
    headers = {"Content-Encoding": "gzip"}
    web.respond("/20mb-gzip.rss", compressed, content_type=FEED_TYPE, headers=headers)
    paths = [path for path, _, _ in FEED_BODIES] + GENERATED_FEEDS
    url = {path: web.url(path) for path in paths}

    started = time.monotonic()
    outcomes = await poll(shipped_cap_fetcher, store, list(url.values()))
    assert time.monotonic() - started < 10
    by_path = {path: outcomes[url[path]] for path in paths}

    def failed(path: str, message: str) -> None:
        assert (by_path[path].status, by_path[path].error) == ("failed", message), path

    assert titles(by_path["/good.rss"]) == GOOD_TITLES and by_path["/good.rss"].warning is None
    truncated = by_path["/truncated.rss"]
    assert (
        truncated.status == "ok" and truncated.warning and "SAXParseException" in truncated.warning
    )
    assert titles(truncated)[:2] == GOOD_TITLES[:2]  # the items before the break
    assert [item.url for item in truncated.items][:2] == [
        "https://frontera.example/cruces",
        "https://frontera.example/albergues",
    ]
    failed(
        "/truncated-header.rss",
        f"The feed at {url['/truncated-header.rss']} is broken and no items could be read from it.",
    )
    for path in ("/homepage-as-rss", "/homepage.html", "/empty.rss"):
        failed(path, f"The address {url[path]} did not return an RSS or Atom feed.")
    failed("/empty", "That link returned an empty response.")
    assert titles(by_path["/latin1.rss"]) == GOOD_TITLES  # latin-1 bytes declared UTF-8
    assert titles(by_path["/utf8.rss"]) == GOOD_TITLES  # UTF-8 bytes declared latin-1
    for path in GENERATED_FEEDS:
        failed(path, TOO_LARGE)
    # Odd characters feedparser and lxml used to crash on lose nothing.
    for path in ("/surrogates.rss", "/noncharacter.rss"):
        outcome = by_path[path]
        assert (outcome.status, len(outcome.items)) == ("ok", 4)
    # The store holds each verdict: failures with their sentence, successes clean.
    for path in paths:
        state = await store.get_feed(url[path])
        assert state is not None
        if by_path[path].status == "failed":
            assert (state.consecutive_failures, state.last_error) == (1, by_path[path].error)
        else:
            assert (state.consecutive_failures, state.last_success) == (0, NOW)


@pytest.mark.parametrize("name", ["feed-surrogate-charrefs.rss", "feed-noncharacter.rss"])
async def test_one_odd_character_does_not_lose_a_whole_feed(
    name: str, web: WebServer, fetcher: Fetcher, store: Store
) -> None:
    web.respond("/feed.rss", corpus(name), content_type=FEED_TYPE)
    outcome = (await poll(fetcher, store, [web.url("/feed.rss")]))[web.url("/feed.rss")]
    assert outcome.status == "ok", outcome.error
    assert len(outcome.items) == 4
    assert all(
        title.startswith(good) for title, good in zip(titles(outcome), GOOD_TITLES, strict=True)
    )


# --- a feed server that dies mid-response -----------------------------------------------


def serve_undelimited_dying_feed(web: WebServer, path: str, body: bytes) -> None:
    """HTTP/1.0 style: no length, no chunks, the body ends when the connection does."""

    async def handler(request: HTTPRequest) -> StreamResponse:
        assert request.transport is not None
        head = f"HTTP/1.0 200 OK\r\nContent-Type: {FEED_TYPE}\r\nConnection: close\r\n\r\n"
        request.transport.write(head.encode() + body[: len(body) // 2])
        request.transport.close()
        response = StreamResponse()
        response.force_close()
        return response

    web.route(path, handler)


async def test_a_feed_server_dying_mid_response_fails_that_feed_alone(
    web: WebServer, fetcher: Fetcher, store: Store
) -> None:
    # 194 items: under the poller's 200-item cap (MAX_ITEMS_PER_POLL), so every item counts.
    body = corpus("feed-good.rss").replace(b"</channel>", ITEM * 190 + b"</channel>")
    assert len(body) > 40_000  # half of it is many TCP segments, not one write
    web.respond("/good.rss", body, content_type=FEED_TYPE)
    web.respond("/heise.atom", (ROOT / "tests/fixtures/feeds/heise.atom").read_bytes(),
                content_type="application/atom+xml")  # fmt: skip
    serve_dying_feed(web, "/dies-sized.rss", body, declare_length=True)
    serve_dying_feed(web, "/dies-chunked.rss", body, declare_length=False)
    serve_undelimited_dying_feed(web, "/dies-undelimited.rss", body)
    paths = ["/good.rss", "/dies-sized.rss", "/heise.atom", "/dies-chunked.rss"]
    urls = [web.url(path) for path in [*paths, "/dies-undelimited.rss"]]
    assert len(DYING_FEEDS) == 3

    outcomes = await poll(fetcher, store, urls)

    good, sized, heise, chunked, undelimited = (outcomes[url] for url in urls)
    assert (good.status, len(good.items), heise.status, len(heise.items)) == ("ok", 194, "ok", 15)
    for dead in (sized, chunked):
        assert (dead.status, dead.error, dead.items) == ("failed", INCOMPLETE, ())
    # Without a length the client cannot know the body was cut: it reads as a truncated feed.
    assert undelimited.status == "ok" and undelimited.warning
    assert titles(undelimited)[:4] == GOOD_TITLES and len(undelimited.items) < len(good.items)
    state = await store.get_feed(web.url("/dies-sized.rss"))
    assert state is not None and (state.consecutive_failures, state.last_error) == (1, INCOMPLETE)

    # Once the server is healthy again, the next due poll reads the feed: nothing stuck.
    web.respond("/dies-sized.rss", body, content_type=FEED_TYPE)
    later = NOW + timedelta(hours=1)
    report = await FeedPoller(fetcher, store).poll([web.url("/dies-sized.rss")], later)
    assert [(o.status, len(o.items)) for o in report.outcomes] == [("ok", 194)]
    state = await store.get_feed(web.url("/dies-sized.rss"))
    assert state is not None and state.consecutive_failures == 0


# --- a database locked by another process -----------------------------------------------

# Holds SQLite's write lock from another process for argv[2] seconds.
HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""
ARTICLE = (
    "Border crossings hit a record as El Paso asks for help\n\n"
    "US border agents stopped more than 190,000 migrants at the southern border in November, "
    "the highest monthly figure this year, according to figures released on Tuesday. Officials "
    "in Ciudad Juárez said about 2,500 people crossed the Rio Grande on a single day last week. "
    "The mayor of El Paso asked the federal government for $12m in emergency aid to open two "
    "new shelters with room for 1,000 people."
)
CALLER = Caller("slack", "C1", "U1", can_manage=True)


async def hold_lock(path: Path, seconds: float) -> asyncio.subprocess.Process:
    """A child process holding the database's write lock; returns once it has it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_WRITE_LOCK, str(path), str(seconds),
        env=env, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert child.stdout is not None
    assert await asyncio.wait_for(child.stdout.readline(), timeout=20) == b"locked\n"
    return child


async def news_desk(
    web: WebServer, settings: Settings, store: Store, summarizer: Summarizer
) -> Commands:
    """Commands over a local news site whose feed carries one migration story."""
    site = NewsSite(web, NOW)
    await store.add_feed(site.feed("BBC News", "/feeds/bbc.xml", [site.page(
        "seed-bbc", "/bbc/us-mexico", outlet="BBC News")]))  # fmt: skip
    digests = DigestService(settings, store, summarizer, clock=lambda: NOW)
    return Commands(summarizer, store, digests=digests, clock=lambda: NOW)


async def say(commands: Commands, text: str) -> Reply:
    return await commands.handle(Request(CALLER, text))


async def test_commands_wait_out_a_lock_held_for_two_seconds(
    web: WebServer, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "nb.db"
    async with await open_store(path) as store, Summarizer(settings) as summarizer:
        commands = await news_desk(web, settings, store, summarizer)
        holder = await hold_lock(path, 2.0)
        summary = await say(commands, f"summarize {ARTICLE}")
        assert holder.returncode is None  # a summary only reads: it did not wait for the lock
        assert summary.summary is not None and len(summary.summary.sentences) == 3

        started = time.monotonic()
        subscribed, digest, code = await asyncio.gather(
            say(commands, "subscribe 07:00 America/Mexico_City"), say(commands, "digest"),
            holder.wait(),
        )  # fmt: skip
        assert code == 0 and time.monotonic() - started > 0.5  # they waited for the writer
        assert subscribed.text.startswith("Subscribed: the migration digest"), subscribed.text
        assert digest.digest is not None, digest.text
        assert [a.source for s in digest.digest.stories for a in s.articles] == ["BBC News"]
        assert len(await store.list_subscriptions()) == 1


async def test_a_lock_longer_than_the_busy_timeout_is_one_sentence_and_nothing_half_done(
    web: WebServer, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "nb.db"
    async with (
        await open_store(path, busy_timeout_ms=200) as store,
        Summarizer(settings) as summarizer,
    ):
        commands = await news_desk(web, settings, store, summarizer)
        holder = await hold_lock(path, 1.5)
        summary = await say(commands, f"summarize {ARTICLE}")
        subscribed = await say(commands, "subscribe")
        digest = await say(commands, "digest")
        assert holder.returncode is None, "the lock was gone before the commands ran"
        assert summary.summary is not None
        assert (subscribed.error, subscribed.text) == (True, BUSY)
        assert (digest.error, digest.text) == (True, BUSY)
        assert await store.list_subscriptions() == []

        assert await holder.wait() == 0
        assert (await say(commands, "subscribe")).text.startswith("Subscribed")
        digest = await say(commands, "digest")
        assert digest.digest is not None and len(digest.digest.stories) == 1
