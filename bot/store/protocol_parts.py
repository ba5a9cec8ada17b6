"""The parts of the ``Store`` protocol behind the newsroom features and the replicas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.store.records import Delivery, Platform, StoredArticle
from bot.store.records.alerts import Watch, WatchHit
from bot.store.records.controls import SummaryControls
from bot.store.records.filters import ChannelFilter
from bot.store.records.installations import SlackInstallation
from bot.store.records.leases import RateRefusal, RateSlot
from bot.store.records.search import SentDigest
from bot.store.records.story_log import DeliveredStory


class StoryLogStore(Protocol):
    """What a digest is posting, and the stories each channel got (story updates)."""

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


class AlertStore(Protocol):
    """Figure alerts (bot.alerts): every watch belongs to one tenant and channel."""

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


class FilterStore(Protocol):
    """Channel filters: include/exclude terms of one channel's digest of one topic."""

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


class ArchiveStore(Protocol):
    """The archive: search, and the digests a channel got."""

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


class ControlsStore(Protocol):
    """The buttons under a summary message (More, Figures, Sources)."""

    async def save_controls(self, controls: SummaryControls) -> SummaryControls:
        """Keep what a posted summary's buttons answer from, under ``controls.key`` (new)."""
        ...

    async def get_controls(self, key: str) -> SummaryControls | None:
        """The summary a button's key names (its text empty once pruned), or None."""
        ...

    async def latest_controls(self, platform: Platform, tenant: str, channel: str) -> str | None:
        """The key of the latest summary posted in the channel, or None."""
        ...


class InstallationStore(Protocol):
    """The distributed Slack app: one installation per workspace, one-time OAuth states."""

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


class LeaseStore(Protocol):
    """What replicas share (issue 15): named leases and rate windows."""

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
