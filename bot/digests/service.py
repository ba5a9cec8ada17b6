"""Digest use cases: refresh feeds into the store, build a channel's digest, and dry runs."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot.chat.requests import Caller
from bot.config import Settings
from bot.digests.builder import DigestCandidate, build_digest
from bot.digests.delivery import BuiltDigest
from bot.digests.feeds import FeedPoller, PollReport
from bot.digests.filters import story_filter
from bot.digests.ingest import Ingested, Ingestor, IngestReport
from bot.digests.topics import TopicProfile, load_profile
from bot.digests.updates import earlier_stories, story_plan
from bot.models import Digest, Summary
from bot.service import Summarizer, summarize_article
from bot.store import OPERATOR_TENANT, Platform, Store, StoredArticle, Subscription, feed_item_key
from summarizers.types import TextSummary

DEFAULT_LIMIT = 8


def feed_host(url: str) -> str:
    """A failing feed named briefly: its host (its error is in the log and in `feeds list`)."""
    return urlsplit(url).hostname or url


def feed_labels(feeds: Iterable[tuple[str | None, str]]) -> list[str]:
    """Failing feeds named briefly, (title, url) each: the title, else the host; host and path
    where two would read the same (three feeds of one site must not read as one name thrice)."""
    feeds = list(dict.fromkeys(feeds))
    short = [title or feed_host(url) for title, url in feeds]
    counts = Counter(short)
    labels = []
    for (_title, url), name in zip(feeds, short, strict=True):
        if counts[name] > 1:
            parts = urlsplit(url)
            name = f"{parts.hostname or ''}{parts.path}".rstrip("/") or url
        labels.append(name)
    return list(dict.fromkeys(labels))


@dataclass
class MemoryFeedState:
    """Conditional-GET state kept in memory, for dry runs that must not write anything."""

    @dataclass(frozen=True, slots=True)
    class State:
        etag: str | None = None
        last_modified: str | None = None

        def is_due(self, now: datetime) -> bool:
            return True

    feeds: dict[str, State] = field(default_factory=dict)

    async def get_feed(self, url: str) -> State | None:
        return self.feeds.get(url)

    async def feed_succeeded(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, at: datetime
    ) -> None:
        self.feeds[url] = self.State(etag, last_modified)

    async def feed_failed(self, url: str, error: str, *, at: datetime) -> None:
        return None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    poll: PollReport
    ingest: IngestReport


class DigestService:
    """Keeps the store filled from the feeds and builds each channel's digest from it."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        summarizer: Summarizer,
        *,
        topics: Callable[[str], TopicProfile] = load_profile,
        limit: int = DEFAULT_LIMIT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._store = store
        self._summarizer = summarizer
        self._topics = topics
        self._limit = limit
        self._clock = clock
        self._refresh_lock = asyncio.Lock()
        # Told of each refresh's articles once they are stored and linked (figure alerts).
        self.on_ingested: Callable[[Sequence[Ingested]], Awaitable[object]] | None = None

    async def refresh(self) -> RefreshReport:
        """Poll every due feed and store the new on-topic articles (one refresh at a time)."""
        async with self._refresh_lock:
            # Every URL any tenant lists, fetched once; tenants filter by feed when they build.
            feeds = [feed.url for feed in await self._store.list_feeds()]
            poll = await FeedPoller(self._summarizer.fetcher, self._store).poll(
                feeds, self._clock()
            )
            topics = {sub.topic for sub in await self._store.list_subscriptions()} | {"migration"}
            reports = [
                await Ingestor(self._summarizer, self._store).ingest(poll.items, self._topics(t))
                for t in sorted(topics)
            ]
            await self._store.link_article_feeds(
                (key, item.feed_url)
                for item in poll.items
                for key in (item.url, feed_item_key(item.feed_url, item.guid))
            )
            merged = IngestReport(
                tuple(i for r in reports for i in r.ingested),
                sum(r.skipped_off_topic for r in reports),
                tuple(f for r in reports for f in r.failed),
            )
            if self.on_ingested is not None:
                await self.on_ingested(merged.ingested)
            return RefreshReport(poll, merged)

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        return await self._build(
            subscription.tenant or OPERATOR_TENANT,  # subscribed before tenants: the operator's
            subscription.platform,
            subscription.channel,
            subscription.topic,
            sentences=subscription.sentences,
            since=since,
            until=until,
        )

    async def preview(self, caller: Caller, topic: str, *, sentences: int, now: datetime) -> Digest:
        """The digest this channel would get now (nothing is recorded as sent)."""
        await self.refresh()
        built = await self._build(
            caller.tenant_key,
            caller.platform,
            caller.channel,
            topic,
            sentences=sentences,
            since=now - timedelta(hours=24),
            until=now,
        )
        return built.digest

    async def _build(
        self,
        tenant: str,
        platform: Platform,
        channel: str,
        topic: str,
        *,
        sentences: int,
        since: datetime,
        until: datetime,
    ) -> BuiltDigest:
        profile = self._topics(topic)
        stored = [
            a
            for a in await self._store.articles_since(since)
            if (a.published or a.fetched_at) <= until
        ]
        ids = [a.id for a in stored]
        sent = await self._store.already_sent_article_ids(platform, channel, ids)
        ours = await self._store.articles_for_tenant(tenant, ids)  # from this tenant's feeds
        unsent = [article for article in stored if article.id in ours and article.id not in sent]
        # Scoring a day of articles and clustering them are CPU work: off the event loop, where
        # Slack and Discord acknowledgements must not wait for them.
        matches = await asyncio.to_thread(
            lambda: [profile.score(article.title or "", article.text) for article in unsent]
        )
        candidates: list[DigestCandidate] = []
        ids_by_link: dict[str, int] = {}
        for article, match in zip(unsent, matches, strict=True):
            if not match.is_match:
                continue
            summary = await self._summary(article, sentences)
            candidates.append(DigestCandidate(summary, match.score, match.matched))
            ids_by_link[article.canonical_url] = article.id
        failing = feed_labels(
            (feed.name, feed.url)
            for feed in await self._store.tenant_feeds(tenant)
            if feed.consecutive_failures
        )
        earlier = await earlier_stories(
            self._store, tenant, platform, channel, until=until, method=self._settings.method
        )
        keep = story_filter(await self._store.channel_filters(platform, channel, topic))
        digest = await asyncio.to_thread(
            build_digest,
            candidates,
            topic=topic,
            since=since,
            until=until,
            limit=self._limit,
            feeds_failed=failing,
            keep=keep,
            earlier=earlier,
        )
        stories, keys = story_plan(digest, ids_by_link, earlier)
        shown = [article_id for story in stories for article_id in story.article_ids]
        return BuiltDigest(digest, tuple(dict.fromkeys(shown)), stories, keys)

    async def _summary(self, stored: StoredArticle, sentences: int) -> Summary:
        method = self._settings.method
        cached = await self._store.get_summary(stored.id, method)
        article = stored.as_article()
        if cached is not None and len(cached.sentences) == sentences:
            return Summary(article, cached.sentences, cached.figures, cached.method)
        summary = await asyncio.to_thread(summarize_article, article, sentences, method)
        await self._store.save_summary(stored.id, _text_summary(summary))
        return summary


def _text_summary(summary: Summary) -> TextSummary:
    return TextSummary(summary.sentences, summary.figures, summary.method, summary.article.lang)


async def dry_run_digest(
    summarizer: Summarizer,
    feed_urls: Sequence[str],
    *,
    topic: str = "migration",
    since: timedelta = timedelta(hours=24),
    now: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    profile: TopicProfile | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Digest:
    """Fetch, filter, cluster and build a digest without a store: nothing is sent or recorded."""
    now = now or datetime.now(UTC)
    profile = profile or load_profile(topic)
    poll = await FeedPoller(summarizer.fetcher, MemoryFeedState()).poll(feed_urls, now)
    fresh = [item for item in poll.items if item.published is None or item.published >= now - since]
    report = await Ingestor(summarizer).ingest(fresh, profile, on_progress=on_progress)
    failed = feed_labels((outcome.title, outcome.url) for outcome in poll.failed)
    return await asyncio.to_thread(
        build_digest,
        report.candidates,
        topic=topic,
        since=now - since,
        until=now,
        limit=limit,
        feeds_failed=failed,
    )
