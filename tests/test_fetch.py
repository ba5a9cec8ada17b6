"""Fetcher end to end through aiohttp against a local server: pages, redirects, limits, errors."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from aiohttp.web import Request, Response, StreamResponse
from webserver import FIXTURES, WebServer

from bot.config import Settings
from bot.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    UnsupportedContentError,
)
from bot.web.fetch import FEED_TYPES, Fetcher, FetchResult

ARTICLE = FIXTURES / "fetch" / "article.html"
SMALL = 64 * 1024


def tuned(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


async def test_fetches_a_page(web: WebServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(web.url("/fetch/article.html"))

    assert result.status == 200
    assert result.url == web.url("/fetch/article.html")
    assert result.content_type == "text/html"
    assert result.body == ARTICLE.read_bytes()
    assert "São Paulo" in result.text()
    assert result.headers["content-length"] == str(len(result.body))


async def test_sends_identifying_headers_and_caller_headers(
    web: WebServer, fetcher: Fetcher, settings: Settings
) -> None:
    await fetcher.fetch(web.url("/fetch/article.html"), headers={"If-None-Match": '"v1"'})

    sent = web.requests[0].headers
    assert sent["User-Agent"] == settings.user_agent
    assert sent["Accept-Encoding"] == "gzip, deflate"
    assert "text/html" in sent["Accept"]
    assert sent["If-None-Match"] == '"v1"'


async def test_proxy_environment_is_ignored(
    web: WebServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on the discard port
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(web.url("/fetch/article.html"))
    assert result.status == 200


async def test_gzip_encoded_body_is_decoded(web: WebServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(web.url("/fetch/article.html.gz?encoding=gzip"))
    assert result.headers["content-encoding"] == "gzip"
    assert result.body == ARTICLE.read_bytes()


async def test_follows_a_redirect_chain_within_the_limit(web: WebServer, fetcher: Fetcher) -> None:
    web.redirect_chain("/r", hops=5, target="/fetch/article.html", status=301)

    result = await fetcher.fetch(web.url("/r"))

    assert result.url == web.url("/fetch/article.html")
    assert [r.path for r in web.requests] == [
        "/r", "/r/1", "/r/2", "/r/3", "/r/4", "/fetch/article.html"
    ]  # fmt: skip


async def test_too_many_redirects(web: WebServer, fetcher: Fetcher) -> None:
    web.redirect_chain("/r", hops=6, target="/fetch/article.html")

    with pytest.raises(TooManyRedirectsError, match="more than 5 times"):
        await fetcher.fetch(web.url("/r"))
    assert web.hits["/fetch/article.html"] == 0


async def test_relative_location_is_resolved(web: WebServer, fetcher: Fetcher) -> None:
    web.redirect("/news/story", "../fetch/article.html", status=307)
    result = await fetcher.fetch(web.url("/news/story"))
    assert result.url == web.url("/fetch/article.html")


async def test_redirect_to_another_scheme_is_refused(web: WebServer, fetcher: Fetcher) -> None:
    web.redirect("/r", "file:///etc/passwd")
    with pytest.raises(UnsafeURLError, match="Only http and https"):
        await fetcher.fetch(web.url("/r"))


async def test_redirect_without_location_is_an_error(web: WebServer, fetcher: Fetcher) -> None:
    web.respond("/nowhere", "", status=302)
    with pytest.raises(HTTPStatusError, match="without a destination") as caught:
        await fetcher.fetch(web.url("/nowhere"))
    assert caught.value.status == 302


async def test_credentials_headers_do_not_follow_to_another_host(
    web: WebServer, fetcher: Fetcher
) -> None:
    web.redirect("/same", "/fetch/article.html")
    web.redirect("/other", web.url("/fetch/article.html", host="localhost"))
    secret = {"Authorization": "Bearer s3cret", "If-None-Match": '"v1"'}

    await fetcher.fetch(web.url("/same"), headers=secret)
    await fetcher.fetch(web.url("/other"), headers=secret)

    same_origin, other_origin = web.requests[1].headers, web.requests[3].headers
    assert same_origin["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in other_origin
    assert other_origin["If-None-Match"] == '"v1"'


async def test_cookies_last_for_one_fetch_only(web: WebServer, fetcher: Fetcher) -> None:
    async def set_cookie(request: Request) -> StreamResponse:
        response = Response(status=302, headers={"Location": "/wall/check"})
        response.set_cookie("consent", "yes")
        return response

    async def check_cookie(request: Request) -> StreamResponse:
        allowed = request.cookies.get("consent") == "yes"
        return Response(text="in" if allowed else "out", content_type="text/plain")

    web.route("/wall", set_cookie)
    web.route("/wall/check", check_cookie)

    assert (await fetcher.fetch(web.url("/wall"))).text() == "in"
    assert (await fetcher.fetch(web.url("/wall/check"))).text() == "out"


async def test_endless_response_is_cut_off(web: WebServer, fetcher: Fetcher) -> None:
    web.endless("/endless")
    # Without the cut-off the fetch would end in FetchTimeoutError (2 s), not TooLargeError.
    with pytest.raises(TooLargeError, match="64 KB"):
        await fetcher.fetch(web.url("/endless"), max_bytes=SMALL)


async def test_declared_length_over_the_limit_is_refused(web: WebServer, fetcher: Fetcher) -> None:
    web.respond("/big", b"<p>" + b"a" * (2 * SMALL))
    with pytest.raises(TooLargeError):
        await fetcher.fetch(web.url("/big"), max_bytes=SMALL)


async def test_default_size_limit_comes_from_settings(web: WebServer, settings: Settings) -> None:
    web.respond("/page", b"<p>" + b"a" * 2000)
    async with Fetcher(tuned(settings, max_page_bytes=1000)) as fetcher:
        with pytest.raises(TooLargeError, match="1000 bytes"):
            await fetcher.fetch(web.url("/page"))


async def test_gzip_bomb_is_caught_on_the_decoded_size(web: WebServer, fetcher: Fetcher) -> None:
    wire_size = web.gzip_bomb("/bomb", decoded_bytes=16 * 1024 * 1024)
    assert wire_size < SMALL  # so only counting decoded bytes can catch it
    with pytest.raises(TooLargeError):
        await fetcher.fetch(web.url("/bomb"), max_bytes=SMALL)


async def test_trickling_server_hits_the_total_time_limit(
    web: WebServer, settings: Settings
) -> None:
    web.trickle("/slow", interval=0.05)
    async with Fetcher(tuned(settings, fetch_timeout_s=0.5)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError, match=r"0\.5 seconds"):
            # The server trickles forever: without a total limit this would never end. The
            # bound is generous so that only that regression, not a busy machine, crosses it.
            await asyncio.wait_for(fetcher.fetch(web.url("/slow")), 30)
    assert time.monotonic() - started > 0.4  # it did not give up before the limit


async def test_time_limit_covers_the_whole_redirect_chain(
    web: WebServer, settings: Settings
) -> None:
    async def slow_hop(request: Request) -> StreamResponse:
        await asyncio.sleep(0.2)
        return Response(status=302, headers={"Location": f"{request.path}x"})

    for path in ("/h", "/hx", "/hxx", "/hxxx"):
        web.route(path, slow_hop)
    async with Fetcher(tuned(settings, fetch_timeout_s=0.5)) as fetcher:
        with pytest.raises(FetchTimeoutError):
            await fetcher.fetch(web.url("/h"))
    assert web.hits["/hxxx"] == 0  # each hop alone is fast enough; together they are not


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/fetch/sample.pdf", "That link is a PDF, not a web page."),
        ("/fetch/pixel.png", "That link is an image, not a web page."),
        ("/fetch/article.html.gz", "That link is a compressed archive, not a web page."),
    ],
)
async def test_unsupported_content_is_named(
    web: WebServer, fetcher: Fetcher, path: str, message: str
) -> None:
    with pytest.raises(UnsupportedContentError) as caught:
        await fetcher.fetch(web.url(path))
    assert str(caught.value) == message


async def test_feed_types_are_accepted_only_when_asked_for(
    web: WebServer, fetcher: Fetcher
) -> None:
    web.respond("/feed", "<rss version='2.0'></rss>", content_type="application/rss+xml")

    result = await fetcher.fetch(web.url("/feed"), accept=FEED_TYPES)
    assert result.content_type == "application/rss+xml"
    with pytest.raises(UnsupportedContentError, match="a news feed, not a web page"):
        await fetcher.fetch(web.url("/feed"))


async def test_undeclared_html_is_sniffed(web: WebServer, fetcher: Fetcher) -> None:
    web.respond("/bare", "\n  <!DOCTYPE html><html><p>Hi</p></html>", content_type=None)
    result = await fetcher.fetch(web.url("/bare"))
    assert "content-type" not in result.headers
    assert result.content_type == ""
    assert result.text().strip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ((FIXTURES / "fetch" / "sample.pdf").read_bytes(), "That link is a PDF"),
        (b"\x00\x01binary", "does not look like a web page"),
        (b"", "empty response"),
    ],
)
async def test_undeclared_non_html_is_refused(
    web: WebServer, fetcher: Fetcher, body: bytes, message: str
) -> None:
    web.respond("/bare", body, content_type=None)
    with pytest.raises(UnsupportedContentError, match=message):
        await fetcher.fetch(web.url("/bare"))


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, r"The page was not found \(HTTP 404\)\."),
        (410, r"The page was not found \(HTTP 410\)\."),
        (403, "paywall or need a login"),
        (429, "limiting requests"),
        (500, r"server error \(HTTP 500\)"),
        (503, r"server error \(HTTP 503\)"),
    ],
)
async def test_error_statuses(web: WebServer, fetcher: Fetcher, status: int, message: str) -> None:
    web.respond("/err", "<p>nope</p>", status=status)
    with pytest.raises(HTTPStatusError, match=message) as caught:
        await fetcher.fetch(web.url("/err"))
    assert caught.value.status == status


async def test_conditional_get_returns_304(web: WebServer, fetcher: Fetcher) -> None:
    modified = "Tue, 05 Mar 2024 10:00:00 GMT"
    web.conditional("/feed", "<rss/>", etag='"v7"', last_modified=modified, content_type="text/xml")

    first = await fetcher.fetch(web.url("/feed"), accept=FEED_TYPES)
    by_etag = await fetcher.fetch(
        web.url("/feed"), accept=FEED_TYPES, headers={"If-None-Match": first.headers["etag"]}
    )
    by_date = await fetcher.fetch(
        web.url("/feed"), accept=FEED_TYPES, headers={"If-Modified-Since": modified}
    )
    stale = await fetcher.fetch(web.url("/feed"), accept=FEED_TYPES, headers={"If-None-Match": "x"})

    assert (first.status, first.body) == (200, b"<rss/>")
    assert (by_etag.status, by_etag.body, by_etag.headers["etag"]) == (304, b"", '"v7"')
    assert (by_date.status, by_date.body) == (304, b"")
    assert stale.status == 200


@pytest.mark.parametrize(
    ("charset", "encoded", "expected"),
    [
        ("iso-8859-1", "café à Zürich".encode("latin-1"), "café à Zürich"),
        ("windows-1251", "Мигранты".encode("cp1251"), "Мигранты"),
        (None, "São Paulo".encode(), "São Paulo"),
        ("no-such-charset", "São".encode(), "São"),
    ],
)
async def test_text_uses_the_declared_charset(
    web: WebServer, fetcher: Fetcher, charset: str | None, encoded: bytes, expected: str
) -> None:
    web.respond("/t", encoded, charset=charset, content_type="text/plain")
    result = await fetcher.fetch(web.url("/t"))
    assert result.charset == charset
    assert result.text() == expected


def test_text_replaces_undecodable_bytes() -> None:
    result = FetchResult("http://x/", 200, "text/html", "utf-8", b"caf\xe9", {})
    assert result.text() == "caf\ufffd"


async def test_connection_refused_is_one_sentence(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(f"http://127.0.0.1:{closed_port}/")
    assert str(caught.value) == "Could not reach 127.0.0.1."


async def test_dns_failure_is_one_sentence(settings: Settings) -> None:
    async def no_such_host(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async with Fetcher(settings, resolver=no_such_host) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://nowhere.example/story")
    assert str(caught.value) == "Could not reach nowhere.example."


async def test_concurrent_fetches_are_capped(web: WebServer, settings: Settings) -> None:
    in_flight = peak = 0

    async def slow(request: Request) -> StreamResponse:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return Response(text="ok", content_type="text/plain")

    web.route("/slow", slow)
    async with Fetcher(tuned(settings, max_concurrent_fetches=2)) as fetcher:
        await asyncio.gather(*(fetcher.fetch(web.url("/slow")) for _ in range(6)))
    assert web.hits["/slow"] == 6
    assert peak == 2
