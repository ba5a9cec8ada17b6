"""Feeds: polling with conditional GET, the catalog chat commands change, the list-file format."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

from bot.digests.feedparse import FeedError, FeedItem, ParsedFeed, parse_feed
from bot.errors import InputError, NewsbriefError
from bot.metrics import FEED_FAILURES
from bot.store.records import feed_item_key
from bot.web.fetch import FEED_TYPES, Fetcher

__all__ = [
    "DEFAULT_FEED_LIST",
    "MAX_ITEMS_PER_POLL",
    "FeedCatalog",
    "FeedError",
    "FeedOutcome",
    "FeedPoller",
    "FeedStateStore",
    "PollReport",
    "StoredFeedState",
    "default_feed_list",
    "load_feed_list",
    "newest_items",
]

DEFAULT_FEED_LIST: Traversable = resources.files("bot") / "data" / "feeds.txt"

Status = Literal["ok", "not_modified", "failed", "not_due"]
# Items taken from one feed per poll, newest first: a feed of 40,000 items took 34 s to
# ingest, and no digest shows more than a few stories a day from one feed.
MAX_ITEMS_PER_POLL = 200

_log = logging.getLogger(__name__)


class StoredFeedState(Protocol):
    """What the poller reads of a feed's stored state (bot.store.FeedState has it)."""

    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def consecutive_failures(self) -> int: ...
    def is_due(self, now: datetime) -> bool: ...


class FeedStateStore(Protocol):
    """The part of the store the poller uses; each URL polled must be known to it."""

    async def get_feed(self, url: str) -> StoredFeedState | None: ...
    async def feed_succeeded(
        self, url: str, *, etag: str | None, last_modified: str | None, at: datetime
    ) -> object: ...
    async def feed_failed(self, url: str, error: str, *, at: datetime) -> object: ...


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What polling one feed gave: items, nothing new, a skip, or the one-sentence error."""

    url: str
    status: Status
    items: tuple[FeedItem, ...] = ()
    error: str | None = None
    title: str | None = None  # the feed's own title, when it was parsed
    warning: str | None = None  # the feed was broken but some items were recovered

    def describe(self) -> str:
        """One line for logs and the CLI, e.g. ``ok, 12 items`` or ``failed: The site ...``."""
        if self.status == "ok":
            return f"ok, {len(self.items)} item{'s' if len(self.items) != 1 else ''}"
        if self.status == "failed":
            return f"failed: {self.error}"
        return self.status.replace("_", " ")


@dataclass(frozen=True, slots=True)
class PollReport:
    """Every feed's outcome, in the order the feeds were given."""

    outcomes: tuple[FeedOutcome, ...]

    @property
    def items(self) -> tuple[FeedItem, ...]:
        """The items of every feed that answered with content."""
        return tuple(item for outcome in self.outcomes for item in outcome.items)

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status == "failed")

    def counts(self) -> dict[str, int]:
        """How many feeds ended in each status."""
        counts = dict.fromkeys(("ok", "not_modified", "failed", "not_due"), 0)
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts


class FeedPoller:
    """Fetches due feeds concurrently with conditional GET and records each result in the store.

    Feeds whose backoff is in force are skipped (``not_due``); one feed's failure is recorded
    and reported, never raised. Errors of the store itself do propagate.
    """

    def __init__(self, fetcher: Fetcher, state: FeedStateStore, *, concurrency: int = 4) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._fetcher = fetcher
        self._state = state
        self._slots = asyncio.Semaphore(concurrency)

    async def poll(self, feed_urls: Iterable[str], now: datetime) -> PollReport:
        """Poll every due feed in ``feed_urls`` (duplicates once) and report each outcome."""
        urls = list(dict.fromkeys(feed_urls))
        outcomes = await asyncio.gather(*(self._poll_one(url, now) for url in urls))
        return PollReport(tuple(outcomes))

    async def _poll_one(self, url: str, now: datetime) -> FeedOutcome:
        state = await self._state.get_feed(url)
        if state is not None and not state.is_due(now):
            return FeedOutcome(url, "not_due")
        async with self._slots:
            try:
                outcome, validators = await self._fetch_and_parse(url, state)
            except NewsbriefError as error:
                outcome, validators = FeedOutcome(url, "failed", error=str(error)), None
            except Exception:  # a bug or an unforeseen library error: still only this feed
                _log.exception("Polling %s failed unexpectedly", url)
                message = "The feed could not be read because of an unexpected error."
                outcome, validators = FeedOutcome(url, "failed", error=message), None
        failures_before = state.consecutive_failures if state is not None else 0
        if validators is None:
            await self._state.feed_failed(url, outcome.error or "", at=now)
            FEED_FAILURES.inc()
            if failures_before == 0:  # said once when it starts failing, not every poll
                _log.warning("Feed %s is failing: %s", url, outcome.error)
        else:
            etag, last_modified = validators
            await self._state.feed_succeeded(url, etag=etag, last_modified=last_modified, at=now)
            if failures_before:
                _log.info("Feed %s recovered after %d failed polls", url, failures_before)
        _log.debug("Feed %s: %s", url, outcome.describe())
        return outcome

    async def _fetch_and_parse(
        self, url: str, state: StoredFeedState | None
    ) -> tuple[FeedOutcome, tuple[str | None, str | None]]:
        conditional = {}
        if state is not None and state.etag:
            conditional["If-None-Match"] = state.etag
        if state is not None and state.last_modified:
            conditional["If-Modified-Since"] = state.last_modified
        result = await self._fetcher.fetch(url, accept=FEED_TYPES, headers=conditional)
        validators = (result.headers.get("etag"), result.headers.get("last-modified"))
        if result.status == 304:
            return FeedOutcome(url, "not_modified"), validators
        # feedparser is CPU-bound (tens of ms for a big feed): keep the event loop free.
        parsed: ParsedFeed = await asyncio.to_thread(
            parse_feed, result.body, url, result.headers, base_url=result.url
        )
        if parsed.warning:
            _log.warning("Feed %s is malformed (%s)", url, parsed.warning)
        items = newest_items(parsed.items, MAX_ITEMS_PER_POLL)
        if len(items) < len(parsed.items):
            _log.info("Feed %s: kept the newest %d of %d items", url, len(items), len(parsed.items))
        outcome = FeedOutcome(url, "ok", items=items, title=parsed.title, warning=parsed.warning)
        return outcome, validators


class FeedListStore(Protocol):
    """The part of the store the feed catalog uses (bot.store.Store has it)."""

    async def tenant_feeds(self, tenant: str) -> Sequence[FeedListing]: ...
    async def add_tenant_feed(
        self, tenant: str, url: str, name: str | None = None, *, undated: Iterable[str] = ()
    ) -> object: ...
    async def remove_tenant_feed(self, tenant: str, url: str) -> bool: ...


class FeedListing(Protocol):
    """What the catalog shows of a stored feed (bot.store.FeedState has it)."""

    @property
    def url(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def consecutive_failures(self) -> int: ...
    @property
    def last_error(self) -> str | None: ...


class FeedCatalog:
    """Each tenant's feeds, as people change them in chat: list, add, remove.

    A tenant (a Slack workspace, a Discord server, the console) starts from the operator's list
    and changes only its own; a URL is fetched once however many tenants list it. ``add``
    fetches and parses the feed first, so that a page that is not a feed (or a feed that cannot
    be reached) is refused with the fetch's or the parser's one-sentence error.
    """

    def __init__(self, store: FeedListStore, fetcher: Fetcher) -> None:
        self._store = store
        self._fetcher = fetcher

    async def list(self, tenant: str) -> Sequence[FeedListing]:
        return await self._store.tenant_feeds(tenant)

    async def add(self, tenant: str, url: str) -> ParsedFeed:
        """Check that ``url`` serves a feed, then add it to the tenant's list."""
        result = await self._fetcher.fetch(url, accept=FEED_TYPES)
        parsed: ParsedFeed = await asyncio.to_thread(
            parse_feed, result.body, url, result.headers, base_url=result.url
        )
        # Its undated items are old by name (quiet first sync: a date cannot tell their age).
        undated = [
            key
            for item in parsed.items
            if item.published is None
            for key in (item.url, feed_item_key(url, item.guid))
        ]
        await self._store.add_tenant_feed(tenant, url, parsed.title or None, undated=undated)
        return parsed

    async def remove(self, tenant: str, url: str) -> bool:
        return await self._store.remove_tenant_feed(tenant, url)


def newest_items(items: Sequence[FeedItem], limit: int) -> tuple[FeedItem, ...]:
    """At most ``limit`` items, the newest by date (undated ones after, in feed order), kept
    in the feed's own order."""
    if len(items) <= limit:
        return tuple(items)
    order = sorted(  # stable: equal dates and undated items keep the feed's order
        range(len(items)),
        key=lambda i: items[i].published.timestamp() if items[i].published else float("-inf"),
        reverse=True,
    )
    return tuple(items[i] for i in sorted(order[:limit]))


def load_feed_list(path: Path | str | Traversable) -> list[str]:
    """Feed URLs from a list file: one per line; blank lines and ``#`` comments are skipped.

    A ``#`` starts a comment at the start of a line or after white space (URLs may contain
    ``#``). Raises InputError, naming the line, for anything that is not an http(s) URL.
    """
    source = Path(path) if isinstance(path, str) else path
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"The feed list {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"The feed list {path} could not be read ({error}).") from None
    return _parse_feed_list(text.splitlines(), str(path))


def default_feed_list() -> list[str]:
    """The feed list shipped with the bot (bot/data/feeds.txt)."""
    return load_feed_list(DEFAULT_FEED_LIST)


def _parse_feed_list(lines: Sequence[str], name: str) -> list[str]:
    urls: dict[str, None] = {}
    for number, line in enumerate(lines, start=1):
        entry = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not entry or entry.startswith("#"):
            continue
        if not _is_web_url(entry):
            raise InputError(f"Line {number} of the feed list {name} is not a feed URL: {entry!r}.")
        urls[entry] = None
    return list(urls)


def _is_web_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return (
            parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in text
        )
    except ValueError:
        return False
