"""Frozen records the store hands out, their validation, and policies every store shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import Article

Platform = Literal["slack", "discord", "console"]
Language = Literal["en", "es"]
DeliveryState = Literal["pending", "sent", "failed"]

PLATFORMS: frozenset[str] = frozenset(get_args(Platform))
LANGUAGES: frozenset[str] = frozenset(get_args(Language))
MAX_SENTENCES = 10  # same bound as Settings.sentences

# Feed backoff after the n-th failure in a row: 5 min * 2^(n-1), capped at 6 h
# (5, 10, 20, 40, 80, 160, 320 min, then 6 h for every later failure).
FEED_BACKOFF_BASE = timedelta(minutes=5)
FEED_BACKOFF_CAP = timedelta(hours=6)

_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the store's default clock)."""
    return datetime.now(UTC)


def feed_backoff(consecutive_failures: int) -> timedelta:
    """How long to leave a feed alone after ``consecutive_failures`` failures in a row."""
    if consecutive_failures < 1:
        return timedelta(0)
    # The exponent is bounded too, so a feed dead for months cannot overflow timedelta.
    return min(FEED_BACKOFF_BASE * (1 << min(consecutive_failures - 1, 16)), FEED_BACKOFF_CAP)


def feed_item_key(feed_url: str, guid: str) -> str:
    """A key for ``upsert_article(keys=...)``/``article_for_url`` naming one feed entry.

    A GUID that is an http(s) URL names the article anywhere; any other GUID ("12345",
    "tag:...") is unique only within its feed, so it is qualified with the feed's URL.
    """
    if guid.startswith(("http://", "https://")):
        return guid
    # Not an http(s) URL on purpose: keys are stored through canonical_url, which drops a
    # "#guid=..." fragment, so every such item of one feed used to share the feed's key.
    return f"feed-item:{feed_url} {guid}"


def delivery_key(platform: str, channel: str, topic: str, digest_date: date) -> str:
    """The stable name of one digest, e.g. ``digest:slack:C123:2026-11-28:migration``.

    Adapters attach it to the message (Slack metadata, a Discord nonce or footer) so that after a
    crash they can look for the message before sending it again.
    """
    return f"digest:{platform}:{channel}:{digest_date.isoformat()}:{topic}"


def new_delivery_key(platform: str, channel: str, topic: str, digest_date: date) -> str:
    """``delivery_key`` for a delivery a store is asked to begin, after checking its parts."""
    if platform not in PLATFORMS or not channel or not topic:
        raise ValueError("A delivery needs a known platform, a channel and a topic.")
    if isinstance(digest_date, datetime) or not isinstance(digest_date, date):
        raise ValueError("digest_date must be a date (the subscriber's local day).")
    return delivery_key(platform, channel, topic, digest_date)


def _check_platform(platform: str) -> None:
    if platform not in PLATFORMS:
        raise ValueError(
            f"Platform must be one of {', '.join(sorted(PLATFORMS))}, not {platform!r}."
        )


def _check_channel(channel: str) -> None:
    if not channel:
        raise ValueError("A channel id is required.")


def _check_sentences(sentences: int) -> None:
    if not 1 <= sentences <= MAX_SENTENCES:
        raise ValueError(f"Sentences must be between 1 and {MAX_SENTENCES}, not {sentences}.")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored: one row per story text, however many URLs or GUIDs reached it."""

    id: int
    url: str
    canonical_url: str
    content_hash: str
    title: str | None
    byline: str | None
    source: str | None
    published: datetime | None
    lang: str
    text: str
    fetched_at: datetime
    topic_score: float | None = None

    def as_article(self) -> Article:
        """The core ``Article`` the summarizers and the digest work on."""
        return Article(
            text=self.text,
            title=self.title,
            url=self.url,
            canonical_url=self.canonical_url,
            byline=self.byline,
            published=self.published,
            lang=self.lang,
            source=self.source,
        )


@dataclass(frozen=True, slots=True)
class FeedState:
    """A polled feed: its conditional-GET validators and its failure/backoff state."""

    url: str
    name: str | None = None
    etag: str | None = None
    last_modified: str | None = None  # the Last-Modified header, verbatim
    last_success: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    next_attempt: datetime | None = None  # None: poll whenever the poller runs

    def is_due(self, now: datetime) -> bool:
        """Whether the backoff after the last failure (if any) is over at ``now``."""
        return self.next_attempt is None or self.next_attempt <= now


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's daily digest of one topic at a local time in an IANA time zone."""

    platform: Platform
    channel: str
    topic: str = "migration"
    local_time: str = "07:00"  # HH:MM, 24-hour clock
    timezone: str = "UTC"  # IANA name, e.g. "America/Mexico_City"
    sentences: int = 3
    enabled: bool = True
    id: int | None = None  # set by the store
    tenant: str | None = None  # whose feed list its digest uses; None: the operator's

    def __post_init__(self) -> None:
        _check_platform(self.platform)
        _check_channel(self.channel)
        _check_sentences(self.sentences)
        if not self.topic.strip():
            raise ValueError("A topic is required.")
        if not _HH_MM.fullmatch(self.local_time):
            raise ValueError(f"Time must be HH:MM on a 24-hour clock, not {self.local_time!r}.")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{self.timezone!r} is not a known time zone; use a name like Europe/Madrid."
            ) from None

    @property
    def time_of_day(self) -> time:
        """``local_time`` as a ``datetime.time``."""
        hours, minutes = self.local_time.split(":")
        return time(int(hours), int(minutes))

    @property
    def zone(self) -> ZoneInfo:
        """``timezone`` as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """Per-channel preferences; a channel that never set any gets these defaults."""

    platform: Platform
    channel: str
    sentences: int = 3
    auto_summarize: bool = False  # summarize links pasted in the channel without being asked
    language: Language = "en"

    def __post_init__(self) -> None:
        _check_platform(self.platform)
        _check_channel(self.channel)
        _check_sentences(self.sentences)
        if self.language not in LANGUAGES:
            raise ValueError(f"Language must be one of en, es, not {self.language!r}.")


# The tenant whose feed list is the operator's (NEWSBRIEF_FEEDS): it seeds every other tenant's.
OPERATOR_TENANT = "*"

# Quiet first sync: a feed a tenant adds brings to its digests only items dated (else fetched)
# at most this long before it was added. An hour keeps the story that made an editor add the
# feed ("they have the 9:40 report") without replaying the feed's back catalogue.
QUIET_SYNC_GRACE = timedelta(hours=1)


# How long a pending delivery's sender counts as alive without renewing its lease.
DELIVERY_LEASE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One digest's entry in the sent log.

    ``pending`` is written before sending and ``sent`` after the platform confirmed, so a row
    left ``pending`` (or any row with ``attempts > 1``) means an earlier attempt may have posted:
    look for a message carrying ``delivery_key`` before sending again.
    """

    id: int
    platform: Platform
    channel: str
    digest_date: date
    topic: str
    delivery_key: str
    state: DeliveryState
    attempts: int
    message_ref: str | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    lease_owner: str | None = None  # the attempt sending it (pending only)
    lease_until: datetime | None = None  # when that attempt counts as dead unless it renews
