"""FeedPoller against the local web server (real Fetcher, real feeds), and the feed-list format."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web as aioweb
from webserver import WebServer

from bot.digests.feeds import FeedPoller, default_feed_list, load_feed_list
from bot.errors import InputError
from bot.store import open_store
from bot.web.fetch import Fetcher

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2024, 1, 2, 6, 0, tzinfo=UTC)
LAST_MODIFIED = "Wed, 31 Jan 2018 08:00:00 GMT"


@dataclass(frozen=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    next_attempt: datetime | None = None
    consecutive_failures: int = 0

    def is_due(self, now: datetime) -> bool:
        return self.next_attempt is None or self.next_attempt <= now


@dataclass
class MemoryFeedStore:
    """The feed-state part of the store, in memory, recording what the poller told it."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    successes: list[tuple[str, str | None, str | None, datetime]] = field(default_factory=list)
    failures: list[tuple[str, str, datetime]] = field(default_factory=list)

    async def get_feed(self, url: str) -> FeedState | None:
        return self.feeds.get(url)

    async def feed_succeeded(
        self, url: str, *, etag: str | None, last_modified: str | None, at: datetime
    ) -> FeedState:
        self.successes.append((url, etag, last_modified, at))
        old = self.feeds.get(url, FeedState())
        self.feeds[url] = FeedState(etag or old.etag, last_modified or old.last_modified)
        return self.feeds[url]

    async def feed_failed(self, url: str, error: str, *, at: datetime) -> FeedState:
        self.failures.append((url, error, at))
        old = self.feeds.get(url, FeedState())
        self.feeds[url] = replace(
            old,
            next_attempt=at + timedelta(minutes=5),
            consecutive_failures=old.consecutive_failures + 1,
        )
        return self.feeds[url]


def serve_fixture(web: WebServer, name: str, content_type: str) -> str:
    web.respond(f"/{name}", (FEEDS / name).read_bytes(), content_type=content_type)
    return web.url(f"/{name}")


async def test_poll_reports_every_feed_and_failures_do_not_stop_the_others(
    web: WebServer, fetcher: Fetcher
) -> None:
    guardian = serve_fixture(web, "guardian.rss", "application/rss+xml")
    uol = serve_fixture(web, "uolNoticias.rss", "text/xml")  # latin-1, no declaration
    heise = serve_fixture(web, "heise.atom", "application/atom+xml")
    web.respond("/down.rss", "oops", status=500, content_type="text/plain")
    web.respond("/page.html", "<html><body><h1>Not a feed</h1></body></html>")
    down, page = web.url("/down.rss"), web.url("/page.html")
    store = MemoryFeedStore()

    report = await FeedPoller(fetcher, store).poll([guardian, down, uol, page, heise, uol], NOW)

    assert [outcome.url for outcome in report.outcomes] == [guardian, down, uol, page, heise]
    assert [outcome.status for outcome in report.outcomes] == [
        "ok", "failed", "ok", "failed", "ok"
    ]  # fmt: skip
    ok = {outcome.url: outcome for outcome in report.outcomes if outcome.status == "ok"}
    assert {url: len(outcome.items) for url, outcome in ok.items()} == {
        guardian: 55, uol: 15, heise: 15
    }  # fmt: skip
    assert ok[uol].items[0].title.endswith("simulações de 2º turno")
    assert ok[guardian].title == "The Guardian"
    assert len(report.items) == 85
    assert report.counts() == {"ok": 3, "not_modified": 0, "failed": 2, "not_due": 0}

    errors = {outcome.url: outcome.error for outcome in report.failed}
    assert errors[down] == "The site had a server error (HTTP 500); try again later."
    assert errors[page] == f"The address {page} did not return an RSS or Atom feed."
    assert report.failed[0].describe().startswith("failed: The site had a server error")
    assert ok[heise].describe() == "ok, 15 items"
    assert sorted(url for url, *_ in store.successes) == sorted([guardian, uol, heise])
    assert [(url, at) for url, _, at in store.failures] == [(down, NOW), (page, NOW)]
    assert web.hits["/uolNoticias.rss"] == 1  # listed twice, fetched once


async def test_etag_and_last_modified_make_the_second_poll_a_304(
    web: WebServer, fetcher: Fetcher
) -> None:
    body = (FEEDS / "guardian.rss").read_text(encoding="utf-8")
    web.conditional(
        "/guardian.rss", body, etag='"v1"', last_modified=LAST_MODIFIED,
        content_type="application/rss+xml; charset=utf-8",
    )  # fmt: skip
    url = web.url("/guardian.rss")
    store = MemoryFeedStore()
    poller = FeedPoller(fetcher, store)

    first = await poller.poll([url], NOW)
    assert first.outcomes[0].status == "ok" and len(first.outcomes[0].items) == 55
    assert store.feeds[url] == FeedState('"v1"', LAST_MODIFIED)
    assert "If-None-Match" not in web.requests[0].headers

    second = await poller.poll([url], NOW + timedelta(hours=1))
    assert second.outcomes[0].status == "not_modified" and second.items == ()
    assert second.outcomes[0].describe() == "not modified"
    sent = web.requests[1].headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v1"', LAST_MODIFIED)
    assert store.successes[-1] == (url, '"v1"', LAST_MODIFIED, NOW + timedelta(hours=1))
    assert store.failures == []


async def test_poller_works_with_the_sqlite_store(
    web: WebServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    body = (FEEDS / "guardian.rss").read_text(encoding="utf-8")
    web.conditional(
        "/g.rss", body, etag='"v1"', last_modified=LAST_MODIFIED, content_type="text/xml"
    )
    web.respond("/down.rss", "oops", status=503, content_type="text/plain")
    good, down = web.url("/g.rss"), web.url("/down.rss")
    async with await open_store(tmp_path / "feeds.db") as store:
        for url in (good, down):
            await store.add_feed(url)
        poller = FeedPoller(fetcher, store)
        first = await poller.poll([good, down], NOW)
        second = await poller.poll([good, down], NOW + timedelta(minutes=1))
        assert [o.status for o in first.outcomes] == ["ok", "failed"]
        assert [o.status for o in second.outcomes] == ["not_modified", "not_due"]
        stored = await store.get_feed(good)
        assert stored is not None and stored.etag == '"v1"'
        failed = await store.get_feed(down)
        assert failed is not None and failed.consecutive_failures == 1
        assert failed.last_error == first.outcomes[1].error


async def test_feeds_in_backoff_are_not_fetched(web: WebServer, fetcher: Fetcher) -> None:
    url = serve_fixture(web, "heraldsun.rss", "application/rss+xml")
    store = MemoryFeedStore({url: FeedState(next_attempt=NOW + timedelta(minutes=10))})

    report = await FeedPoller(fetcher, store).poll([url], NOW)
    assert report.outcomes[0].status == "not_due" and web.hits["/heraldsun.rss"] == 0

    later = await FeedPoller(fetcher, store).poll([url], NOW + timedelta(minutes=10))
    assert later.outcomes[0].status == "ok" and web.hits["/heraldsun.rss"] == 1


async def test_feeds_are_fetched_concurrently_within_the_bound(
    web: WebServer, fetcher: Fetcher
) -> None:
    body = (FEEDS / "instant-article.rss").read_bytes()
    in_flight = 0
    peak = 0

    async def slow_feed(request: aioweb.Request) -> aioweb.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return aioweb.Response(body=body, content_type="application/rss+xml")

    urls = []
    for index in range(6):
        web.route(f"/slow/{index}.rss", slow_feed)
        urls.append(web.url(f"/slow/{index}.rss"))

    report = await FeedPoller(fetcher, MemoryFeedStore(), concurrency=3).poll(urls, NOW)
    assert report.counts()["ok"] == 6
    assert peak == 3


def test_load_feed_list(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# My newsroom\n\n"
        "https://www.theguardian.com/us-news/usimmigration/rss\n"
        "   https://feeds.bbci.co.uk/mundo/rss.xml   # BBC Mundo\n"
        "https://example.com/feed#section\n"
        "https://www.theguardian.com/us-news/usimmigration/rss\n",
        encoding="utf-8",
    )
    assert load_feed_list(listing) == [
        "https://www.theguardian.com/us-news/usimmigration/rss",
        "https://feeds.bbci.co.uk/mundo/rss.xml",
        "https://example.com/feed#section",
    ]
    assert load_feed_list(str(listing)) == load_feed_list(listing)


@pytest.mark.parametrize("bad_line", ["www.example.com/rss", "ftp://example.com/rss", "feed me"])
def test_feed_list_errors_name_the_line(tmp_path: Path, bad_line: str) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# comment\nhttps://example.com/rss\n{bad_line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"Line 3 of the feed list {listing}"):
        load_feed_list(listing)
    with pytest.raises(InputError, match="does not exist"):
        load_feed_list(tmp_path / "missing.txt")


def test_default_feed_list_has_english_and_spanish_feeds() -> None:
    feeds = default_feed_list()
    assert len(feeds) >= 15 and len(set(feeds)) == len(feeds)
    assert all(url.startswith("https://") for url in feeds)
    assert "https://www.theguardian.com/us-news/usimmigration/rss" in feeds
    assert "https://feeds.bbci.co.uk/mundo/rss.xml" in feeds
    assert any("elpais.com" in url for url in feeds) and any("jornada" in url for url in feeds)
