"""The one HTTP client for every outbound request: SSRF guard, redirects, time, size, type limits.

``Fetcher.fetch`` raises only ``bot.errors.FetchError`` and its subclasses, each with one
sentence a chat user can read:

    FetchError                 network failure: DNS, connection refused or reset, TLS
    ├── UnsafeURLError         scheme, credentials, port, private address (bot.web.netguard)
    ├── TooManyRedirectsError  more than settings.max_redirects hops
    ├── FetchTimeoutError      the whole fetch, redirects included, passed fetch_timeout_s
    ├── TooLargeError          the decoded body passed max_bytes (gzip bombs included)
    ├── UnsupportedContentError  PDF, image, video, ... (not in ``accept``)
    └── HTTPStatusError        404, 403, 429, 5xx, ...

The time limit starts once one of the ``max_concurrent_fetches`` slots is free; waiting for a
slot is bounded because every fetch holding one is.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import aiohttp
from yarl import URL

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
from bot.metrics import FETCH_SECONDS
from bot.web.netguard import GuardedResolver, NetworkPolicy, Resolver, system_resolver

__all__ = ["FEED_TYPES", "PAGE_TYPES", "FetchResult", "Fetcher", "Resolver"]

PAGE_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES: frozenset[str] = PAGE_TYPES | {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml",
}  # fmt: skip

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_WALL_STATUSES = frozenset({401, 402, 403, 451})
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_CHUNK_BYTES = 64 * 1024
_SNIFF_BYTES = 1024

# (part of a media type, what to call it in a message): the first match wins.
_KINDS = (
    ("pdf", "a PDF"), ("image/", "an image"), ("video/", "a video"), ("audio/", "an audio file"),
    ("json", "JSON data"), ("zip", "a compressed archive"), ("tar", "an archive"),
    ("word", "a Word document"), ("excel", "a spreadsheet"), ("sheet", "a spreadsheet"),
    ("javascript", "a script"), ("octet-stream", "a file download"),
)  # fmt: skip
_MAGIC_TYPES = {
    b"%pdf-": "application/pdf", b"\x89png": "image/png", b"\xff\xd8\xff": "image/jpeg",
    b"gif8": "image/gif", b"pk\x03\x04": "application/zip",
}  # fmt: skip

_log = logging.getLogger(__name__)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched response: final URL, status (200 or 304), media type and the decoded body."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: Mapping[str, str]

    def text(self) -> str:
        """The body as text: a byte-order mark wins, then the declared charset, then utf-8."""
        for bom, codec in _BOMS:
            if self.body.startswith(bom):
                return self.body[len(bom) :].decode(codec, errors="replace")
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class Fetcher:
    """Shared async HTTP client; build once, ``await fetch(url)`` many times, ``aclose()``.

    ``resolver`` replaces DNS (tests). ``allowed_ports`` replaces the port rule (default: 80,
    443, 8080, 8443, or any port when private networks are allowed). ``allowed_networks``
    (e.g. ``["10.1.2.0/24"]``) stay reachable while private networks are otherwise refused.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        allowed_ports: Collection[int] | None = None,
        allowed_networks: Collection[str] = (),
    ) -> None:
        self._settings = settings
        self._policy = NetworkPolicy.build(
            allow_private=settings.allow_private_networks,
            allowed_ports=allowed_ports,
            allowed_networks=allowed_networks,
        )
        self._resolver = resolver or system_resolver
        self._slots = asyncio.Semaphore(settings.max_concurrent_fetches)
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the fetcher cannot be used afterwards."""
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        accept: Collection[str] = PAGE_TYPES,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` following safe redirects; raises a FetchError subclass on any failure."""
        try:
            target = URL(url.strip())
        except (ValueError, TypeError):
            raise UnsafeURLError("That link is not a valid web address.") from None
        limit = max_bytes if max_bytes is not None else self._settings.max_page_bytes
        host = _display_host(target)
        async with self._slots:
            try:
                async with asyncio.timeout(self._settings.fetch_timeout_s):
                    with FETCH_SECONDS.time():
                        return await self._follow(target, accept, dict(headers or {}), limit)
            except TimeoutError:
                seconds = self._settings.fetch_timeout_s
                raise FetchTimeoutError(
                    f"{host} did not send the page within {seconds:g} "
                    f"second{'' if seconds == 1 else 's'}."
                ) from None

    def _client(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("Fetcher.fetch called after aclose()")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                resolver=GuardedResolver(self._resolver, self._policy),
                use_dns_cache=False,  # every connection must go through the guarded resolver
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,
                cookie_jar=aiohttp.DummyCookieJar(),  # fetches share no cookies (see _follow)
                timeout=aiohttp.ClientTimeout(total=self._settings.fetch_timeout_s),
                auto_decompress=True,
            )
        return self._session

    def _request_headers(self, accept: Collection[str], extra: dict[str, str]) -> dict[str, str]:
        return {
            "User-Agent": self._settings.user_agent,
            "Accept": ", ".join([*sorted(accept), "*/*;q=0.1"]),
            "Accept-Encoding": "gzip, deflate",
            **extra,
        }

    async def _follow(
        self, target: URL, accept: Collection[str], extra: dict[str, str], limit: int
    ) -> FetchResult:
        session = self._client()
        # Cookies live for one fetch only: enough for "set cookie, redirect" consent walls.
        # unsafe=True keeps cookies from IP-literal hosts too; the jar dies with this call.
        jar = aiohttp.CookieJar(unsafe=True)
        current = target
        for _hop in range(self._settings.max_redirects + 1):
            current = self._policy.check_url(current)
            host = _display_host(current)
            try:
                async with session.get(
                    current,
                    headers=self._request_headers(accept, extra),
                    cookies=jar.filter_cookies(current),
                    allow_redirects=False,
                ) as response:
                    _log.debug("GET %s -> %d", current.with_query(None), response.status)
                    jar.update_cookies(response.cookies, response.url)
                    if response.status not in _REDIRECT_STATUSES:
                        return await _result(response, current, accept, limit)
                    location, status = response.headers.get("Location"), response.status
            except TimeoutError:  # an OSError too, but fetch() reports it
                raise
            except (aiohttp.ClientError, OSError) as exc:
                raise _network_error(exc, host) from None
            if not location:
                raise HTTPStatusError("The site sent a redirect without a destination.", status)
            try:
                following = current.join(URL(location))
            except ValueError:
                raise UnsafeURLError("The link redirected to an invalid web address.") from None
            if _origin(following) != _origin(current):
                extra = {k: v for k, v in extra.items() if k.lower() not in _CREDENTIAL_HEADERS}
            current = following
        raise TooManyRedirectsError(
            f"The link redirected more than {self._settings.max_redirects} times."
        )


async def _result(
    response: aiohttp.ClientResponse, url: URL, accept: Collection[str], limit: int
) -> FetchResult:
    status = response.status
    has_type = "Content-Type" in response.headers
    content_type = response.content_type.lower() if has_type else ""
    charset = response.charset if has_type else None
    headers = MappingProxyType(_lower_case_headers(response))
    if status == 304:
        return FetchResult(str(url), status, content_type, charset, b"", headers)
    if not 200 <= status < 300:
        error = _status_error(status)
        if status in _WALL_STATUSES and (not content_type or content_type in accept):
            # bot.web.walls reads this page: a paywall or challenge says what it is
            error.body = await _read_capped(response, limit)
        raise error
    if content_type and content_type not in accept:
        raise UnsupportedContentError(_unsupported_message(content_type, accept))
    if response.content_length is not None and response.content_length > limit:
        raise TooLargeError(f"The page is larger than the {_size(limit)} limit.")
    body = await _read_capped(response, limit)
    if not content_type:
        _check_sniffed(body, accept)
    return FetchResult(str(url), status, content_type, charset, body, headers)


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The decoded body, stopping as soon as it passes ``limit`` bytes."""
    received = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK_BYTES):
        received += chunk
        if len(received) > limit:
            raise TooLargeError(f"The page is larger than the {_size(limit)} limit.")
    return bytes(received)


def _lower_case_headers(response: aiohttp.ClientResponse) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in response.headers.items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def _check_sniffed(body: bytes, accept: Collection[str]) -> None:
    """Accept an undeclared body only if it looks like markup the caller accepts."""
    if not body.strip():
        raise UnsupportedContentError("That link returned an empty response.")
    head = body[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    sniffed = next((t for magic, t in _MAGIC_TYPES.items() if head.startswith(magic)), None)
    if sniffed is None and (head.startswith(b"<!doctype html") or b"<html" in head):
        sniffed = "text/html"
    elif sniffed is None and head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")):
        sniffed = "application/xml"
    if sniffed is None:
        raise UnsupportedContentError(
            "That link did not say what kind of file it is, and it does not look like a web page."
        )
    if sniffed not in accept:
        raise UnsupportedContentError(_unsupported_message(sniffed, accept))


def _unsupported_message(content_type: str, accept: Collection[str]) -> str:
    kind = next((name for part, name in _KINDS if part in content_type), None)
    if content_type in FEED_TYPES:
        kind = "a news feed"
    kind = kind or f"a file of type {content_type}"
    wanted = "a web page" if set(accept) <= PAGE_TYPES else "a web page or news feed"
    return f"That link is {kind}, not {wanted}."


def _network_error(exc: aiohttp.ClientError | OSError, host: str) -> FetchError:
    if isinstance(exc, aiohttp.ClientSSLError):
        return FetchError(f"Could not make a secure connection to {host}.")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return FetchError(f"Could not reach {host}.")
    if isinstance(exc, aiohttp.InvalidURL):
        return UnsafeURLError("That link is not a valid web address.")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return FetchError(f"The page from {host} arrived incomplete or damaged.")
    return FetchError(f"The connection to {host} failed.")


def _status_error(status: int) -> HTTPStatusError:
    if status in (404, 410):
        message = f"The page was not found (HTTP {status})."
    elif status in (401, 402, 403):
        message = (
            f"The site refused access (HTTP {status}); "
            "the article may be behind a paywall or need a login."
        )
    elif status == 429:
        message = "The site is limiting requests (HTTP 429); try again later."
    elif status >= 500:
        message = f"The site had a server error (HTTP {status}); try again later."
    else:
        message = f"The site did not return the page (HTTP {status})."
    return HTTPStatusError(message, status)


def _display_host(url: URL) -> str:
    return (url.host or "").rstrip(".") or "the site"


def _origin(url: URL) -> tuple[str, str | None, int | None]:
    return url.scheme, url.host, url.port


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.3g} MB"
    if limit >= 1024:
        return f"{limit / 1024:.3g} KB"
    return f"{limit} bytes"
