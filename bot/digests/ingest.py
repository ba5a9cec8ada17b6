"""Turn feed items into summarized, topic-scored digest candidates (stored when a store is given).

Which items are fetched: an item is fetched only if its title, feed summary, content or tags
match at least one term of the topic profile (the full score is decided on the article text).
Fetching every item of 20 feeds would cost minutes and hit outlets for stories no digest shows.
When the page cannot be fetched or has no text, the feed's own content is used if it is a full
article (at least ``MIN_FEED_WORDS`` words).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from functools import partial

from bot.digests.builder import DigestCandidate
from bot.digests.feedparse import FeedItem, html_to_text
from bot.digests.topics import TopicProfile
from bot.errors import ExtractionError, NewsbriefError
from bot.models import Article
from bot.service import Summarizer, summarize_article
from bot.store import Store, feed_backoff, feed_item_key
from bot.web.extract import article_from_text
from bot.web.urls import canonical_url, content_hash

log = logging.getLogger(__name__)
MIN_FEED_WORDS = 120


@dataclass(frozen=True, slots=True)
class Ingested:
    """One candidate and the store id of its article (None without a store)."""

    candidate: DigestCandidate
    article_id: int | None


@dataclass(frozen=True, slots=True)
class IngestReport:
    ingested: tuple[Ingested, ...]
    skipped_off_topic: int
    failed: tuple[str, ...]  # one sentence per item that could not be read
    deferred: int = 0  # items that failed before and whose backoff is not over

    @property
    def candidates(self) -> list[DigestCandidate]:
        return [item.candidate for item in self.ingested]


class ItemBackoff:
    """Feed items whose page could not be read, left alone for a while before another try.

    The wait is the feeds' own (5 minutes doubling up to 6 hours): an item that failed is not
    fetched again on every poll or every `digest` command. Kept in memory, for at most
    ``limit`` items (the oldest failures are forgotten first); a restart tries each once more.
    """

    def __init__(
        self, *, limit: int = 10_000, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._limit = limit
        self._clock = clock
        self._failures: OrderedDict[str, tuple[int, datetime]] = OrderedDict()

    def is_due(self, key: str) -> bool:
        entry = self._failures.get(key)
        return entry is None or entry[1] <= self._clock()

    def failed(self, key: str) -> None:
        count = self._failures.pop(key, (0, self._clock()))[0] + 1
        self._failures[key] = (count, self._clock() + feed_backoff(count))
        while len(self._failures) > self._limit:
            self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


# Shared by every Ingestor of the process: the digest service makes one per refresh.
ITEM_BACKOFF = ItemBackoff()


class Ingestor:
    """Fetches, extracts, scores and summarizes feed items, a bounded number at a time."""

    def __init__(
        self,
        summarizer: Summarizer,
        store: Store | None = None,
        *,
        sentences: int = 3,
        concurrency: int = 8,
        backoff: ItemBackoff | None = None,
    ) -> None:
        self._summarizer = summarizer
        self._store = store
        self._sentences = sentences
        self._slots = asyncio.Semaphore(concurrency)
        self._backoff = ITEM_BACKOFF if backoff is None else backoff

    async def ingest(
        self,
        items: Sequence[FeedItem],
        profile: TopicProfile,
        *,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        """Ingest every on-topic item; ``on_progress(done, total)`` after each fetched item."""
        # The same article listed twice, or reached by a tracking/AMP/mobile variant of its URL.
        # Of the variants, the shortest URL is kept: it is the one without tracking parameters.
        by_canonical: dict[str, FeedItem] = {}
        for item in sorted((i for i in items if i.url), key=lambda i: (len(i.url), i.url)):
            by_canonical.setdefault(canonical_url(item.url), item)
        unique = list(by_canonical.values())
        on_topic = await asyncio.to_thread(  # hundreds of items: CPU work off the event loop
            lambda: [item for item in unique if _mentions_topic(item, profile)]
        )
        prefiltered = [item for item in on_topic if self._backoff.is_due(_item_key(item))]
        done = 0

        async def tracked(item: FeedItem) -> Ingested | str | None:
            nonlocal done
            result = await self._one(item, profile)
            done += 1
            if on_progress is not None:
                on_progress(done, len(prefiltered))
            return result

        results = await asyncio.gather(*(tracked(item) for item in prefiltered))
        ingested = _unique_texts(r for r in results if isinstance(r, Ingested))
        failed = [r for r in results if isinstance(r, str)]
        off_topic = len(unique) - len(on_topic) + results.count(None)
        deferred = len(on_topic) - len(prefiltered)
        return IngestReport(tuple(ingested), off_topic, tuple(failed), deferred)

    async def _one(self, item: FeedItem, profile: TopicProfile) -> Ingested | str | None:
        async with self._slots:
            try:
                result = await self._ingest(item, profile)
            except NewsbriefError as err:
                self._backoff.failed(_item_key(item))
                return f"{item.title or item.url}: {err.message}"
            except Exception:  # one bad item must never stop a digest
                log.exception("could not ingest %s", item.url)
                self._backoff.failed(_item_key(item))
                return f"{item.title or item.url}: could not be read."
            self._backoff.succeeded(_item_key(item))
            return result

    async def _ingest(self, item: FeedItem, profile: TopicProfile) -> Ingested | None:
        known = await self._known(item)
        if known is not None:
            article, article_id = known
        else:
            article = await self._article(item)
            article_id = None
        match = profile.score(article.title or item.title, article.text, tags=item.tags)
        if self._store is not None and article_id is None:
            stored, _ = await self._store.upsert_article(
                article,
                keys=(item.url, feed_item_key(item.feed_url, item.guid)),
                topic_score=match.score,
            )
            article_id = stored.id
        if not match.is_match:
            return None
        summary = await asyncio.to_thread(
            summarize_article, article, self._sentences, self._summarizer.settings.method
        )
        return Ingested(
            DigestCandidate(summary, match.score, match.matched, item.published), article_id
        )

    async def _known(self, item: FeedItem) -> tuple[Article, int] | None:
        if self._store is None:
            return None
        for key in (item.url, feed_item_key(item.feed_url, item.guid)):
            stored = await self._store.article_for_url(key)
            if stored is not None:
                return stored.as_article(), stored.id
        return None

    async def _article(self, item: FeedItem) -> Article:
        try:
            page = await self._summarizer.fetch_article(item.url, declared_language=item.lang)
            if page.wall is not None:  # a paywall stub or cookie banner is no digest story
                raise ExtractionError(f"the page is a {page.wall} page, not the article.")
        except NewsbriefError:
            feed_text = html_to_text(item.content) if item.content else ""
            if len(feed_text.split()) < MIN_FEED_WORDS:
                raise
            page = await asyncio.to_thread(
                partial(article_from_text, declared_language=item.lang), feed_text
            )
        return replace(
            page,
            title=page.title or item.title,
            published=_more_precise(page.published, item.published),
            source=page.source or item.source,
            url=page.url or item.url,
        )


def _unique_texts(ingested: Iterable[Ingested]) -> list[Ingested]:
    """One candidate per article text: a copy republished under a new URL or GUID is dropped."""
    seen: dict[str, Ingested] = {}
    for item in ingested:
        seen.setdefault(content_hash(item.candidate.article.text), item)
    return list(seen.values())


def _more_precise(page: datetime | None, feed: datetime | None) -> datetime | None:
    """The page's date, unless it is only a day (midnight) and the feed dates that same day.

    trafilatura gives some pages' dates without their time; a story's hour matters for the
    quiet first sync (``records.QUIET_SYNC_GRACE``) and for recency.
    """
    if page is None or feed is None:
        return page or feed
    feed_utc = feed.astimezone(UTC)
    if page.timetz().replace(tzinfo=None) == time(0) and page.date() == feed_utc.date():
        return feed_utc
    return page


def _item_key(item: FeedItem) -> str:
    return canonical_url(item.url)


def _mentions_topic(item: FeedItem, profile: TopicProfile) -> bool:
    body = f"{item.summary}\n{html_to_text(item.content) if item.content else ''}"
    return bool(profile.score(item.title, body, tags=item.tags).matched)
