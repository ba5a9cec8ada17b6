"""The ``Store`` interface every caller types against, so SQLite can give way to PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol, Self, runtime_checkable

from bot.errors import NewsbriefError
from bot.models import Article
from bot.store.records import (
    DELIVERY_LEASE,
    ChannelSettings,
    Delivery,
    FeedState,
    Platform,
    StoredArticle,
    Subscription,
)
from bot.store.records.alerts import Watch, WatchHit
from bot.store.records.controls import SummaryControls
from bot.store.records.filters import ChannelFilter
from bot.store.records.installations import SlackInstallation
from bot.store.records.leases import RateRefusal, RateSlot
from bot.store.records.search import SentDigest
from bot.store.records.story_log import DeliveredStory
from summarizers.types import TextSummary


class StoreError(NewsbriefError):
    """The database could not do what was asked (busy for too long, unreadable, too new)."""


class DatabaseUnavailableError(StoreError):
    """The database server cannot be reached or refuses us (the CLI exits 69: try later)."""


@runtime_checkable
class Store(Protocol):
    """Articles, summaries, feeds, subscriptions, channel settings and the sent log.

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

    # --- story updates: what a digest is posting, and the stories each channel got ---
    async def plan_delivery(
        self,
        delivery_key: str,
        owner: str,
        *,
        tenant: str,
        article_ids: Iterable[int],
        stories: Sequence[DeliveredStory] = (),
    ) -> bool:
        """Record, on the pending row ``owner`` holds, the articles and stories it is about to
        post (durably, before the post); False if ``owner`` no longer holds it."""
        ...

    async def complete_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        story_refs: Mapping[str, str] | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        """``finish_delivery`` for a planned digest, in one transaction: mark it sent, log the
        PLANNED article ids as sent (``article_ids`` only when no plan was recorded), and log
        its stories for the plan's tenant, each under ``story_refs[key]`` (else
        ``message_ref``); a story already logged keeps its first message and headline. A sent
        row comes back unchanged."""
        ...

    async def delivered_stories(
        self, tenant: str, platform: Platform, channel: str, *, since: datetime
    ) -> list[DeliveredStory]:
        """The tenant's channel's stories last shown at or after ``since``, oldest first."""
        ...

    # --- figure alerts (bot.alerts): every watch belongs to one tenant and channel ---
    async def add_watch(self, watch: Watch) -> Watch:
        """Store a new watch (``created_at`` defaults to now); returns it with its id."""
        ...

    async def list_watches(
        self,
        tenant: str | None = None,
        platform: Platform | None = None,
        channel: str | None = None,
    ) -> list[Watch]:
        """Watches by id, narrowed by whichever of tenant, platform and channel are given."""
        ...

    async def remove_watch(
        self, tenant: str, platform: Platform, channel: str, watch_id: int
    ) -> bool:
        """Remove the watch only if it is this tenant's and channel's; False otherwise."""
        ...

    async def watch_hits(self, watch_id: int, *, limit: int = 50) -> list[WatchHit]:
        """The figures the watch matched, newest first."""
        ...

    async def record_watch_hit(self, hit: WatchHit, *, at: datetime | None = None) -> bool:
        """Record the figure a watch matched in an article, once per (watch, article).

        True if this call recorded it; False if that pair was recorded before (so an alert
        claimed with ``alerted`` is posted by one caller only, even across restarts).
        """
        ...

    async def has_watch_hit(self, watch_id: int, article_id: int) -> bool: ...

    # --- channel filters: include/exclude terms of one channel's digest of one topic ---
    async def add_channel_filter(self, item: ChannelFilter) -> tuple[ChannelFilter, bool]:
        """Store the term (with its id) and whether it is new; the same term keeps its row."""
        ...

    async def channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> list[ChannelFilter]:
        """The channel's filters of ``topic`` (None: every topic), oldest first."""
        ...

    async def remove_channel_filter(self, platform: Platform, channel: str, filter_id: int) -> bool:
        """Remove the filter only if it is this channel's; False otherwise."""
        ...

    async def clear_channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> int:
        """Remove the channel's filters of ``topic`` (None: all); how many."""
        ...

    # --- the archive: search and the digests a channel got ---
    async def search_articles(
        self,
        tenant: str,
        words: Sequence[str],
        *,
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[StoredArticle]:
        """The best ``limit`` articles the tenant may see that contain every word (else any).

        ``words`` are plain text: the store quotes them, so no search syntax gets through. A
        tenant sees what its feeds brought, what was sent to its channels, and what was stored
        before feeds were recorded.
        """
        ...

    async def sent_digests(
        self, platform: Platform, channel: str, digest_date: date
    ) -> list[SentDigest]:
        """The sent log's digests of the channel on that (local) day, with their articles."""
        ...

    # --- the buttons under a summary message (More, Figures, Sources) ---
    async def save_controls(self, controls: SummaryControls) -> SummaryControls:
        """Keep what a posted summary's buttons answer from, under ``controls.key`` (new)."""
        ...

    async def get_controls(self, key: str) -> SummaryControls | None:
        """The summary a button's key names (its text empty once pruned), or None."""
        ...

    async def latest_controls(self, platform: Platform, tenant: str, channel: str) -> str | None:
        """The key of the latest summary posted in the channel, or None."""
        ...

    # --- the distributed Slack app: one installation per workspace, one-time OAuth states ---
    async def save_slack_installation(self, installation: SlackInstallation) -> SlackInstallation:
        """Create or replace the workspace's installation (``installed_at`` set when None)."""
        ...

    async def slack_installation(self, workspace: str) -> SlackInstallation | None:
        """The installation stored under the team (or org-wide install's enterprise) id."""
        ...

    async def delete_slack_installation(self, workspace: str) -> bool:
        """Forget the workspace's installation (its token with it); False if there was none."""
        ...

    async def save_oauth_state(self, state: str, *, at: datetime | None = None) -> None:
        """Keep a new install's ``state``, usable for ``OAUTH_STATE_SECONDS`` after ``at``."""
        ...

    async def consume_oauth_state(self, state: str, *, at: datetime | None = None) -> bool:
        """Whether ``state`` was issued and is unexpired; either way it cannot be used again."""
        ...

    # --- what replicas share (issue 15): named leases, rate windows ---
    async def acquire_lease(
        self, name: str, holder: str, ttl: timedelta, *, at: datetime | None = None
    ) -> bool:
        """Take the lease ``name`` for ``holder`` until ``at + ttl``, or renew it if ``holder``
        has it; False while another holder's lease is live (it is never taken over)."""
        ...

    async def release_lease(self, name: str, holder: str) -> bool:
        """Give the lease up if ``holder`` has it (another may take it at once)."""
        ...

    async def lease_holder(self, name: str, *, at: datetime | None = None) -> str | None:
        """Who holds ``name`` now (None when nobody's lease is live)."""
        ...

    async def take_rate_slots(
        self, slots: Sequence[RateSlot], *, at: datetime | None = None
    ) -> RateRefusal | None:
        """Count one hit in every slot's window, or none if one is full (which one, how long)."""
        ...

    async def sweep_leases(self, *, at: datetime | None = None) -> int:
        """Delete expired leases and rate hits; how many rows went."""
        ...
