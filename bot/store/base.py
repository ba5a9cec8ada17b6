"""The ``Store`` interface every caller types against, so SQLite can give way to PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol, Self, runtime_checkable

from bot.errors import NewsbriefError
from bot.models import Article
from bot.store.protocol_parts import (
    AlertStore,
    ArchiveStore,
    ControlsStore,
    FilterStore,
    InstallationStore,
    LeaseStore,
    StoryLogStore,
)
from bot.store.records import (
    DELIVERY_LEASE,
    ChannelSettings,
    Delivery,
    FeedState,
    Platform,
    StoredArticle,
    Subscription,
)
from summarizers.types import TextSummary


class StoreError(NewsbriefError):
    """The database could not do what was asked (busy for too long, unreadable, too new)."""


class DatabaseUnavailableError(StoreError):
    """The database server cannot be reached or refuses us (the CLI exits 69: try later)."""


@runtime_checkable
class Store(
    StoryLogStore,
    AlertStore,
    FilterStore,
    ArchiveStore,
    ControlsStore,
    InstallationStore,
    LeaseStore,
    Protocol,
):
    """Articles, summaries, feeds, subscriptions, channel settings and the sent log, plus
    the feature parts in ``bot.store.protocol_parts``.

    Every timestamp in and out is a timezone-aware datetime (stores return UTC); passing a naive
    one raises ``ValueError``. ``at``/``now`` default to the store's clock. Each method is one
    transaction. Unknown feeds or delivery keys raise ``KeyError``.
    """

    async def aclose(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc_info: object) -> None: ...
    async def integrity_check(self) -> bool: ...

    # --- articles and summaries ---
    async def upsert_article(
        self,
        article: Article,
        *,
        keys: Iterable[str] = (),
        fetched_at: datetime | None = None,
        topic_score: float | None = None,
    ) -> tuple[StoredArticle, bool]:
        """Store the article unless its canonical URL, its text or one of its keys is known.

        Returns the stored row and whether it is new. Every backend follows the policy of
        ``bot.store.dedup`` (``article_identity``, ``pick_match``, ``merge_known``): URLs and
        keys compare in ``bot.web.urls.canonical_url`` form and texts by their content hash; a
        known article keeps its text and only fills in a missing title, byline, source or
        published date. ``keys`` are more names of the article for ``article_for_url``: links,
        and feed GUIDs made with ``records.feed_item_key`` (a bare "12345" GUID from two feeds
        would merge two stories).
        """
        ...

    async def get_article(self, article_id: int) -> StoredArticle | None: ...
    async def article_for_url(self, url_or_guid: str) -> StoredArticle | None:
        """The article any of its URLs, canonical URL or GUIDs leads to (so we skip a fetch)."""
        ...

    async def articles_since(
        self, since: datetime, *, limit: int | None = None
    ) -> list[StoredArticle]:
        """Articles published (or, lacking a date, fetched) at or after ``since``, newest first."""
        ...

    async def set_topic_score(self, article_id: int, score: float | None) -> None: ...
    async def save_summary(
        self, article_id: int, summary: TextSummary, *, at: datetime | None = None
    ) -> None:
        """Keep one summary per article and method (a later save replaces it)."""
        ...

    async def get_summary(self, article_id: int, method: str) -> TextSummary | None: ...

    # --- feeds ---
    # The operator's list (tenant ``OPERATOR_TENANT``, filled from NEWSBRIEF_FEEDS) seeds each
    # tenant's own list the first time that tenant is used; ``FeedState`` is one per URL.
    async def add_feed(self, url: str, name: str | None = None) -> FeedState:
        """Add to the operator's list (a known URL keeps its state; a name replaces the old)."""
        ...

    async def remove_feed(self, url: str) -> bool:
        """Remove the URL from every list, with its state."""
        ...

    async def get_feed(self, url: str) -> FeedState | None: ...
    async def list_feeds(self) -> list[FeedState]:
        """Every URL some list names: what the poller fetches, once each."""
        ...

    async def tenant_feeds(self, tenant: str) -> list[FeedState]:
        """The tenant's list (seeded from the operator's on first use)."""
        ...

    async def add_tenant_feed(
        self, tenant: str, url: str, name: str | None = None, *, undated: Iterable[str] = ()
    ) -> FeedState:
        """Add to the tenant's list, remembering when (a URL already listed keeps its date) and
        ``undated``: the links and ``feed_item_key``s of the feed's items without a date now."""
        ...

    async def remove_tenant_feed(self, tenant: str, url: str) -> bool:
        """Take the URL off this tenant's list only; False if it was not on it."""
        ...

    async def link_article_feeds(self, links: Iterable[tuple[str, str]]) -> None:
        """Record (article key, feed URL) pairs: the feed that brought a stored article."""
        ...

    async def articles_for_tenant(self, tenant: str, article_ids: Iterable[int]) -> set[int]:
        """The ids that came from one of the tenant's feeds, or from no recorded feed at all.

        Quiet first sync: through a feed the tenant added itself (``add_tenant_feed``), only
        articles dated (else fetched) at most ``records.QUIET_SYNC_GRACE`` before it was added.
        """
        ...

    async def due_feeds(self, now: datetime | None = None) -> list[FeedState]:
        """Feeds with no backoff in force at ``now``."""
        ...

    async def feed_succeeded(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        at: datetime | None = None,
    ) -> FeedState:
        """Clear failures and backoff; new validators replace old ones, None keeps them."""
        ...

    async def feed_failed(self, url: str, error: str, *, at: datetime | None = None) -> FeedState:
        """Count a failure and back off by ``records.feed_backoff`` (5 min doubling, 6 h cap)."""
        ...

    # --- subscriptions and channel settings ---
    async def subscribe(self, subscription: Subscription) -> Subscription:
        """Create or replace the (platform, channel, topic) subscription; returns it with id."""
        ...

    async def unsubscribe(self, platform: Platform, channel: str, topic: str | None = None) -> int:
        """Remove one topic's subscription, or all of the channel's with no topic; the count."""
        ...

    async def disable_subscriptions(
        self,
        platform: Platform,
        *,
        channels: Iterable[str] | None = None,
        tenant: str | None = None,
    ) -> list[Subscription]:
        """Pause the enabled subscriptions in ``channels`` or of ``tenant`` (neither: all of the
        platform's); returns those it paused. ``subscribe`` enables one again."""
        ...

    async def list_subscriptions(
        self,
        *,
        platform: Platform | None = None,
        channel: str | None = None,
        include_disabled: bool = False,
    ) -> list[Subscription]: ...
    async def channel_settings(self, platform: Platform, channel: str) -> ChannelSettings:
        """The channel's settings, or the defaults if it never saved any."""
        ...

    async def save_channel_settings(self, settings: ChannelSettings) -> ChannelSettings: ...

    # --- the sent log: exactly one digest per channel, topic and day ---
    async def begin_delivery(
        self,
        platform: Platform,
        channel: str,
        topic: str,
        digest_date: date,
        *,
        owner: str | None = None,
        lease: timedelta = DELIVERY_LEASE,
        at: datetime | None = None,
    ) -> Delivery:
        """Record the digest as pending (committed) before it is sent, leased to ``owner``.

        Returns the existing row if there is one: ``sent`` means do not send. A pending row
        whose lease (``lease_until``) is still live comes back untouched: another attempt is
        sending, so do not send (its ``lease_owner`` is not ``owner``). Otherwise (new, failed,
        or pending with its lease run out) it is pending again, leased to ``owner`` until
        ``at + lease``, with ``attempts`` raised; ``attempts > 1`` means an earlier attempt may
        have posted, so look for a message carrying ``delivery_key`` first.
        """
        ...

    async def renew_delivery(
        self,
        delivery_key: str,
        owner: str,
        *,
        lease: timedelta = DELIVERY_LEASE,
        at: datetime | None = None,
    ) -> bool:
        """Extend ``owner``'s lease to ``at + lease``; False if it no longer holds it."""
        ...

    async def finish_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        """Mark it sent and log its articles as sent to the channel, in one transaction."""
        ...

    async def fail_delivery(
        self,
        delivery_key: str,
        error: str,
        *,
        owner: str | None = None,
        at: datetime | None = None,
    ) -> Delivery:
        """Mark an unsent digest failed and free its lease (a sent one stays sent).

        With ``owner``, only if it still holds the lease (else the row comes back unchanged).
        """
        ...

    async def get_delivery(self, delivery_key: str) -> Delivery | None: ...
    async def pending_deliveries(self) -> list[Delivery]:
        """Digests recorded but never confirmed: the process stopped between the two."""
        ...

    async def already_sent_article_ids(
        self, platform: Platform, channel: str, article_ids: Iterable[int]
    ) -> set[int]: ...
