"""What replicas share through the database: named leases and rate-limit windows."""

from __future__ import annotations

from dataclasses import dataclass

# The leader lease of feed polling: one replica at a time polls (bot.digests.leases).
POLLER_LEASE = "feed-poller"


@dataclass(frozen=True, slots=True)
class RateSlot:
    """At most ``count`` hits under ``key`` in any ``window_s`` seconds (all replicas)."""

    key: str
    count: int
    window_s: float


@dataclass(frozen=True, slots=True)
class RateRefusal:
    """Which slot (index into the slots asked for) was full, and for how many seconds more."""

    index: int
    retry_after: float
